import { clauseComments, clauseThreadEvents } from "../../queries/story";
import type { CommentEntry, StorySource, ThreadEntry } from "./entries";

/**
 * The comments on the clause, threads and replies, and their resolving, reopening and pinning.
 * Every comment is every reader's who sees the negotiation (server/negotiation/comments.ts): no
 * comment is private to a delegation.
 */
export const commentHistorySource: StorySource = {
  name: "comments",
  sight: "negotiation",
  async entries({ sql, document, clauseId }) {
    const [comments, events] = await Promise.all([
      clauseComments(sql, document.id, clauseId),
      clauseThreadEvents(sql, document.id, clauseId),
    ]);
    const written: CommentEntry[] = comments.map((c) => ({
      kind: "comment",
      at: c.createdAt.toISOString(),
      threadId: c.threadId,
      reply: c.reply,
      body: c.body,
      quote: c.quote,
      by: c.authorName,
      affiliation: c.affiliation,
    }));
    const changed: ThreadEntry[] = events.map((e) => ({
      kind: "thread",
      at: e.createdAt.toISOString(),
      threadId: e.threadId,
      change: e.kind,
      by: e.userName,
    }));
    return [...written, ...changed];
  },
};
