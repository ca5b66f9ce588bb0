import type { Db } from "../db/sql";
import { isUuid } from "./ids";
import type { DelegationKind } from "../../app/statement/vocabulary";

export interface DelegationRow {
  id: string;
  conferenceId: string;
  name: string;
  code: string;
  kind: DelegationKind;
}

const columns = (sql: Db) => sql`id, conference_id as "conferenceId", name, code, kind`;

export async function listDelegations(sql: Db, conferenceId: string): Promise<DelegationRow[]> {
  return sql<DelegationRow[]>`select ${columns(sql)} from delegations where conference_id = ${conferenceId} order by name`;
}

export async function findDelegation(sql: Db, conferenceId: string, id: string): Promise<DelegationRow | null> {
  if (!isUuid(id)) return null;
  const [row] = await sql<DelegationRow[]>`
    select ${columns(sql)} from delegations where conference_id = ${conferenceId} and id = ${id}`;
  return row ?? null;
}

/** The delegation with its row locked until the transaction ends, so that changes to it take turns and each reads what the last left. */
export async function lockDelegation(tx: Db, conferenceId: string, id: string): Promise<DelegationRow | null> {
  if (!isUuid(id)) return null;
  const [row] = await tx<DelegationRow[]>`
    select ${columns(tx)} from delegations where conference_id = ${conferenceId} and id = ${id} for update`;
  return row ?? null;
}

/** By code or by name, case-insensitively (how a CSV file names a delegation). */
export async function findDelegationByCodeOrName(sql: Db, conferenceId: string, key: string): Promise<DelegationRow | null> {
  const [row] = await sql<DelegationRow[]>`
    select ${columns(sql)} from delegations
    where conference_id = ${conferenceId} and (lower(code) = lower(${key}) or lower(name) = lower(${key}))
    limit 1`;
  return row ?? null;
}

export async function createDelegation(sql: Db, d: Omit<DelegationRow, "id">): Promise<DelegationRow> {
  const [row] = await sql<DelegationRow[]>`
    insert into delegations (conference_id, name, code, kind)
    values (${d.conferenceId}, ${d.name.trim()}, ${d.code.trim().toUpperCase()}, ${d.kind})
    returning ${columns(sql)}`;
  return row;
}

export interface DelegationListing extends DelegationRow {
  /** Delegates who speak for the delegation. */
  delegateCount: number;
}

export async function listDelegationsWithCounts(sql: Db, conferenceId: string): Promise<DelegationListing[]> {
  return sql<DelegationListing[]>`
    select d.id, d.conference_id as "conferenceId", d.name, d.code, d.kind,
           (select count(*)::int from memberships m where m.delegation_id = d.id and m.role = 'delegate') as "delegateCount"
    from delegations d where d.conference_id = ${conferenceId} order by d.name`;
}

/** Which of a new delegation's code and name another delegation of the conference already uses. */
export async function findDelegationConflicts(
  sql: Db,
  conferenceId: string,
  d: { name: string; code: string },
): Promise<{ code: DelegationRow | null; name: DelegationRow | null }> {
  const rows = await sql<DelegationRow[]>`
    select ${columns(sql)} from delegations
    where conference_id = ${conferenceId} and (upper(code) = upper(${d.code.trim()}) or lower(name) = lower(${d.name.trim()}))`;
  return {
    code: rows.find((r) => r.code.toUpperCase() === d.code.trim().toUpperCase()) ?? null,
    name: rows.find((r) => r.name.toLowerCase() === d.name.trim().toLowerCase()) ?? null,
  };
}
