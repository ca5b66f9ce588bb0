import type * as Y from "yjs";
import type { Node as PMNode } from "@tiptap/pm/model";
import type { Db } from "../db/sql";
import { findDocument, type DocumentRow } from "../queries/documents";
import { acceptedAdditions } from "../queries/proposals";
import { currentClauseStates } from "../queries/clause-states";
import { loadUpdates } from "../queries/document-state";
import type { VersionRow } from "../queries/versions";
import { listClauses, type ClauseInfo } from "../../app/statement/numbering";
import type { ClauseState } from "../../app/statement/vocabulary";
import { docOf, readDoc, statementDoc } from "./statement";
import { provisionalClauseIds } from "./provisional";

/**
 * The numbering of a statement on the server: one function of the text and its provisional
 * clauses, for the text as it stands and for any version of it. Every server surface (pages,
 * side panel, state messages, audit subjects, compilation, versions, redline, exports) labels
 * clauses from one of these, so that a clause is called the same everywhere.
 */
export interface NumberedStatement {
  doc: PMNode;
  clauses: ClauseInfo[];
  /** The clauses labelled "OP5 bis" rather than numbered, for the editor to number alike. */
  provisional: ReadonlySet<string>;
}

function numbered(doc: PMNode, provisional: ReadonlySet<string>): NumberedStatement {
  return { doc, clauses: listClauses(doc, provisional), provisional };
}

/** The provisional clauses given the clause states of a moment, and whether the text was adopted then. */
async function provisionalWith(
  sql: Db,
  documentId: string,
  states: ReadonlyMap<string, ClauseState> | Readonly<Record<string, ClauseState>>,
  adopted: boolean,
): Promise<Set<string>> {
  return provisionalClauseIds(await acceptedAdditions(sql, documentId), states, adopted);
}

/** The provisional clauses of a statement now. */
export async function currentProvisional(sql: Db, documentId: string): Promise<Set<string>> {
  const [document, states] = await Promise.all([findDocument(sql, documentId), currentClauseStates(sql, documentId)]);
  return provisionalWith(sql, documentId, states, document?.adoptedAt != null);
}

/** The statement as stored now, numbered. */
export async function currentStatement(sql: Db, documentId: string): Promise<NumberedStatement> {
  const [updates, provisional] = await Promise.all([loadUpdates(sql, documentId), currentProvisional(sql, documentId)]);
  return readDoc(updates, (ydoc) => numberedStatement(ydoc, provisional));
}

/** A statement's Y.Doc numbered, for a reader that reads more from the same document (`currentProvisional` for now). */
export function numberedStatement(ydoc: Y.Doc, provisional: ReadonlySet<string>): NumberedStatement {
  return numbered(statementDoc(ydoc), provisional);
}

/** The stored statement numbered, with its Y.Doc kept open (tests compare it with the rooms'); the caller destroys `ydoc`. */
export async function readStatement(sql: Db, documentId: string): Promise<NumberedStatement & { ydoc: Y.Doc }> {
  const [updates, provisional] = await Promise.all([loadUpdates(sql, documentId), currentProvisional(sql, documentId)]);
  const ydoc = docOf(updates);
  return { ydoc, ...numbered(statementDoc(ydoc), provisional) };
}

/**
 * A version's statement, numbered as it was when the version was taken: the clauses accepted
 * additions had created were provisional unless agreed in the version's clause states (a clause
 * added later has an id no earlier text holds), and none once the text was adopted.
 */
export async function versionStatement(
  sql: Db,
  document: Pick<DocumentRow, "id" | "adoptedAt">,
  version: Pick<VersionRow, "state" | "clauseStates" | "createdAt">,
): Promise<NumberedStatement> {
  const adopted = document.adoptedAt !== null && version.createdAt >= document.adoptedAt;
  const provisional = await provisionalWith(sql, document.id, version.clauseStates, adopted);
  return numbered(readDoc([version.state], statementDoc), provisional);
}

/** The clause with this id in the statement as stored, labelled as everywhere, or null (a forged or deleted id). */
export async function findClause(sql: Db, documentId: string, clauseId: string): Promise<ClauseInfo | null> {
  return (await currentStatement(sql, documentId)).clauses.find((c) => c.id === clauseId) ?? null;
}
