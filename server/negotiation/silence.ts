import type { Sql } from "../db/sql";
import { currentClauseStates, setClauseState } from "../queries/clause-states";
import { markAdopted, markSilencePassed } from "../queries/silence-procedures";
import { publishNegotiationEvent } from "./events";
import { readStatement } from "./statement";

export const adoptedNotice = "The silence procedure has passed: the text is adopted.";

/**
 * Closes a statement's silence procedure if its deadline has come and nobody broke it: every
 * clause becomes agreed and the text adopted, in one transaction with the status change, so
 * whichever instance gets there first does it once. Tells everyone. Returns whether it passed now.
 */
export async function passSilenceIfDue(sql: Sql, documentId: string): Promise<boolean> {
  const passed = await sql.begin(async (tx) => {
    if (!(await markSilencePassed(tx, documentId))) return false;
    const { ydoc, clauses } = await readStatement(tx, documentId);
    ydoc.destroy();
    const states = await currentClauseStates(tx, documentId);
    for (const clause of clauses) {
      if (!clause.id || states.get(clause.id) === "agreed") continue;
      await setClauseState(tx, { documentId, clauseId: clause.id, state: "agreed", reason: "Adopted under the silence procedure.", userId: null });
    }
    await markAdopted(tx, documentId);
    return true;
  });
  if (passed) await publishNegotiationEvent(sql, { documentId, topic: "silence", notice: adoptedNotice });
  return passed;
}
