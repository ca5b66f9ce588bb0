import type { Db } from "../db/sql";
import { isUuid } from "./ids";
import type { ClauseState } from "../../app/statement/vocabulary";

export type VersionKind = "named" | "checkpoint" | "restore";

/** A version as lists show it (without its state). */
export interface VersionSummary {
  id: string;
  number: number;
  kind: VersionKind;
  name: string | null;
  createdBy: string | null;
  createdByName: string | null;
  createdAt: Date;
  proposalId: string | null;
  /** "P7" for a checkpoint after an accepted proposal. */
  proposalNumber: number | null;
  restoredFrom: string | null;
  restoredFromNumber: number | null;
}

export interface VersionRow extends VersionSummary {
  state: Uint8Array;
  stateVector: Uint8Array;
  clauseStates: Record<string, ClauseState>;
}

const summaryColumns = (sql: Db) => sql`
  v.id, v.number, v.kind, v.name, v.created_by as "createdBy", u.name as "createdByName", v.created_at as "createdAt",
  v.proposal_id as "proposalId", p.number as "proposalNumber", v.restored_from as "restoredFrom", r.number as "restoredFromNumber"`;

const joins = (sql: Db) => sql`
  left join users u on u.id = v.created_by
  left join proposals p on p.id = v.proposal_id
  left join versions r on r.id = v.restored_from`;

/** Every version of a statement, newest first. */
export async function listVersions(sql: Db, documentId: string): Promise<VersionSummary[]> {
  return sql<VersionSummary[]>`
    select ${summaryColumns(sql)} from versions v ${joins(sql)}
    where v.document_id = ${documentId} order by v.number desc`;
}

/** A version of this statement, or null (also for an id that is not one). */
export async function findVersion(sql: Db, documentId: string, versionId: string): Promise<VersionRow | null> {
  if (!isUuid(versionId)) return null;
  const [row] = await sql<(VersionSummary & { state: Buffer; stateVector: Buffer; clauseStates: Record<string, ClauseState> })[]>`
    select ${summaryColumns(sql)}, v.state, v.state_vector as "stateVector", v.clause_states as "clauseStates"
    from versions v ${joins(sql)}
    where v.document_id = ${documentId} and v.id = ${versionId}`;
  if (!row) return null;
  return { ...row, state: new Uint8Array(row.state), stateVector: new Uint8Array(row.stateVector) };
}

/** The newest named revision of a statement (its zero draft at least, once created), or null. */
export async function findLatestNamedVersion(sql: Db, documentId: string): Promise<VersionRow | null> {
  const [row] = await sql<{ id: string }[]>`
    select id from versions where document_id = ${documentId} and kind = 'named' order by number desc limit 1`;
  return row ? findVersion(sql, documentId, row.id) : null;
}

/**
 * Takes the statement's turn for writing a version (numbers are given under it). NO KEY UPDATE,
 * as compaction takes it: it does not block the update log's appends.
 */
export async function lockForVersion(tx: Db, documentId: string): Promise<void> {
  await tx`select id from documents where id = ${documentId} for no key update`;
}

export interface NewVersion {
  documentId: string;
  kind: VersionKind;
  name: string | null;
  state: Uint8Array;
  stateVector: Uint8Array;
  clauseStates: Record<string, ClauseState>;
  createdBy: string | null;
  proposalId: string | null;
  restoredFrom: string | null;
}

/** Call under lockForVersion. */
export async function insertVersion(tx: Db, v: NewVersion): Promise<{ id: string; number: number }> {
  const [row] = await tx<{ id: string; number: number }[]>`
    insert into versions (document_id, number, kind, name, state, state_vector, clause_states, created_by, proposal_id, restored_from)
    values (${v.documentId}, (select coalesce(max(number), 0) + 1 from versions where document_id = ${v.documentId}), ${v.kind}, ${v.name},
            ${Buffer.from(v.state)}, ${Buffer.from(v.stateVector)}, ${tx.json(v.clauseStates)}, ${v.createdBy}, ${v.proposalId},
            ${v.restoredFrom})
    returning id, number`;
  return row;
}

/**
 * Thins a statement's timed checkpoints (kind 'checkpoint' without a proposal, and not restored
 * from): all of the last day are kept; older ones, only the newest of each hour; and of what
 * remains, only the newest `keep`. Named revisions, restores and checkpoints after accepted
 * proposals are never removed. Returns how many were removed.
 */
export async function thinCheckpoints(tx: Db, documentId: string, keep: number): Promise<number> {
  const removed = await tx`
    with timed as (
      select v.id, v.created_at,
             row_number() over (partition by date_trunc('hour', v.created_at) order by v.created_at desc, v.number desc) as in_hour,
             row_number() over (order by v.created_at desc, v.number desc) as newest
      from versions v
      where v.document_id = ${documentId} and v.kind = 'checkpoint' and v.proposal_id is null
        and not exists (select 1 from versions r where r.restored_from = v.id)
    )
    delete from versions where id in (
      select id from timed where newest > ${keep} or (created_at < now() - interval '1 day' and in_hour > 1)
    )`;
  return removed.count;
}

/** An accepted proposal that changed a clause between two versions, with its sponsor. */
export interface ClauseChangeSource {
  clauseId: string;
  proposalId: string;
  number: number;
  /** null for the chair's compromise text. */
  delegationName: string | null;
}

/**
 * The proposals accepted after one version and up to another (by the checkpoints that follow
 * them), for each clause they changed: the clause a proposal is on, or the clause it added.
 */
export async function proposalsBetween(
  sql: Db,
  documentId: string,
  from: { number: number } | null,
  to: { number: number } | null,
): Promise<ClauseChangeSource[]> {
  return sql<ClauseChangeSource[]>`
    select coalesce(p.new_clause_id, p.clause_id) as "clauseId", p.id as "proposalId", p.number, d.name as "delegationName"
    from versions v join proposals p on p.id = v.proposal_id left join delegations d on d.id = p.delegation_id
    where v.document_id = ${documentId} and p.kind <> 'retain'
      and v.number > ${from?.number ?? 0} and (${to === null} or v.number <= ${to?.number ?? 0})
      and coalesce(p.new_clause_id, p.clause_id) is not null
    order by v.number`;
}

/** The newest version's full state, and whether it is younger than `ms` (by the database's clock). */
export async function findVersionState(
  sql: Db,
  documentId: string,
  ms: number,
): Promise<{ state: Uint8Array; stateVector: Uint8Array; recent: boolean } | null> {
  const [row] = await sql<{ state: Buffer; stateVector: Buffer; recent: boolean }[]>`
    select state, state_vector as "stateVector", created_at > now() - make_interval(secs => ${ms / 1000}) as recent
    from versions where document_id = ${documentId} order by number desc limit 1`;
  return row ? { state: new Uint8Array(row.state), stateVector: new Uint8Array(row.stateVector), recent: row.recent } : null;
}
