import type { Db } from "../db/sql";
import { negotiatingKinds, type ClauseSignal, type GivenSignal } from "../../app/statement/vocabulary";

/** The group a member delegation aligned with. */
export interface AlignedWith {
  id: string;
  code: string;
  name: string;
}

export interface SignalRow {
  id: string;
  clauseId: string;
  delegationId: string;
  delegationCode: string;
  delegationName: string;
  signal: ClauseSignal;
  /** Why not yet, or the reservation: an explanation of position kept outside the text. */
  reason: string;
  userId: string;
  userName: string;
  createdAt: Date;
  /** The delegation negotiates now, so the signal counts toward consensus. */
  counts: boolean;
  /** The signal is the group's, which this member delegation aligned with; null for its own. */
  alignedWith: AlignedWith | null;
}

/** A signal as given: an alignment is recorded as such, with its group. */
export type GivenSignalRow = Omit<SignalRow, "signal"> & { signal: GivenSignal };

const alignedWith = (sql: Db) => sql`
  case when s.aligned_group_id is null then null
  else (select json_build_object('id', g.id, 'code', g.code, 'name', g.name) from delegations g where g.id = s.aligned_group_id) end`;

const columns = (sql: Db) => sql`
  s.id::text as id, s.clause_id as "clauseId", s.delegation_id as "delegationId", d.code as "delegationCode",
  d.name as "delegationName", s.signal, s.reason, s.user_id as "userId", u.name as "userName", s.created_at as "createdAt",
  d.kind in ${sql(negotiatingKinds as string[])} as counts, ${alignedWith(sql)} as "alignedWith"`;

/** Appends a signal; the delegation's earlier ones stay as its history. */
export async function recordSignal(
  sql: Db,
  s: {
    documentId: string;
    clauseId: string;
    delegationId: string;
    signal: GivenSignal;
    reason: string;
    userId: string;
    alignedGroupId?: string;
  },
): Promise<void> {
  const reason = s.signal === "accept" || s.signal === "align" ? "" : s.reason;
  await sql`
    insert into clause_signals (document_id, clause_id, delegation_id, signal, reason, user_id, aligned_group_id)
    values (${s.documentId}, ${s.clauseId}, ${s.delegationId}, ${s.signal}, ${reason}, ${s.userId}, ${s.signal === "align" ? s.alignedGroupId! : null})`;
}

/**
 * Each delegation's effective signal on each clause of a statement, whether or not it negotiates
 * (`counts` says). A delegation that aligned with its group has the group's latest signal on the
 * clause, live: when the group changes its signal, the member's changes with it; while the group
 * has none, or once the delegation has left the group, the member has none either.
 */
export async function effectiveSignals(sql: Db, documentId: string): Promise<SignalRow[]> {
  return sql<SignalRow[]>`
    with latest as (
      select distinct on (clause_id, delegation_id) * from clause_signals
      where document_id = ${documentId} order by clause_id, delegation_id, id desc
    )
    select s.id::text as id, s.clause_id as "clauseId", s.delegation_id as "delegationId", d.code as "delegationCode",
      d.name as "delegationName", coalesce(g.signal, s.signal) as signal, coalesce(g.reason, s.reason) as reason,
      s.user_id as "userId", u.name as "userName", s.created_at as "createdAt",
      d.kind in ${sql(negotiatingKinds as string[])} as counts, ${alignedWith(sql)} as "alignedWith"
    from latest s join delegations d on d.id = s.delegation_id join users u on u.id = s.user_id
    left join latest g on s.signal = 'align' and g.clause_id = s.clause_id and g.delegation_id = s.aligned_group_id
    where s.signal <> 'align' or (g.id is not null and exists (
      select 1 from delegation_group_members m where m.group_id = s.aligned_group_id and m.member_id = s.delegation_id))
    order by d.name`;
}

/**
 * Each negotiating delegation's effective signal on each clause: what counts toward consensus. A
 * delegation whose kind no longer negotiates keeps its history, but its signals no longer count.
 */
export async function currentSignals(sql: Db, documentId: string): Promise<SignalRow[]> {
  return (await effectiveSignals(sql, documentId)).filter((s) => s.counts);
}

/** Every signal given on a statement's clauses, newest first: who, for which delegation, when. */
export async function signalHistory(sql: Db, documentId: string): Promise<GivenSignalRow[]> {
  return sql<GivenSignalRow[]>`
    select ${columns(sql)}
    from clause_signals s join delegations d on d.id = s.delegation_id join users u on u.id = s.user_id
    where s.document_id = ${documentId}
    order by s.id desc`;
}
