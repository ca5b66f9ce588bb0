import type { Db } from "../db/sql";
import { negotiatingKinds, type ClauseSignal } from "../../app/statement/vocabulary";

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
}

const columns = (sql: Db) => sql`
  s.id::text as id, s.clause_id as "clauseId", s.delegation_id as "delegationId", d.code as "delegationCode",
  d.name as "delegationName", s.signal, s.reason, s.user_id as "userId", u.name as "userName", s.created_at as "createdAt",
  d.kind in ${sql(negotiatingKinds as string[])} as counts`;

/** Appends a signal; the delegation's earlier ones stay as its history. */
export async function recordSignal(
  sql: Db,
  s: { documentId: string; clauseId: string; delegationId: string; signal: ClauseSignal; reason: string; userId: string },
): Promise<void> {
  await sql`
    insert into clause_signals (document_id, clause_id, delegation_id, signal, reason, user_id)
    values (${s.documentId}, ${s.clauseId}, ${s.delegationId}, ${s.signal}, ${s.signal === "accept" ? "" : s.reason}, ${s.userId})`;
}

/**
 * Each negotiating delegation's latest signal on each clause of a statement: what counts toward
 * consensus. A delegation whose kind no longer negotiates keeps its history, but its signals no
 * longer count.
 */
export async function currentSignals(sql: Db, documentId: string): Promise<SignalRow[]> {
  return sql<SignalRow[]>`
    select * from (
      select distinct on (s.clause_id, s.delegation_id) ${columns(sql)}
      from clause_signals s join delegations d on d.id = s.delegation_id join users u on u.id = s.user_id
      where s.document_id = ${documentId} and d.kind in ${sql(negotiatingKinds as string[])}
      order by s.clause_id, s.delegation_id, s.id desc
    ) latest order by "delegationName"`;
}

/** Every signal given on a statement's clauses, newest first: who, for which delegation, when. */
export async function signalHistory(sql: Db, documentId: string): Promise<SignalRow[]> {
  return sql<SignalRow[]>`
    select ${columns(sql)}
    from clause_signals s join delegations d on d.id = s.delegation_id join users u on u.id = s.user_id
    where s.document_id = ${documentId}
    order by s.id desc`;
}
