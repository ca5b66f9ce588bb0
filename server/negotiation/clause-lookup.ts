import type { Db } from "../db/sql";
import type { ClauseInfo } from "../../app/statement/numbering";
import { readStatement } from "./statement";

/** A statement's clauses as stored now (labels, numbers, text), without keeping its Y.Doc. */
export async function storedClauses(sql: Db, documentId: string): Promise<ClauseInfo[]> {
  const { ydoc, clauses } = await readStatement(sql, documentId);
  ydoc.destroy();
  return clauses;
}

/** The clause with this id in the statement as stored, or null (a forged or deleted id). */
export async function findClause(sql: Db, documentId: string, clauseId: string): Promise<ClauseInfo | null> {
  return (await storedClauses(sql, documentId)).find((c) => c.id === clauseId) ?? null;
}
