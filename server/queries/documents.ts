import type { Db } from "../db/sql";
import { isUuid } from "./ids";
import type { Distribution } from "../../app/statement/document-symbol";

export interface DocumentRow {
  id: string;
  conferenceId: string;
  title: string;
  kind: "statement" | "proposal" | "translation" | "breakout";
  /** The language the statement is negotiated in (ISO 639-1); its translations follow it. */
  originalLanguage: string;
  /** When a silence procedure adopted the text; it is locked from then on. */
  adoptedAt: Date | null;
  createdAt: Date;
  /** Its own part of the document symbol ("L.1"), after the conference's prefix; "" for proposals' drafting documents. */
  symbol: string;
  /** Its addendum number ("/Add.1"), when it is one. */
  addendum: number | null;
  distribution: Distribution;
}

/** What the secretariat sets of a statement for its title block. */
export type DocumentSymbolSettings = Pick<DocumentRow, "symbol" | "addendum" | "distribution">;

const columns = (sql: Db) =>
  sql`id, conference_id as "conferenceId", title, kind, original_language as "originalLanguage", adopted_at as "adoptedAt", created_at as "createdAt", symbol, addendum, distribution`;

export async function findDocument(sql: Db, id: string): Promise<DocumentRow | null> {
  if (!isUuid(id)) return null;
  const [row] = await sql<DocumentRow[]>`
    select ${columns(sql)} from documents where id = ${id}`;
  return row ?? null;
}

export async function createDocument(
  sql: Db,
  conferenceId: string,
  title: string,
  kind: DocumentRow["kind"] = "statement",
): Promise<DocumentRow> {
  // A new statement is the conference's next limited document, "L.n" after the highest one there,
  // written in the conference's first language until the secretariat says otherwise.
  const [row] = await sql<DocumentRow[]>`
    insert into documents (conference_id, title, kind, symbol, original_language)
    select ${conferenceId}::uuid, ${title}::text, ${kind}::text,
      case when ${kind}::text = 'statement' then 'L.' || (coalesce(max(substring(symbol from '^L[.]([0-9]{1,6})$')::int), 0) + 1) else '' end,
      (select languages[1] from conferences where id = ${conferenceId})
    from documents where conference_id = ${conferenceId} and kind = 'statement'
    returning ${columns(sql)}`;
  return row;
}

/** Sets a statement's symbol settings; those it had before that changed (empty when nothing did), under the row's lock. */
export async function setDocumentSymbol(
  sql: Db,
  documentId: string,
  settings: DocumentSymbolSettings,
): Promise<{ before: Partial<DocumentSymbolSettings>; after: Partial<DocumentSymbolSettings> }> {
  const [row] = await sql<DocumentRow[]>`select ${columns(sql)} from documents where id = ${documentId} for no key update`;
  const keys = (Object.keys(settings) as (keyof DocumentSymbolSettings)[]).filter((k) => row[k] !== settings[k]);
  if (keys.length === 0) return { before: {}, after: {} };
  await sql`
    update documents set symbol = ${settings.symbol}, addendum = ${settings.addendum}, distribution = ${settings.distribution}
    where id = ${documentId}`;
  return { before: Object.fromEntries(keys.map((k) => [k, row[k]])), after: Object.fromEntries(keys.map((k) => [k, settings[k]])) };
}

/** A conference's statements (proposals' drafting documents are reached through their proposal). */
export async function listDocuments(sql: Db, conferenceId: string): Promise<DocumentRow[]> {
  return sql<DocumentRow[]>`
    select ${columns(sql)} from documents
    where conference_id = ${conferenceId} and kind = 'statement' order by created_at, title`;
}
