import * as Y from "yjs";
import { initProseMirrorDoc } from "@tiptap/y-tiptap";
import type { Db, Sql } from "../db/sql";
import { can } from "../auth/permissions";
import {
  createComment,
  findThread,
  listComments,
  markThreadRead,
  pinThread,
  setThreadResolved,
  unpinThread,
  type CommentRole,
  type CommentRow,
  type StoredAnchor,
  unreadComments,
} from "../queries/comments";
import { statementField, statementSchema } from "../../app/statement/schema";
import { clauseNodes } from "../../app/statement/numbering";
import { resolveAnchor, type EncodedAnchor, type ProsemirrorMapping } from "../../app/statement/anchor-positions";
import type { Actor } from "./actor";
import { changeNegotiation } from "./change";
import { refuse } from "./refusal";
import { readStoredDoc } from "./statement";
import { commentNotices } from "../notifications/negotiation-notices";

/** Longest quote kept with an anchored thread; the anchor itself covers the whole range. */
const maxQuoteLength = 300;

export interface CommentView {
  id: string;
  body: string;
  authorName: string;
  affiliation: string;
  createdAt: string;
  unread: boolean;
  mine: boolean;
}

export interface CommentThread extends CommentView {
  clauseId: string;
  anchor: StoredAnchor | null;
  /** Anchored, but its text has been deleted. */
  orphaned: boolean;
  resolved: { byName: string; at: string } | null;
  reopened: { byName: string; at: string } | null;
  pinned: { byName: string; at: string } | null;
  replies: CommentView[];
  /** Comments in the thread (itself and its replies) the viewer has not read. */
  unreadCount: number;
}

/** The stored statement laid out as the editor does, so anchors resolve to the same positions. */
function bindStatement(ydoc: Y.Doc) {
  const fragment = ydoc.getXmlFragment(statementField);
  const { doc, mapping } = initProseMirrorDoc(fragment, statementSchema);
  // y-tiptap declares the mapping as Map<any, any>; it is the binding's node mapping.
  return { fragment, doc, mapping: mapping as ProsemirrorMapping };
}

/**
 * Checks where a new thread goes against the stored text: the clause must exist, and an anchor's
 * two ends must resolve, in this order, inside that clause. Returns the anchor with the text it
 * encloses now; refuses for the field at fault.
 */
async function storedAnchor(sql: Db, documentId: string, clauseId: string, anchor: EncodedAnchor | null): Promise<StoredAnchor | null> {
  return readStoredDoc(sql, documentId, (ydoc) => {
    const { fragment, doc, mapping } = bindStatement(ydoc);
    const clause = clauseNodes(doc).find((c) => c.id === clauseId) ?? refuse(400, "There is no such clause in the statement.", "clauseId");
    if (!anchor) return null;
    const range =
      resolveAnchor(ydoc, fragment, mapping, anchor) ??
      refuse(400, "The selected text could not be found in the statement; select it again.", "anchor");
    const end = clause.pos + doc.nodeAt(clause.pos)!.nodeSize;
    if (range.from <= clause.pos || range.to >= end) refuse(400, "The selected text is not in this clause.", "anchor");
    const quote = doc.textBetween(range.from, range.to, " ");
    return { ...anchor, quote: quote.length > maxQuoteLength ? `${quote.slice(0, maxQuoteLength - 1)}…` : quote };
  });
}

/** Members who may comment write, reply, resolve and reopen; anyone who can see the statement marks a thread read. */
export function assertMayComment(actor: Actor): void {
  if (!can(actor, "negotiation:comment")) refuse(403, "Observers cannot comment.");
}

export function assertMayPin(actor: Actor): void {
  if (!actor.isChair) refuse(403, "Only the chair pins threads.");
}

const announced = (changed: boolean) => (changed ? [{ topic: "comments" as const }] : []);

/** A comment's author, as the thread records them. */
const author = (actor: Actor) => ({ authorId: actor.userId, authorRole: actor.role as CommentRole, delegationId: actor.delegationId });

async function thread(sql: Db, documentId: string, threadId: string) {
  return (await findThread(sql, documentId, threadId)) ?? refuse(404, "There is no such comment thread.");
}

/** Starts a thread on a clause, or on a passage of it; the author has read it. Returns the thread's id. */
export async function startThread(
  sql: Sql,
  actor: Actor,
  input: { documentId: string; clauseId: string; anchor: EncodedAnchor | null; body: string },
): Promise<string> {
  const { documentId, clauseId, body } = input;
  assertMayComment(actor);
  const anchor = await storedAnchor(sql, documentId, clauseId, input.anchor);
  const change = { documentId, actorId: actor.userId, announce: () => announced(true) };
  return changeNegotiation(sql, change, async (tx) => {
    const id = await createComment(tx, { documentId, clauseId, parentId: null, anchor, body, ...author(actor) });
    await markThreadRead(tx, actor.userId, id);
    await commentNotices(tx, actor, { documentId, threadId: id, clauseId, body, reply: false });
    return id;
  });
}

export async function replyToThread(sql: Sql, actor: Actor, input: { documentId: string; threadId: string; body: string }): Promise<void> {
  assertMayComment(actor);
  const { id, clauseId } = await thread(sql, input.documentId, input.threadId);
  const change = { documentId: input.documentId, actorId: actor.userId, announce: () => announced(true) };
  await changeNegotiation(sql, change, async (tx) => {
    await createComment(tx, { documentId: input.documentId, clauseId, parentId: id, anchor: null, body: input.body, ...author(actor) });
    // Replying means having read what one replies to.
    await markThreadRead(tx, actor.userId, id);
    await commentNotices(tx, actor, { documentId: input.documentId, threadId: id, clauseId, body: input.body, reply: true });
  });
}

/** Only the reader's own markers change: nobody else needs to reload. */
export async function markRead(sql: Sql, actor: Actor, input: { documentId: string; threadId: string }): Promise<void> {
  const { id } = await thread(sql, input.documentId, input.threadId);
  await markThreadRead(sql, actor.userId, id);
}

export type ThreadChange = "resolve" | "reopen" | "pin" | "unpin";

/** Resolves, reopens, pins or unpins a thread; announced only when it changed something. */
export async function changeThread(
  sql: Sql,
  actor: Actor,
  input: { documentId: string; threadId: string; change: ThreadChange },
): Promise<void> {
  assertMayComment(actor);
  if (input.change === "pin" || input.change === "unpin") assertMayPin(actor);
  const found = await thread(sql, input.documentId, input.threadId);
  await changeNegotiation(sql, { documentId: input.documentId, actorId: actor.userId, announce: announced }, (tx) => {
    switch (input.change) {
      case "resolve":
      case "reopen":
        return setThreadResolved(tx, found.id, actor.userId, input.change === "resolve");
      case "pin":
        return pinThread(tx, input.documentId, found, actor.userId);
      case "unpin":
        return unpinThread(tx, found.id, actor.userId);
    }
  });
}

/** A comment as every reader sees it; whether it is the reader's, and read, is added per reader. */
export interface SharedComment extends Omit<CommentView, "unread" | "mine"> {
  authorId: string;
}

export interface SharedThread extends Omit<CommentThread, "unread" | "mine" | "replies" | "unreadCount">, SharedComment {
  replies: SharedComment[];
}

const shared = (c: CommentRow): SharedComment => ({
  id: c.id,
  body: c.body,
  authorId: c.authorId,
  authorName: c.authorName,
  affiliation: c.affiliation,
  createdAt: c.createdAt.toISOString(),
});

/**
 * A statement's comment threads as every reader sees them: replies under their thread, pinned
 * threads first, and whether each anchor's text still exists in the stored text.
 */
export async function sharedThreads(sql: Db, documentId: string): Promise<SharedThread[]> {
  const threads = threadsOf(await listComments(sql, documentId));
  if (threads.some((t) => t.anchor)) await readStoredDoc(sql, documentId, (ydoc) => markOrphans(ydoc, threads));
  return threads;
}

/** The threads of these comments (`listComments`), none orphaned yet (`markOrphans`). */
export function threadsOf(rows: readonly CommentRow[]): SharedThread[] {
  const threads = new Map<string, SharedThread>();
  for (const row of rows) {
    if (row.parentId) continue;
    threads.set(row.id, {
      ...shared(row),
      clauseId: row.clauseId,
      anchor: row.anchor,
      orphaned: false,
      resolved: row.resolvedAt ? { byName: row.resolvedByName ?? "", at: row.resolvedAt.toISOString() } : null,
      reopened: row.reopened ? { byName: row.reopened.byName, at: row.reopened.at.toISOString() } : null,
      pinned: row.pinnedAt ? { byName: row.pinnedByName ?? "", at: row.pinnedAt.toISOString() } : null,
      replies: [],
    });
  }
  for (const row of rows) if (row.parentId) threads.get(row.parentId)?.replies.push(shared(row));
  return [...threads.values()].sort((a, b) => Number(!!b.pinned) - Number(!!a.pinned));
}

/** Marks the anchored threads whose text is no longer in the statement (`ydoc`, as stored). */
export function markOrphans(ydoc: Y.Doc, threads: SharedThread[]): void {
  const anchored = threads.filter((t) => t.anchor);
  if (anchored.length === 0) return;
  const { fragment, mapping } = bindStatement(ydoc);
  for (const t of anchored) t.orphaned = resolveAnchor(ydoc, fragment, mapping, t.anchor!) === null;
}

const personal = (c: SharedComment, readerId: string, unread: ReadonlySet<string>): CommentView => ({
  id: c.id,
  body: c.body,
  authorName: c.authorName,
  affiliation: c.affiliation,
  createdAt: c.createdAt,
  unread: unread.has(c.id),
  mine: c.authorId === readerId,
});

/** Threads as one reader sees them: their own comments, and what they have not read (`unread`: comment ids). */
export function personalThreads(threads: readonly SharedThread[], readerId: string, unread: ReadonlySet<string>): CommentThread[] {
  return threads.map((t) => {
    const own = personal(t, readerId, unread);
    const replies = t.replies.map((r) => personal(r, readerId, unread));
    const { clauseId, anchor, orphaned, resolved, reopened, pinned } = t;
    const unreadCount = [own, ...replies].filter((c) => c.unread).length;
    return { ...own, clauseId, anchor, orphaned, resolved, reopened, pinned, replies, unreadCount };
  });
}

/** A statement's comment threads as one person sees them (shared threads, with what they have not read). */
export async function loadCommentThreads(sql: Db, documentId: string, viewerId: string): Promise<CommentThread[]> {
  const [threads, unread] = await Promise.all([sharedThreads(sql, documentId), unreadComments(sql, documentId, [viewerId])]);
  return personalThreads(threads, viewerId, unread.get(viewerId)!);
}
