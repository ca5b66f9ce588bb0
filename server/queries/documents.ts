import type { Db } from "../db/sql";
import { isUuid } from "./ids";

export interface DocumentRow {
  id: string;
  conferenceId: string;
  title: string;
  kind: "statement" | "proposal" | "translation";
  /** The language the statement is negotiated in (ISO 639-1); its translations follow it. */
  originalLanguage: string;
  /** When a silence procedure adopted the text; it is locked from then on. */
  adoptedAt: Date | null;
  createdAt: Date;
}

const columns = (sql: Db) => sql`id, conference_id as "conferenceId", title, kind, original_language as "originalLanguage", adopted_at as "adoptedAt", created_at as "createdAt"`;

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
  const [row] = await sql<DocumentRow[]>`
    insert into documents (conference_id, title, kind) values (${conferenceId}, ${title}, ${kind})
    returning ${columns(sql)}`;
  return row;
}

/** A conference's statements (proposals' drafting documents are reached through their proposal). */
export async function listDocuments(sql: Db, conferenceId: string): Promise<DocumentRow[]> {
  return sql<DocumentRow[]>`
    select ${columns(sql)} from documents
    where conference_id = ${conferenceId} and kind = 'statement' order by created_at, title`;
}
