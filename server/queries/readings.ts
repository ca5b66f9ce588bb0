import type { Db } from "../db/sql";
import { isUuid } from "./ids";
import type { ReadingOutcome } from "../../app/statement/readings";

/** A reading of a statement: the chair reads it paragraph by paragraph, marking each one's outcome. */
export interface ReadingRow {
  id: string;
  documentId: string;
  /** 1: first reading, 2: second reading. */
  number: 1 | 2;
  /** The paragraphs read, in order, as the text stood when the reading began. */
  clauseIds: string[];
  /** The chair's pointer; null once ended. */
  currentClauseId: string | null;
  startedBy: string;
  startedByName: string;
  startedAt: Date;
  endedBy: string | null;
  endedByName: string | null;
  endedAt: Date | null;
}

/** One paragraph's outcome in a reading, with who marked it and when. */
export interface ReadingOutcomeRow {
  readingId: string;
  clauseId: string;
  outcome: ReadingOutcome;
  markedBy: string;
  markedByName: string;
  markedAt: Date;
}

const readingColumns = (sql: Db) => sql`
  r.id, r.document_id as "documentId", r.number, r.clause_ids as "clauseIds", r.current_clause_id as "currentClauseId",
  r.started_by as "startedBy", s.name as "startedByName", r.started_at as "startedAt",
  r.ended_by as "endedBy", e.name as "endedByName", r.ended_at as "endedAt"`;

const readingJoins = (sql: Db) => sql`
  join users s on s.id = r.started_by
  left join users e on e.id = r.ended_by`;

/** The reading running on a statement, or null. */
export async function runningReading(sql: Db, documentId: string): Promise<ReadingRow | null> {
  const [row] = await sql<ReadingRow[]>`
    select ${readingColumns(sql)} from readings r ${readingJoins(sql)}
    where r.document_id = ${documentId} and r.ended_at is null`;
  return row ?? null;
}

/** A reading of this statement, or null (also for an id that is not one). */
export async function findReading(sql: Db, documentId: string, readingId: string): Promise<ReadingRow | null> {
  if (!isUuid(readingId)) return null;
  const [row] = await sql<ReadingRow[]>`
    select ${readingColumns(sql)} from readings r ${readingJoins(sql)}
    where r.document_id = ${documentId} and r.id = ${readingId}`;
  return row ?? null;
}

/** Every reading of a statement, newest first. */
export async function listReadings(sql: Db, documentId: string): Promise<ReadingRow[]> {
  return sql<ReadingRow[]>`
    select ${readingColumns(sql)} from readings r ${readingJoins(sql)}
    where r.document_id = ${documentId} order by r.started_at desc`;
}

export async function insertReading(
  tx: Db,
  r: { documentId: string; number: 1 | 2; clauseIds: string[]; startedBy: string },
): Promise<{ id: string }> {
  const [row] = await tx<{ id: string }[]>`
    insert into readings (document_id, number, clause_ids, current_clause_id, started_by)
    values (${r.documentId}, ${r.number}, ${tx.array(r.clauseIds)}, ${r.clauseIds[0] ?? null}, ${r.startedBy})
    returning id`;
  return row;
}

export async function setReadingPointer(tx: Db, readingId: string, clauseId: string): Promise<void> {
  await tx`update readings set current_clause_id = ${clauseId} where id = ${readingId} and ended_at is null`;
}

export async function endReading(tx: Db, readingId: string, endedBy: string): Promise<void> {
  await tx`update readings set ended_at = now(), ended_by = ${endedBy}, current_clause_id = null where id = ${readingId} and ended_at is null`;
}

/** Records a paragraph's outcome; a second mark on it in the same reading replaces the first. */
export async function setReadingOutcome(
  tx: Db,
  o: { readingId: string; clauseId: string; outcome: ReadingOutcome; markedBy: string },
): Promise<void> {
  await tx`
    insert into reading_outcomes (reading_id, clause_id, outcome, marked_by)
    values (${o.readingId}, ${o.clauseId}, ${o.outcome}, ${o.markedBy})
    on conflict (reading_id, clause_id) do update set outcome = excluded.outcome, marked_by = excluded.marked_by, marked_at = now()`;
}

const outcomeColumns = (sql: Db) => sql`
  o.reading_id as "readingId", o.clause_id as "clauseId", o.outcome, o.marked_by as "markedBy", u.name as "markedByName", o.marked_at as "markedAt"`;

/** A reading's outcomes, in the order they were marked. */
export async function readingOutcomes(sql: Db, readingId: string): Promise<ReadingOutcomeRow[]> {
  return sql<ReadingOutcomeRow[]>`
    select ${outcomeColumns(sql)} from reading_outcomes o join users u on u.id = o.marked_by
    where o.reading_id = ${readingId} order by o.marked_at, o.clause_id`;
}

/** A paragraph's outcome in each reading of the statement that marked it, oldest first (for the paragraph's story). */
export async function clauseReadingOutcomes(
  sql: Db,
  documentId: string,
  clauseId: string,
): Promise<(ReadingOutcomeRow & { readingNumber: 1 | 2; readingStartedAt: Date })[]> {
  return sql<(ReadingOutcomeRow & { readingNumber: 1 | 2; readingStartedAt: Date })[]>`
    select ${outcomeColumns(sql)}, r.number as "readingNumber", r.started_at as "readingStartedAt"
    from reading_outcomes o join readings r on r.id = o.reading_id join users u on u.id = o.marked_by
    where r.document_id = ${documentId} and o.clause_id = ${clauseId}
    order by o.marked_at`;
}
