import type { Db } from "../db/sql";
import type { SilenceStatus } from "../../app/statement/vocabulary";

export interface SilenceRow {
  id: string;
  documentId: string;
  openedByName: string;
  openedAt: Date;
  deadline: Date;
  /** The IANA zone the chair gave the deadline in. */
  timeZone: string;
  note: string;
  status: SilenceStatus;
  closedAt: Date | null;
  closedByName: string | null;
  objectingDelegationName: string | null;
  objection: string | null;
}

const select = (sql: Db) => sql`
  select s.id, s.document_id as "documentId", o.name as "openedByName", s.opened_at as "openedAt", s.deadline,
         s.time_zone as "timeZone", s.note, s.status, s.closed_at as "closedAt", c.name as "closedByName",
         d.name as "objectingDelegationName", s.objection
  from silence_procedures s
  join users o on o.id = s.opened_by
  left join users c on c.id = s.closed_by
  left join delegations d on d.id = s.objecting_delegation_id`;

/** The statement's latest silence procedure (running, or how the last one ended), if any. */
export async function latestSilence(sql: Db, documentId: string): Promise<SilenceRow | null> {
  const [row] = await sql<SilenceRow[]>`${select(sql)} where s.document_id = ${documentId} order by s.opened_at desc limit 1`;
  return row ?? null;
}

/** Running procedures' deadlines, for the scheduler (one statement, or all). */
export async function runningSilences(sql: Db, documentId?: string): Promise<{ documentId: string; deadline: Date }[]> {
  return sql<{ documentId: string; deadline: Date }[]>`
    select document_id as "documentId", deadline from silence_procedures
    where status = 'running' ${documentId ? sql`and document_id = ${documentId}` : sql``}`;
}

/**
 * Opens a procedure; null if one already runs on the statement (one at most, by a unique index).
 * The conflict is skipped rather than raised, so a transaction around it stays usable.
 */
export async function openSilence(
  sql: Db,
  s: { documentId: string; userId: string; deadline: Date; timeZone: string; note: string },
): Promise<{ id: string } | null> {
  const [row] = await sql<{ id: string }[]>`
    insert into silence_procedures (document_id, opened_by, deadline, time_zone, note)
    values (${s.documentId}, ${s.userId}, ${s.deadline}, ${s.timeZone}, ${s.note})
    on conflict (document_id) where status = 'running' do nothing
    returning id`;
  return row ?? null;
}

export type BreakOutcome = { ok: true; id: string } | { ok: false; reason: "none" | "passed" };

/**
 * A delegation breaks silence with its objection. Decided on the row locked against the scheduler
 * closing it, and on the database's clock: an objection at or after the deadline is too late.
 * Call it in a transaction, so the lock holds until the break commits.
 */
export async function breakSilence(
  tx: Db,
  b: { documentId: string; userId: string; delegationId: string; objection: string },
): Promise<BreakOutcome> {
  const [row] = await tx<{ id: string; due: boolean }[]>`
    select id, deadline <= now() as due from silence_procedures
    where document_id = ${b.documentId} and status = 'running' for update`;
  if (!row) return { ok: false, reason: "none" };
  if (row.due) return { ok: false, reason: "passed" };
  await tx`
    update silence_procedures
    set status = 'broken', closed_at = now(), closed_by = ${b.userId}, objecting_delegation_id = ${b.delegationId}, objection = ${b.objection}
    where id = ${row.id}`;
  return { ok: true, id: row.id };
}

/** The chair withdraws a running procedure; null if none was running. */
export async function cancelSilence(sql: Db, c: { documentId: string; userId: string }): Promise<{ id: string } | null> {
  const [row] = await sql<{ id: string }[]>`
    update silence_procedures set status = 'cancelled', closed_at = now(), closed_by = ${c.userId}
    where document_id = ${c.documentId} and status = 'running' returning id`;
  return row ?? null;
}

/**
 * Marks the statement's running procedure passed if its deadline has come, by the database's
 * clock. Of several instances trying at once, exactly one gets the row back.
 */
export async function markSilencePassed(
  sql: Db,
  documentId: string,
): Promise<{ id: string; deadline: Date; timeZone: string; openedBy: string } | null> {
  const [row] = await sql<{ id: string; deadline: Date; timeZone: string; openedBy: string }[]>`
    update silence_procedures set status = 'passed', closed_at = now()
    where document_id = ${documentId} and status = 'running' and deadline <= now()
    returning id, deadline, time_zone as "timeZone", opened_by as "openedBy"`;
  return row ?? null;
}
