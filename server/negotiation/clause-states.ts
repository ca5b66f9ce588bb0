import type { Sql } from "../db/sql";
import { clauseState, setClauseState, textLocks } from "../queries/clause-states";
import { currentSignals } from "../queries/clause-signals";
import { textDigest } from "../audit/text-digest";
import type { ClauseInfo } from "../../app/statement/numbering";
import type { ClauseState } from "../../app/statement/vocabulary";
import type { Actor } from "./actor";
import type { Tx } from "../audit/log";
import { changeNegotiation, type Audit } from "./change";
import { refuse } from "./refusal";
import { findClause } from "./numbering";

/**
 * The chair sets a clause's state. An agreed clause's text is locked on the collaboration server
 * (every instance reloads its locks on the event) until the chair reopens it. Agreeing a clause
 * that a delegation cannot accept yet takes the chair's confirmation: `overriding` lists the
 * delegations (ids, comma-separated) the chair was shown, and each one signalling "cannot accept
 * yet" must be among them; the override is recorded in the audit entry. Returns the clause.
 */
export async function changeClauseState(sql: Sql, actor: Actor, input: ClauseStateChange): Promise<ClauseInfo> {
  const change = { documentId: input.documentId, actorId: actor.userId, announce: () => [{ topic: "states" as const }] };
  return changeNegotiation(sql, change, (tx, audit) => setClauseStateWithin(tx, audit, actor, input));
}

export interface ClauseStateChange {
  documentId: string;
  clauseId: string;
  state: ClauseState;
  reason: string;
  overriding?: string;
}

/**
 * The chair's clause state set inside a change to the negotiation (`changeNegotiation`), for a
 * command that sets a state as part of something larger (a reading's mark); that change must
 * announce "states".
 */
export async function setClauseStateWithin(tx: Tx, audit: Audit, actor: Actor, input: ClauseStateChange): Promise<ClauseInfo> {
  const { documentId, clauseId, state, reason } = input;
  if (!actor.isChair) refuse(403, "Only the chair sets clause states.");
  const locks = await textLocks(tx, documentId);
  if (locks.whole === "adopted") refuse(400, "The text is adopted; its clauses stay agreed.");
  if (locks.whole === "silence") refuse(400, "A silence procedure is running; cancel it before changing a clause's state.");
  const clause = (await findClause(tx, documentId, clauseId)) ?? refuse(400, "There is no such clause in this statement.", "clauseId");
  const before = await clauseState(tx, documentId, clauseId);
  // Already agreed, the clause was agreed over these signals (or before them) then.
  const agreeing = state === "agreed" && before !== "agreed";
  const notYet = agreeing ? (await currentSignals(tx, documentId)).filter((s) => s.clauseId === clauseId && s.signal === "not_yet") : [];
  const confirmed = new Set((input.overriding ?? "").split(",").filter(Boolean));
  const unseen = notYet.filter((s) => !confirmed.has(s.delegationId));
  if (unseen.length > 0) {
    const who = notYet
      .map((s) => `${s.delegationName} (${s.delegationCode}${s.alignedWith ? `, aligned with ${s.alignedWith.code}` : ""})`)
      .join(", ");
    refuse(
      409,
      `${who} cannot accept ${clause.label} yet. Confirm that you agree ${clause.label} over ${notYet.length === 1 ? "its" : "their"} signal.`,
      "overriding",
    );
  }
  await setClauseState(tx, { documentId, clauseId, state, reason, userId: actor.userId });
  await audit("clause_state.set", {
    clauseId,
    clause: clause.label,
    from: before,
    state,
    reason: textDigest(reason),
    ...(notYet.length > 0 ? { overriding: notYet.map((s) => ({ delegationId: s.delegationId, delegation: s.delegationCode })) } : {}),
  });
  return clause;
}
