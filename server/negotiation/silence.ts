import type { Sql } from "../db/sql";
import { currentClauseStates, setClauseState } from "../queries/clause-states";
import { markAdopted, markSilencePassed } from "../queries/silence-procedures";
import { publishNegotiationEvent } from "./events";
import { appendAudit } from "../audit/log";
import { textDigest } from "../audit/text-digest";
import { readStatement } from "./statement";

export const adoptedNotice = "The silence procedure has passed: the text is adopted.";

/**
 * Closes a statement's silence procedure if its deadline has come and nobody broke it: every
 * clause becomes agreed and the text adopted, in one transaction with the status change, so
 * whichever instance gets there first does it once. Tells everyone. Returns whether it passed now.
 */
export async function passSilenceIfDue(sql: Sql, documentId: string): Promise<boolean> {
  const passed = await sql.begin(async (tx) => {
    const procedure = await markSilencePassed(tx, documentId);
    if (!procedure) return false;
    const { ydoc, clauses } = await readStatement(tx, documentId);
    ydoc.destroy();
    const states = await currentClauseStates(tx, documentId);
    const reason = "Adopted under the silence procedure.";
    for (const clause of clauses) {
      if (!clause.id || states.get(clause.id) === "agreed") continue;
      const from = states.get(clause.id) ?? "open";
      await setClauseState(tx, { documentId, clauseId: clause.id, state: "agreed", reason, userId: null });
      await appendAudit(tx, {
        documentId,
        actorId: null,
        action: "clause_state.set",
        subject: {
          clauseId: clause.id,
          clause: clause.label,
          from,
          state: "agreed",
          reason: textDigest(reason),
          silenceProcedureId: procedure.id,
        },
      });
    }
    await markAdopted(tx, documentId);
    await appendAudit(tx, {
      documentId,
      actorId: null,
      action: "silence.passed",
      subject: { silenceProcedureId: procedure.id, deadline: procedure.deadline, adopted: true },
    });
    return true;
  });
  if (passed) await publishNegotiationEvent(sql, { documentId, topic: "silence", notice: adoptedNotice });
  return passed;
}
