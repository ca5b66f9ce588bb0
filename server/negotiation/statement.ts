import * as Y from "yjs";
import type { Node as PMNode } from "@tiptap/pm/model";
import type { Db } from "../db/sql";
import { loadUpdates } from "../queries/document-state";
import { statementSchema } from "../../app/statement/schema";
import { listClauses, type ClauseInfo } from "../../app/statement/numbering";
import { statementJSON } from "../../app/statement/yjs-state";

/** A statement as stored: its Y.Doc, its ProseMirror document, and its clauses in order. */
export interface StoredStatement {
  ydoc: Y.Doc;
  doc: PMNode;
  clauses: ClauseInfo[];
}

/**
 * Reads a statement from PostgreSQL, the one source of truth (an edit is stored before anyone
 * sees it). The caller destroys `ydoc` when done. Clauses in `provisional` (see
 * negotiationMarks) are labelled "OP5 bis" rather than numbered.
 */
export async function readStatement(sql: Db, documentId: string, provisional?: ReadonlySet<string>): Promise<StoredStatement> {
  const ydoc = new Y.Doc();
  const updates = await loadUpdates(sql, documentId);
  Y.transact(ydoc, () => updates.forEach((u) => Y.applyUpdate(ydoc, u)));
  return { ydoc, ...statementFromYDoc(ydoc, provisional) };
}

export function statementFromYDoc(ydoc: Y.Doc, provisional?: ReadonlySet<string>): { doc: PMNode; clauses: ClauseInfo[] } {
  const doc = statementSchema.nodeFromJSON(statementJSON(ydoc));
  return { doc, clauses: listClauses(doc, provisional) };
}
