import type { Db } from "../db/sql";
import type { EncodedAnchor } from "../../app/statement/anchor-positions";
import { isUuid } from "./ids";

/** The stored anchor: the two relative positions, and the text they enclosed when the thread began. */
export interface StoredAnchor extends EncodedAnchor {
  quote: string;
}

export type CommentRole = "secretariat" | "chair" | "delegate";

export interface CommentRow {
  id: string;
  clauseId: string;
  parentId: string | null;
  anchor: StoredAnchor | null;
  body: string;
  authorId: string;
  authorName: string;
  /** The delegation's name for a delegate, else "Chair" or "Secretariat". */
  affiliation: string;
  createdAt: Date;
  resolvedAt: Date | null;
  resolvedByName: string | null;
  pinnedAt: Date | null;
  pinnedByName: string | null;
  /** The latest reopening, when the thread was reopened and is not resolved again. */
  reopened: { byName: string; at: Date } | null;
}

/** Every comment on a statement, threads and replies, oldest first: the same for every reader. */
export async function listComments(sql: Db, documentId: string): Promise<CommentRow[]> {
  const rows = await sql<(Omit<CommentRow, "reopened"> & { reopened: { byName: string; at: string } | null })[]>`
    select c.id, c.clause_id as "clauseId", c.parent_id as "parentId", c.anchor, c.body,
           c.author_id as "authorId", au.name as "authorName",
           case when d.id is not null then d.name when c.author_role = 'chair' then 'Chair' else 'Secretariat' end as affiliation,
           c.created_at as "createdAt",
           c.resolved_at as "resolvedAt", ru.name as "resolvedByName", c.pinned_at as "pinnedAt", pu.name as "pinnedByName",
           case when c.parent_id is null and c.resolved_at is null then
             (select json_build_object('byName', eu.name, 'at', e.created_at)
                from comment_events e join users eu on eu.id = e.user_id
               where e.thread_id = c.id and e.kind = 'reopened' order by e.id desc limit 1)
           end as reopened
    from comments c
    join users au on au.id = c.author_id
    left join delegations d on d.id = c.delegation_id
    left join users ru on ru.id = c.resolved_by
    left join users pu on pu.id = c.pinned_by
    where c.document_id = ${documentId}
    order by c.created_at, c.id`;
  // json_build_object leaves timestamps as strings.
  return rows.map((r) => ({ ...r, reopened: r.reopened ? { byName: r.reopened.byName, at: new Date(r.reopened.at) } : null }));
}

/**
 * Of a statement's comments (or those of some threads), which each of these readers has not read:
 * comments by others created after the reader last read the thread (all of them if never).
 * One query for every reader of a page, or for every page open when a thread changes.
 */
export async function unreadComments(
  sql: Db,
  documentId: string,
  readerIds: readonly string[],
  threadIds?: readonly string[],
): Promise<Map<string, Set<string>>> {
  const unread = new Map<string, Set<string>>(readerIds.map((id) => [id, new Set<string>()]));
  if (readerIds.length === 0 || threadIds?.length === 0) return unread;
  const rows = await sql<{ readerId: string; commentId: string }[]>`
    select u.id as "readerId", c.id as "commentId"
    from unnest(${sql.array(readerIds as string[])}::uuid[]) as u(id)
    join comments c on c.document_id = ${documentId} and c.author_id <> u.id
    left join comment_reads r on r.user_id = u.id and r.thread_id = coalesce(c.parent_id, c.id)
    where c.created_at > coalesce(r.read_at, '-infinity')
      ${threadIds ? sql`and coalesce(c.parent_id, c.id) = any(${sql.array(threadIds as string[])}::uuid[])` : sql``}`;
  for (const r of rows) unread.get(r.readerId)!.add(r.commentId);
  return unread;
}

export interface ThreadRef {
  id: string;
  clauseId: string;
  resolved: boolean;
  pinned: boolean;
}

/** A thread (not a reply) of this statement; anything else, or a forged id, is null. */
export async function findThread(sql: Db, documentId: string, threadId: string): Promise<ThreadRef | null> {
  if (!isUuid(threadId)) return null;
  const [row] = await sql<ThreadRef[]>`
    select id, clause_id as "clauseId", resolved_at is not null as resolved, pinned_at is not null as pinned
    from comments where document_id = ${documentId} and id = ${threadId} and parent_id is null`;
  return row ?? null;
}

export async function createComment(
  sql: Db,
  c: {
    documentId: string;
    clauseId: string;
    parentId: string | null;
    anchor: StoredAnchor | null;
    body: string;
    authorId: string;
    authorRole: CommentRole;
    delegationId: string | null;
  },
): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    insert into comments (document_id, clause_id, parent_id, anchor, body, author_id, author_role, delegation_id)
    values (${c.documentId}, ${c.clauseId}, ${c.parentId}, ${c.anchor ? sql.json(c.anchor as never) : null}, ${c.body},
            ${c.authorId}, ${c.authorRole}, ${c.delegationId})
    returning id`;
  return row.id;
}

/** Resolves or reopens a thread; false when it already was so (nothing is recorded then). Call it in a transaction. */
export async function setThreadResolved(tx: Db, threadId: string, userId: string, resolved: boolean): Promise<boolean> {
  const changed = resolved
    ? await tx`update comments set resolved_at = now(), resolved_by = ${userId} where id = ${threadId} and resolved_at is null`
    : await tx`update comments set resolved_at = null, resolved_by = null where id = ${threadId} and resolved_at is not null`;
  if (changed.count === 0) return false;
  await tx`insert into comment_events (thread_id, kind, user_id) values (${threadId}, ${resolved ? "resolved" : "reopened"}, ${userId})`;
  return true;
}

/**
 * Pins a thread on its clause, unpinning the one pinned there before (one pinned thread per
 * clause). Call it in a transaction, which holds the clause's pin lock until it ends.
 */
export async function pinThread(tx: Db, documentId: string, thread: ThreadRef, userId: string): Promise<boolean> {
  // Two chairs pinning on one clause at once: the second waits, then unpins the first's.
  await tx`select pg_advisory_xact_lock(hashtext(${`concord:pin:${documentId}:${thread.clauseId}`}))`;
  const previous = await tx<{ id: string }[]>`
    update comments set pinned_at = null, pinned_by = null
    where document_id = ${documentId} and clause_id = ${thread.clauseId} and pinned_at is not null and id <> ${thread.id}
    returning id`;
  for (const p of previous) await tx`insert into comment_events (thread_id, kind, user_id) values (${p.id}, 'unpinned', ${userId})`;
  const pinned = await tx`update comments set pinned_at = now(), pinned_by = ${userId} where id = ${thread.id} and pinned_at is null`;
  if (pinned.count > 0) await tx`insert into comment_events (thread_id, kind, user_id) values (${thread.id}, 'pinned', ${userId})`;
  return pinned.count > 0 || previous.length > 0;
}

/** Call it in a transaction. */
export async function unpinThread(tx: Db, threadId: string, userId: string): Promise<boolean> {
  const changed = await tx`update comments set pinned_at = null, pinned_by = null where id = ${threadId} and pinned_at is not null`;
  if (changed.count === 0) return false;
  await tx`insert into comment_events (thread_id, kind, user_id) values (${threadId}, 'unpinned', ${userId})`;
  return true;
}

/** The person has now seen everything in the thread. */
export async function markThreadRead(sql: Db, userId: string, threadId: string): Promise<void> {
  await sql`
    insert into comment_reads (user_id, thread_id, read_at) values (${userId}, ${threadId}, now())
    on conflict (user_id, thread_id) do update set read_at = greatest(comment_reads.read_at, excluded.read_at)`;
}
