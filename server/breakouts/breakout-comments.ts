import type { Sql, Db } from "../db/sql";
import { createComment, findThread, markThreadRead, type CommentRole } from "../queries/comments";
import type { BreakoutRow } from "../queries/breakouts";
import { loadCommentThreads, assertMayComment, type CommentThread } from "../negotiation/comments";
import { changeNegotiation } from "../negotiation/change";
import type { Actor } from "../negotiation/actor";
import { refuse } from "../negotiation/refusal";
import { audienceOf, breakoutName, isParticipant } from "./rules";

/**
 * A breakout's comments: the negotiation's comment threads, kept on each clause's breakout text
 * document (comments.document_id) rather than on the statement, so that they are read with the
 * breakout, by those who may read it, and never with the statement. Threads are on a whole clause.
 */

/** The breakout's participants who may comment at all write, while the breakout runs. */
export function assertMayCommentInBreakout(b: BreakoutRow, actor: Actor): void {
  assertMayComment(actor);
  if (!isParticipant(b, actor)) refuse(403, `Only ${breakoutName(b)}'s participants comment in it.`);
  if (b.status === "ended") refuse(409, `${breakoutName(b)} has ended.`);
}

/** Starts a thread on one of the breakout's clauses, or replies to one; the author has read it. */
export async function commentInBreakout(
  sql: Sql,
  actor: Actor,
  b: BreakoutRow,
  input: { clauseId: string; threadId: string | null; body: string },
): Promise<void> {
  assertMayCommentInBreakout(b, actor);
  const clause =
    b.clauses.find((c) => c.clauseId === input.clauseId) ?? refuse(404, "There is no such clause in this breakout.", "clauseId");
  const thread = input.threadId
    ? ((await findThread(sql, clause.textDocumentId, input.threadId)) ?? refuse(404, "There is no such comment thread."))
    : null;
  const change = {
    documentId: b.statementId,
    actorId: actor.userId,
    announce: () => [{ topic: "breakouts" as const, withinBreakouts: true, breakout: audienceOf(b) }],
  };
  await changeNegotiation(sql, change, async (tx) => {
    const id = await createComment(tx, {
      documentId: clause.textDocumentId,
      clauseId: clause.clauseId,
      parentId: thread?.id ?? null,
      anchor: null,
      body: input.body,
      authorId: actor.userId,
      authorRole: actor.role as CommentRole,
      delegationId: actor.delegationId,
    });
    await markThreadRead(tx, actor.userId, thread?.id ?? id);
  });
}

/** Each of the breakout's clauses' threads as this reader sees them, by clause id. */
export async function breakoutThreads(sql: Db, b: BreakoutRow, readerId: string): Promise<Record<string, CommentThread[]>> {
  const threads = await Promise.all(b.clauses.map((c) => loadCommentThreads(sql, c.textDocumentId, readerId)));
  return Object.fromEntries(b.clauses.map((c, i) => [c.clauseId, threads[i]]));
}
