import type { Db, Sql } from "../db/sql";
import { isUniqueViolation } from "../db/errors";
import { textLocks, clauseState } from "../queries/clause-states";
import {
  endReading,
  insertReading,
  readingOutcomes,
  runningReading,
  setReadingOutcome,
  setReadingPointer,
  type ReadingRow,
} from "../queries/readings";
import type { Actor } from "../negotiation/actor";
import { changeNegotiation } from "../negotiation/change";
import { setClauseStateWithin } from "../negotiation/clause-states";
import { currentStatement, findClause } from "../negotiation/numbering";
import { refuse } from "../negotiation/refusal";
import { outcomeStates, readingNames, readingOutcomeLabels, type ReadingOutcome, type ReadingView } from "../../app/statement/readings";

/**
 * Readings (issue 15): the chair reads a statement paragraph by paragraph. Only the chair starts,
 * moves, marks and ends one; every change is announced on the "readings" topic, whose events each
 * instance answers by sending every page the reading as it now stands (`readingView`), so that the
 * pointer moving never makes a page reload its data. Starting, marking and ending are audited; the
 * pointer's moves are not decisions and are not.
 */

/** The running reading of a statement as the pages hold it, or null. */
export async function readingView(sql: Db, documentId: string): Promise<ReadingView | null> {
  const reading = await runningReading(sql, documentId);
  return reading ? viewOf(reading, await readingOutcomes(sql, reading.id)) : null;
}

function viewOf(reading: ReadingRow, outcomes: { clauseId: string; outcome: ReadingOutcome }[]): ReadingView {
  return {
    id: reading.id,
    number: reading.number,
    clauseIds: reading.clauseIds,
    current: reading.currentClauseId,
    outcomes: Object.fromEntries(outcomes.map((o) => [o.clauseId, o.outcome])),
    startedAt: reading.startedAt,
  };
}

const announce = () => [{ topic: "readings" as const }];

function assertChair(actor: Actor): void {
  if (!actor.isChair) refuse(403, "Only the chair runs a reading.");
}

async function running(sql: Db, documentId: string): Promise<ReadingRow> {
  return (await runningReading(sql, documentId)) ?? refuse(409, "No reading is running on this statement.");
}

/** The chair starts a first or second reading of the whole text, its pointer on the first paragraph. */
export async function startReading(sql: Sql, actor: Actor, input: { documentId: string; number: 1 | 2 }): Promise<ReadingView> {
  assertChair(actor);
  const { documentId, number } = input;
  if ((await textLocks(sql, documentId)).whole === "adopted") refuse(400, "The text is adopted; there is nothing left to read.");
  if (await runningReading(sql, documentId)) refuse(409, "A reading is already running; end it before starting another.");
  const clauseIds = (await currentStatement(sql, documentId)).clauses.flatMap((c) => (c.id ? [c.id] : []));
  if (clauseIds.length === 0) refuse(400, "The statement has no paragraphs to read.");
  try {
    await changeNegotiation(sql, { documentId, actorId: actor.userId, announce }, async (tx, audit) => {
      const { id } = await insertReading(tx, { documentId, number, clauseIds, startedBy: actor.userId });
      await audit("reading.started", { readingId: id, reading: readingNames[number], paragraphCount: clauseIds.length });
    });
  } catch (err) {
    // The unique index on running readings refuses a second one started at the same moment.
    if (isUniqueViolation(err)) refuse(409, "A reading is already running; end it before starting another.");
    throw err;
  }
  return (await readingView(sql, documentId))!;
}

/** The chair moves the pointer: to the next or previous paragraph of the reading, or to one of its paragraphs. */
export async function moveReading(
  sql: Sql,
  actor: Actor,
  input: { documentId: string; to: "next" | "previous" | { clauseId: string } },
): Promise<ReadingView> {
  assertChair(actor);
  const { documentId, to } = input;
  const reading = await running(sql, documentId);
  const at = reading.currentClauseId ? reading.clauseIds.indexOf(reading.currentClauseId) : -1;
  let target: string;
  if (to === "next" || to === "previous") {
    const index = to === "next" ? at + 1 : at - 1;
    if (index < 0 || index >= reading.clauseIds.length)
      refuse(400, to === "next" ? "This is the reading's last paragraph." : "This is the reading's first paragraph.");
    target = reading.clauseIds[index];
  } else {
    if (!reading.clauseIds.includes(to.clauseId)) refuse(400, "That paragraph is not part of this reading.", "clauseId");
    target = to.clauseId;
  }
  await changeNegotiation(sql, { documentId, actorId: actor.userId, announce }, async (tx) => {
    await setReadingPointer(tx, reading.id, target);
  });
  return (await readingView(sql, documentId))!;
}

/**
 * The chair marks a paragraph of the reading. Where the outcome is a clause state (agreed ad
 * referendum, under negotiation for bracketed), the paragraph's state is set by the clause states'
 * own rules and audit entry, in the same transaction as the outcome: both are recorded or neither.
 */
export async function markReading(
  sql: Sql,
  actor: Actor,
  input: { documentId: string; clauseId: string; outcome: ReadingOutcome },
): Promise<ReadingView> {
  assertChair(actor);
  const { documentId, clauseId, outcome } = input;
  const reading = await running(sql, documentId);
  if (!reading.clauseIds.includes(clauseId)) refuse(400, "That paragraph is not part of this reading.", "clauseId");
  const state = outcomeStates[outcome];
  const setsState = state !== null && (await clauseState(sql, documentId, clauseId)) !== state;
  const announceMark = () => [...(setsState ? [{ topic: "states" as const }] : []), ...announce()];
  await changeNegotiation(sql, { documentId, actorId: actor.userId, announce: announceMark }, async (tx, audit) => {
    const clause =
      state !== null && setsState
        ? await setClauseStateWithin(tx, audit, actor, {
            documentId,
            clauseId,
            state,
            reason: `${readingNames[reading.number]}: ${readingOutcomeLabels[outcome].toLowerCase()}`,
          })
        : await findClause(tx, documentId, clauseId);
    await setReadingOutcome(tx, { readingId: reading.id, clauseId, outcome, markedBy: actor.userId });
    await audit("reading.marked", {
      readingId: reading.id,
      reading: readingNames[reading.number],
      clauseId,
      clause: clause?.label ?? null,
      outcome,
    });
  });
  return (await readingView(sql, documentId))!;
}

/** The chair ends the running reading; its record stays. */
export async function endReadingOf(sql: Sql, actor: Actor, input: { documentId: string }): Promise<void> {
  assertChair(actor);
  const { documentId } = input;
  const reading = await running(sql, documentId);
  await changeNegotiation(sql, { documentId, actorId: actor.userId, announce }, async (tx, audit) => {
    const outcomes = await readingOutcomes(tx, reading.id);
    await endReading(tx, reading.id, actor.userId);
    await audit("reading.ended", {
      readingId: reading.id,
      reading: readingNames[reading.number],
      marked: outcomes.length,
      paragraphCount: reading.clauseIds.length,
    });
  });
}
