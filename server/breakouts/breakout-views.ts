import type { Db } from "../db/sql";
import type { Access } from "../auth/permissions";
import type { Confidentiality } from "../../app/statement/confidentiality";
import { clauseBreakoutRecords, listBreakouts, type BreakoutRow, type ClauseBreakoutRecord } from "../queries/breakouts";
import { breakoutName, mayReadBreakout } from "./rules";

type Reader = Pick<Access, "userId" | "role" | "delegationId">;
type Conference = { confidentiality: Confidentiality };

/**
 * A running breakout as the statement page marks its clauses: "OP3, OP4 in breakout B1 (facilitator,
 * link)". A closed breakout the reader does not take part in shows only that the clauses are in
 * one: not who facilitates it, nor a link to it.
 */
export interface BreakoutMark {
  name: string;
  /** Null when the reader may not see the breakout. */
  id: string | null;
  facilitator: string | null;
  confidential: boolean;
  submitted: boolean;
  clauseIds: string[];
  labels: string[];
}

export async function breakoutMarks(
  sql: Db,
  statementId: string,
  reader: Reader,
  conference: Conference,
  clauseLabels: Readonly<Record<string, string>>,
): Promise<BreakoutMark[]> {
  const labels = new Map(Object.entries(clauseLabels));
  return (await listBreakouts(sql, statementId))
    .filter((b) => b.status !== "ended")
    .map((b) => {
      const seen = mayReadBreakout(b, reader, conference);
      const clauseIds = b.clauses.map((c) => c.clauseId).filter((id) => labels.has(id));
      return {
        name: breakoutName(b),
        id: seen ? b.id : null,
        facilitator: seen ? b.facilitatorName : null,
        confidential: b.confidential,
        submitted: b.status === "submitted",
        clauseIds,
        labels: clauseIds.map((id) => labels.get(id)!),
      };
    });
}

/** The statement's breakouts this reader may see, newest first. */
export async function visibleBreakouts(sql: Db, statementId: string, reader: Reader, conference: Conference): Promise<BreakoutRow[]> {
  return (await listBreakouts(sql, statementId)).filter((b) => mayReadBreakout(b, reader, conference)).reverse();
}

/**
 * A clause's breakouts and their packages, oldest first, as far as this reader may see them: where
 * the clause's text came from when a package was accepted (which breakout, who accepted it, when).
 * For the paragraph's story.
 */
export async function clauseBreakoutStory(
  sql: Db,
  statementId: string,
  clauseId: string,
  reader: Reader,
  conference: Conference,
): Promise<(ClauseBreakoutRecord & { name: string })[]> {
  return (await clauseBreakoutRecords(sql, statementId, clauseId))
    .filter((r) => mayReadBreakout({ ...r, status: r.breakoutStatus }, reader, conference))
    .map((r) => ({ ...r, name: breakoutName({ number: r.breakoutNumber }) }));
}
