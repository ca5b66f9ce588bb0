import type { Sql } from "../db/sql";
import { clauseState, setClauseState, textLocks } from "../queries/clause-states";
import { textDigest } from "../audit/text-digest";
import type { ClauseInfo } from "../../app/statement/numbering";
import type { ClauseState } from "../../app/statement/vocabulary";
import type { Actor } from "./actor";
import { changeNegotiation } from "./change";
import { refuse } from "./refusal";
import { findClause } from "./numbering";

/**
 * The chair sets a clause's state. An agreed clause's text is locked on the collaboration server
 * (every instance reloads its locks on the event) until the chair reopens it. Returns the clause.
 */
export async function changeClauseState(
  sql: Sql,
  actor: Actor,
  input: { documentId: string; clauseId: string; state: ClauseState; reason: string },
): Promise<ClauseInfo> {
  const { documentId, clauseId, state, reason } = input;
  if (!actor.isChair) refuse(403, "Only the chair sets clause states.");
  const locks = await textLocks(sql, documentId);
  if (locks.whole === "adopted") refuse(400, "The text is adopted; its clauses stay agreed.");
  if (locks.whole === "silence") refuse(400, "A silence procedure is running; cancel it before changing a clause's state.");
  const clause = (await findClause(sql, documentId, clauseId)) ?? refuse(400, "There is no such clause in this statement.", "clauseId");
  const change = { documentId, actorId: actor.userId, announce: () => [{ topic: "states" as const }] };
  await changeNegotiation(sql, change, async (tx, audit) => {
    const before = await clauseState(tx, documentId, clauseId);
    await setClauseState(tx, { documentId, clauseId, state, reason, userId: actor.userId });
    await audit("clause_state.set", { clauseId, clause: clause.label, from: before, state, reason: textDigest(reason) });
  });
  return clause;
}
