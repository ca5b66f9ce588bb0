import type { ClauseState } from "./vocabulary";

/**
 * Readings: the chair reads the statement paragraph by paragraph and marks each one. The words
 * of a reading, shared by the pages and the server.
 */
export type ReadingOutcome = "agreed_ad_ref" | "to_return" | "bracketed";
export const readingOutcomes: readonly ReadingOutcome[] = ["agreed_ad_ref", "to_return", "bracketed"];

export const readingOutcomeLabels: Record<ReadingOutcome, string> = {
  agreed_ad_ref: "Agreed ad ref",
  to_return: "To return to",
  bracketed: "Bracketed",
};

/**
 * The clause state an outcome sets, where one matches: agreed ad referendum is that state, and a
 * bracketed paragraph is under negotiation (which is what brackets it everywhere). "To return to"
 * changes no state: it is the reading's own note.
 */
export const outcomeStates: Record<ReadingOutcome, ClauseState | null> = {
  agreed_ad_ref: "agreed_ad_ref",
  to_return: null,
  bracketed: "under_negotiation",
};

export const readingNames: Record<1 | 2, string> = { 1: "First reading", 2: "Second reading" };

/** A running reading as every page showing the statement holds it, and as each pointer event carries it whole. */
export interface ReadingView {
  id: string;
  number: 1 | 2;
  /** The paragraphs read, in order. */
  clauseIds: string[];
  /** The paragraph the chair is on. */
  current: string | null;
  /** Each marked paragraph's outcome. */
  outcomes: Record<string, ReadingOutcome>;
  startedAt: Date;
}

/** n of m: a paragraph counts as read once the chair has marked its outcome. */
export function readingProgress(reading: ReadingView): { read: number; of: number } {
  return { read: reading.clauseIds.filter((id) => reading.outcomes[id] !== undefined).length, of: reading.clauseIds.length };
}

/** The paragraphs marked "to return to", in reading order. */
export function toReturnTo(reading: ReadingView): string[] {
  return reading.clauseIds.filter((id) => reading.outcomes[id] === "to_return");
}

/** The chair's keys during a reading (with Alt, so that they never type into the text). */
export const readingKeys = {
  next: "ArrowDown",
  previous: "ArrowUp",
  agreed_ad_ref: "a",
  to_return: "r",
  bracketed: "b",
} as const;

/** A clause id safe to name in a CSS selector (ids are made by `newClauseId`; anything else is not highlighted). */
export const isPlainClauseId = (id: string) => /^[A-Za-z0-9_-]{1,100}$/.test(id);
