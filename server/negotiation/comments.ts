import * as Y from "yjs";
import { initProseMirrorDoc } from "@tiptap/y-tiptap";
import type { Db } from "../db/sql";
import { listComments, type CommentRow, type StoredAnchor } from "../queries/comments";
import { statementField, statementSchema } from "../../app/statement/schema";
import { listClauses } from "../../app/statement/numbering";
import { resolveAnchor, type EncodedAnchor, type ProsemirrorMapping } from "../../app/statement/anchor-positions";
import { readStatement } from "./statement";

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
 * encloses now, or an error for the field at fault.
 */
export async function validateCommentTarget(
  sql: Db,
  documentId: string,
  clauseId: string,
  anchor: EncodedAnchor | null,
): Promise<{ ok: true; anchor: StoredAnchor | null } | { ok: false; field: "clauseId" | "anchor"; error: string }> {
  const { ydoc } = await readStatement(sql, documentId);
  try {
    const { fragment, doc, mapping } = bindStatement(ydoc);
    const clause = listClauses(doc).find((c) => c.id === clauseId);
    if (!clause) return { ok: false, field: "clauseId", error: "There is no such clause in the statement." };
    if (!anchor) return { ok: true, anchor: null };
    const range = resolveAnchor(ydoc, fragment, mapping, anchor);
    if (!range) return { ok: false, field: "anchor", error: "The selected text could not be found in the statement; select it again." };
    const end = clause.pos + doc.nodeAt(clause.pos)!.nodeSize;
    if (range.from <= clause.pos || range.to >= end) return { ok: false, field: "anchor", error: "The selected text is not in this clause." };
    const quote = doc.textBetween(range.from, range.to, " ");
    return { ok: true, anchor: { ...anchor, quote: quote.length > maxQuoteLength ? `${quote.slice(0, maxQuoteLength - 1)}…` : quote } };
  } finally {
    ydoc.destroy();
  }
}

const view = (c: CommentRow, viewerId: string): CommentView => ({
  id: c.id,
  body: c.body,
  authorName: c.authorName,
  affiliation: c.affiliation,
  createdAt: c.createdAt.toISOString(),
  unread: c.unread,
  mine: c.authorId === viewerId,
});

/**
 * A statement's comment threads as one person sees them: replies under their thread, pinned
 * threads first, unread counts, and whether each anchor's text still exists in the stored text.
 */
export async function loadCommentThreads(sql: Db, documentId: string, viewerId: string): Promise<CommentThread[]> {
  const rows = await listComments(sql, documentId, viewerId);
  const threads = new Map<string, CommentThread>();
  for (const row of rows) {
    if (row.parentId) continue;
    threads.set(row.id, {
      ...view(row, viewerId),
      clauseId: row.clauseId,
      anchor: row.anchor,
      orphaned: false,
      resolved: row.resolvedAt ? { byName: row.resolvedByName ?? "", at: row.resolvedAt.toISOString() } : null,
      reopened: row.reopened ? { byName: row.reopened.byName, at: row.reopened.at.toISOString() } : null,
      pinned: row.pinnedAt ? { byName: row.pinnedByName ?? "", at: row.pinnedAt.toISOString() } : null,
      replies: [],
      unreadCount: Number(row.unread),
    });
  }
  for (const row of rows) {
    const thread = row.parentId ? threads.get(row.parentId) : undefined;
    if (!thread) continue;
    thread.replies.push(view(row, viewerId));
    thread.unreadCount += Number(row.unread);
  }
  const anchored = [...threads.values()].filter((t) => t.anchor);
  if (anchored.length > 0) {
    const { ydoc } = await readStatement(sql, documentId);
    try {
      const { fragment, mapping } = bindStatement(ydoc);
      for (const t of anchored) t.orphaned = resolveAnchor(ydoc, fragment, mapping, t.anchor!) === null;
    } finally {
      ydoc.destroy();
    }
  }
  return [...threads.values()].sort((a, b) => Number(!!b.pinned) - Number(!!a.pinned));
}
