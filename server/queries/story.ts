import type { Db } from "../db/sql";
import type { ClauseState, GivenSignal, ProposalEventKind } from "../../app/statement/vocabulary";

/**
 * What is stored about one clause (by its stable id) across a statement's history, each row with
 * who and when: what a paragraph's story (server/negotiation/story/) is made of. The texts
 * themselves come from the versions (server/queries/versions.ts) and the stored statement.
 */

/** Versions' full Yjs states and clause states by id (those the story's cache has not read yet). */
export async function versionStates(
  sql: Db,
  documentId: string,
  ids: readonly string[],
): Promise<Map<string, { state: Uint8Array; clauseStates: Record<string, ClauseState> }>> {
  if (ids.length === 0) return new Map();
  const rows = await sql<{ id: string; state: Buffer; clauseStates: Record<string, ClauseState> }[]>`
    select id, state, clause_states as "clauseStates" from versions
    where document_id = ${documentId} and id = any(${sql.array(ids as string[])}::uuid[])`;
  return new Map(rows.map((r) => [r.id, { state: new Uint8Array(r.state), clauseStates: r.clauseStates }]));
}

/** When the stored text last changed: its newest logged update, or its snapshot when everything is folded. */
export async function lastTextChange(sql: Db, documentId: string): Promise<Date | null> {
  const [row] = await sql<{ at: Date | null }[]>`
    select coalesce((select max(created_at) from document_updates where document_id = ${documentId}),
                    (select updated_at from document_snapshots where document_id = ${documentId})) as at`;
  return row.at;
}

/** Names of people by user id (the owners of Yjs client ids). */
export async function userNames(sql: Db, ids: readonly string[]): Promise<Map<string, string>> {
  const uuids = ids.filter((id) => /^[0-9a-f-]{36}$/i.test(id));
  if (uuids.length === 0) return new Map();
  const rows = await sql<{ id: string; name: string }[]>`select id, name from users where id = any(${sql.array(uuids)}::uuid[])`;
  return new Map(rows.map((r) => [r.id, r.name]));
}

export interface ProposalHistoryRow {
  proposalId: string;
  kind: ProposalEventKind;
  userName: string;
  delegationCode: string | null;
  reason: string;
  createdAt: Date;
}

/** What happened to these proposals, oldest first. */
export async function proposalHistory(sql: Db, proposalIds: readonly string[]): Promise<ProposalHistoryRow[]> {
  if (proposalIds.length === 0) return [];
  return sql<ProposalHistoryRow[]>`
    select e.proposal_id as "proposalId", e.kind, u.name as "userName", d.code as "delegationCode", e.reason,
           e.created_at as "createdAt"
    from proposal_events e join users u on u.id = e.user_id left join delegations d on d.id = e.delegation_id
    where e.proposal_id = any(${sql.array(proposalIds as string[])}::uuid[]) order by e.id`;
}

export interface RevisionRow {
  proposalId: string;
  revision: number;
  text: string;
  baseText: string;
}

/** The submitted revisions of these proposals with their texts. */
export async function proposalRevisionTexts(sql: Db, proposalIds: readonly string[]): Promise<RevisionRow[]> {
  if (proposalIds.length === 0) return [];
  return sql<RevisionRow[]>`
    select r.proposal_id as "proposalId", r.revision, r.text, r.base_text as "baseText"
    from proposal_revisions r where r.proposal_id = any(${sql.array(proposalIds as string[])}::uuid[])`;
}

export interface ClauseStateChange {
  state: ClauseState;
  reason: string;
  userName: string | null;
  createdAt: Date;
}

/** Every state set on the clause, oldest first. */
export async function clauseStateChanges(sql: Db, documentId: string, clauseId: string): Promise<ClauseStateChange[]> {
  return sql<ClauseStateChange[]>`
    select c.state, c.reason, u.name as "userName", c.created_at as "createdAt"
    from clause_states c left join users u on u.id = c.user_id
    where c.document_id = ${documentId} and c.clause_id = ${clauseId} order by c.id`;
}

export interface ClauseSignalGiven {
  signal: GivenSignal;
  reason: string;
  delegationName: string;
  delegationCode: string;
  alignedWithCode: string | null;
  userName: string;
  createdAt: Date;
}

/** Every signal given on the clause, oldest first. */
export async function clauseSignalsGiven(sql: Db, documentId: string, clauseId: string): Promise<ClauseSignalGiven[]> {
  return sql<ClauseSignalGiven[]>`
    select s.signal, s.reason, d.name as "delegationName", d.code as "delegationCode", g.code as "alignedWithCode",
           u.name as "userName", s.created_at as "createdAt"
    from clause_signals s join delegations d on d.id = s.delegation_id join users u on u.id = s.user_id
    left join delegations g on g.id = s.aligned_group_id
    where s.document_id = ${documentId} and s.clause_id = ${clauseId} order by s.id`;
}

export interface ClauseComment {
  id: string;
  threadId: string;
  reply: boolean;
  body: string;
  quote: string | null;
  authorName: string;
  affiliation: string;
  createdAt: Date;
}

/** Every comment on the clause (threads and replies), oldest first, with its author as the thread records them. */
export async function clauseComments(sql: Db, documentId: string, clauseId: string): Promise<ClauseComment[]> {
  return sql<ClauseComment[]>`
    select c.id, coalesce(c.parent_id, c.id) as "threadId", c.parent_id is not null as reply, c.body, c.anchor->>'quote' as quote,
           au.name as "authorName",
           case when d.id is not null then d.name when c.author_role = 'chair' then 'Chair' else 'Secretariat' end as affiliation,
           c.created_at as "createdAt"
    from comments c join users au on au.id = c.author_id left join delegations d on d.id = c.delegation_id
    where c.document_id = ${documentId} and c.clause_id = ${clauseId} order by c.created_at, c.id`;
}

export interface ThreadEventRow {
  threadId: string;
  kind: "resolved" | "reopened" | "pinned" | "unpinned";
  userName: string;
  createdAt: Date;
}

/** Resolving, reopening and pinning of the clause's threads, oldest first. */
export async function clauseThreadEvents(sql: Db, documentId: string, clauseId: string): Promise<ThreadEventRow[]> {
  return sql<ThreadEventRow[]>`
    select e.thread_id as "threadId", e.kind, u.name as "userName", e.created_at as "createdAt"
    from comment_events e join comments c on c.id = e.thread_id join users u on u.id = e.user_id
    where c.document_id = ${documentId} and c.clause_id = ${clauseId} order by e.id`;
}
