import type { Sql } from "../db/sql";
import type { DocumentRow } from "../queries/documents";
import type { Access } from "../auth/permissions";
import type { ClauseInfo } from "../../app/statement/numbering";
import { maxWorkspaceNoteLength, maxWorkspaceNotes } from "../../app/statement/limits";
import { changeNegotiation } from "../negotiation/change";
import { findClause } from "../negotiation/numbering";
import { refuse } from "../negotiation/refusal";
import type { Tx } from "../audit/log";
import {
  countWorkspaceNotes,
  deleteWorkspaceHold,
  deleteWorkspaceNote,
  insertWorkspaceHold,
  insertWorkspaceNote,
  lockWorkspaceNote,
  updateWorkspaceNote,
} from "../queries/workspace";

/**
 * A delegation's own workspace on a statement: its members' notes on paragraphs and its holds
 * ("awaiting instructions from capital"). It is the delegation's alone: its delegates read and
 * write it, and nobody else — not the chair, the secretariat, a deployment administrator acting
 * as secretariat, an observer or another delegation (a group's members included) — reads any of
 * it, on any surface. The delegation always comes from the person's membership, never from a
 * form. Any member holds or clears a paragraph (a hold is the delegation's); a note is edited or
 * deleted by its author only (it is their word, which the others read).
 *
 * Nothing here is audited: these are working notes, not decisions, and the audit trail is the
 * secretariat's to read (an entry would tell it which paragraphs a delegation is holding).
 */

/** The person as a workspace member: their user id and delegation. */
export interface Member {
  userId: string;
  delegationId: string;
}

export const notAMember = "A delegation's workspace is its own: only its delegates read and write it.";

/** The delegation whose workspace the person may use, or null: delegates only, of their own delegation. */
export function workspaceDelegation(access: Pick<Access, "role" | "delegationId">): string | null {
  return access.role === "delegate" ? access.delegationId : null;
}

/** The person as a member of a delegation's workspace, or a refusal (403). */
export function workspaceMember(access: Pick<Access, "role" | "delegationId" | "userId">): Member {
  const delegationId = workspaceDelegation(access) ?? refuse(403, notAMember);
  return { userId: access.userId, delegationId };
}

/** A change to one delegation's workspace, in one transaction; only that delegation's pages are told of it once it is committed. */
const workspaceChange = <T>(sql: Sql, member: Member, documentId: string, run: (tx: Tx) => Promise<T>) =>
  changeNegotiation(
    sql,
    { documentId, actorId: member.userId, announce: () => [{ topic: "workspace", delegationId: member.delegationId }] },
    (tx) => run(tx),
  );

/** A note's text: trimmed, not empty, within the limit. */
function noteBody(body: string): string {
  const text = body.trim();
  if (!text) refuse(400, "Write the note.", "body");
  if (text.length > maxWorkspaceNoteLength)
    refuse(400, `Keep the note under ${maxWorkspaceNoteLength} characters (it has ${text.length}).`, "body");
  return text;
}

/** The paragraph of the statement as it stands, or a refusal: notes and holds are on paragraphs that exist. */
async function paragraph(sql: Sql, documentId: string, clauseId: string): Promise<ClauseInfo> {
  return (await findClause(sql, documentId, clauseId)) ?? refuse(400, "There is no such paragraph in this statement.", "clauseId");
}

export async function addNote(
  sql: Sql,
  member: Member,
  input: { documentId: string; clauseId: string; body: string },
): Promise<{ id: string; clause: ClauseInfo }> {
  const body = noteBody(input.body);
  const clause = await paragraph(sql, input.documentId, input.clauseId);
  const id = await workspaceChange(sql, member, input.documentId, async (tx) => {
    // Serializes a delegation's additions on the statement, so the limit holds under concurrent writers.
    await tx`select pg_advisory_xact_lock(hashtext(${`workspace:${input.documentId}:${member.delegationId}`}))`;
    if ((await countWorkspaceNotes(tx, input.documentId, member.delegationId)) >= maxWorkspaceNotes)
      refuse(409, `Your delegation keeps ${maxWorkspaceNotes} notes on this statement at most; delete some first.`);
    return insertWorkspaceNote(tx, { ...input, body, delegationId: member.delegationId, authorId: member.userId });
  });
  return { id, clause };
}

/** Edits (a new body) or deletes (null) one of the author's own notes. */
export async function changeNote(
  sql: Sql,
  member: Member,
  input: { documentId: string; noteId: string; body: string | null },
): Promise<void> {
  const body = input.body === null ? null : noteBody(input.body);
  await workspaceChange(sql, member, input.documentId, async (tx) => {
    const note =
      (await lockWorkspaceNote(tx, input.documentId, member.delegationId, input.noteId)) ?? refuse(404, "There is no such note.");
    if (note.authorId !== member.userId) refuse(403, `Only its author ${body === null ? "deletes" : "edits"} a note.`);
    if (body === null) await deleteWorkspaceNote(tx, note.id);
    else await updateWorkspaceNote(tx, note.id, body);
  });
}

/** Holds a paragraph for the delegation (awaiting instructions from capital), or clears its hold. */
export async function setHold(
  sql: Sql,
  member: Member,
  input: { document: Pick<DocumentRow, "id" | "adoptedAt">; clauseId: string; held: boolean },
): Promise<ClauseInfo | null> {
  const { document, clauseId, held } = input;
  // A hold is cleared even on a paragraph since removed; a new one needs the paragraph, and a text still negotiated.
  const clause = held ? await paragraph(sql, document.id, clauseId) : await findClause(sql, document.id, clauseId);
  if (held && document.adoptedAt) refuse(409, "The statement has been adopted; there is nothing left to hold.");
  const label = clause?.label ?? "That paragraph";
  await workspaceChange(sql, member, document.id, async (tx) => {
    if (
      held &&
      !(await insertWorkspaceHold(tx, { documentId: document.id, delegationId: member.delegationId, clauseId, setBy: member.userId }))
    )
      refuse(409, `Your delegation already holds ${label}.`);
    if (!held && !(await deleteWorkspaceHold(tx, document.id, member.delegationId, clauseId)))
      refuse(409, `Your delegation does not hold ${label}.`, "clauseId");
  });
  return clause;
}
