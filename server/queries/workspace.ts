import type { Db } from "../db/sql";

/** A note in a delegation's workspace, with its author's name. */
export interface WorkspaceNoteRow {
  id: string;
  clauseId: string;
  body: string;
  authorId: string;
  authorName: string;
  createdAt: Date;
  updatedAt: Date;
}

/** A paragraph the delegation holds, awaiting instructions from capital. */
export interface WorkspaceHoldRow {
  clauseId: string;
  setById: string;
  setByName: string;
  setAt: Date;
}

/** Every query names the delegation: a workspace is only ever read or changed as one delegation's. */
export async function listWorkspaceNotes(sql: Db, documentId: string, delegationId: string): Promise<WorkspaceNoteRow[]> {
  return sql<WorkspaceNoteRow[]>`
    select n.id, n.clause_id as "clauseId", n.body, n.author_id as "authorId", u.name as "authorName",
      n.created_at as "createdAt", n.updated_at as "updatedAt"
    from workspace_notes n join users u on u.id = n.author_id
    where n.document_id = ${documentId} and n.delegation_id = ${delegationId}
    order by n.created_at, n.id`;
}

export async function listWorkspaceHolds(sql: Db, documentId: string, delegationId: string): Promise<WorkspaceHoldRow[]> {
  return sql<WorkspaceHoldRow[]>`
    select h.clause_id as "clauseId", h.set_by as "setById", u.name as "setByName", h.set_at as "setAt"
    from workspace_holds h join users u on u.id = h.set_by
    where h.document_id = ${documentId} and h.delegation_id = ${delegationId}
    order by h.set_at`;
}

/** What the statement page marks on each paragraph for the delegation: its holds and how many notes. */
export async function workspaceMarks(
  sql: Db,
  documentId: string,
  delegationId: string,
): Promise<{ held: string[]; notes: Record<string, number> }> {
  const [held, counts] = await Promise.all([
    sql<{ clauseId: string }[]>`
      select clause_id as "clauseId" from workspace_holds where document_id = ${documentId} and delegation_id = ${delegationId}`,
    sql<{ clauseId: string; count: number }[]>`
      select clause_id as "clauseId", count(*)::int as count from workspace_notes
      where document_id = ${documentId} and delegation_id = ${delegationId} group by clause_id`,
  ]);
  return { held: held.map((h) => h.clauseId), notes: Object.fromEntries(counts.map((c) => [c.clauseId, c.count])) };
}

export async function countWorkspaceNotes(tx: Db, documentId: string, delegationId: string): Promise<number> {
  const [row] = await tx<{ count: number }[]>`
    select count(*)::int as count from workspace_notes where document_id = ${documentId} and delegation_id = ${delegationId}`;
  return row.count;
}

export async function insertWorkspaceNote(
  tx: Db,
  note: { documentId: string; delegationId: string; clauseId: string; body: string; authorId: string },
): Promise<string> {
  const [row] = await tx<{ id: string }[]>`
    insert into workspace_notes (document_id, delegation_id, clause_id, body, author_id)
    values (${note.documentId}, ${note.delegationId}, ${note.clauseId}, ${note.body}, ${note.authorId})
    returning id`;
  return row.id;
}

/** The delegation's note, locked for its change; null for a note of another delegation or statement (or none). */
export async function lockWorkspaceNote(
  tx: Db,
  documentId: string,
  delegationId: string,
  noteId: string,
): Promise<{ id: string; authorId: string; clauseId: string } | null> {
  const [row] = await tx<{ id: string; authorId: string; clauseId: string }[]>`
    select id, author_id as "authorId", clause_id as "clauseId" from workspace_notes
    where id = ${noteId} and document_id = ${documentId} and delegation_id = ${delegationId}
    for update`;
  return row ?? null;
}

export async function updateWorkspaceNote(tx: Db, noteId: string, body: string): Promise<void> {
  await tx`update workspace_notes set body = ${body}, updated_at = now() where id = ${noteId}`;
}

export async function deleteWorkspaceNote(tx: Db, noteId: string): Promise<void> {
  await tx`delete from workspace_notes where id = ${noteId}`;
}

/** Holds a paragraph; false when the delegation already holds it. */
export async function insertWorkspaceHold(
  tx: Db,
  hold: { documentId: string; delegationId: string; clauseId: string; setBy: string },
): Promise<boolean> {
  const rows = await tx`
    insert into workspace_holds (document_id, delegation_id, clause_id, set_by)
    values (${hold.documentId}, ${hold.delegationId}, ${hold.clauseId}, ${hold.setBy})
    on conflict do nothing returning clause_id`;
  return rows.length === 1;
}

/** Clears a hold; false when the delegation did not hold the paragraph. */
export async function deleteWorkspaceHold(tx: Db, documentId: string, delegationId: string, clauseId: string): Promise<boolean> {
  const rows = await tx`
    delete from workspace_holds where document_id = ${documentId} and delegation_id = ${delegationId} and clause_id = ${clauseId}
    returning clause_id`;
  return rows.length === 1;
}
