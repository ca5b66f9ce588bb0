import type { Sql } from "../db/sql";
import type { DocumentRow } from "../queries/documents";
import { recordSignal } from "../queries/clause-signals";
import { textDigest } from "../audit/text-digest";
import type { ClauseInfo } from "../../app/statement/numbering";
import type { ClauseSignal } from "../../app/statement/vocabulary";
import type { Actor } from "./actor";
import { changeNegotiation } from "./change";
import { refuse } from "./refusal";
import { notNegotiatingReason } from "../auth/delegation-rights";
import { findClause } from "./numbering";

/** Only a delegate of a negotiating delegation signals, and for their own delegation (never one named in a form). */
export function assertMaySignal(actor: Actor): asserts actor is Actor & { delegationId: string } {
  if (actor.role !== "delegate" || !actor.delegationId) refuse(403, "Only a delegate gives their delegation's signal.");
  if (!actor.negotiates) refuse(403, notNegotiatingReason);
}

/** A delegate gives their delegation's signal on a clause, with its reason or reservation. Returns the clause. */
export async function giveSignal(
  sql: Sql,
  actor: Actor,
  input: { document: Pick<DocumentRow, "id" | "adoptedAt">; clauseId: string; signal: ClauseSignal; reason: string },
): Promise<ClauseInfo> {
  const { document, clauseId, signal, reason } = input;
  assertMaySignal(actor);
  if (document.adoptedAt) refuse(400, "The text is adopted; signals are closed.");
  const clause = (await findClause(sql, document.id, clauseId)) ?? refuse(400, "There is no such clause in this statement.", "clauseId");
  const delegationId = actor.delegationId;
  const change = { documentId: document.id, actorId: actor.userId, announce: () => [{ topic: "signals" as const }] };
  await changeNegotiation(sql, change, async (tx, audit) => {
    await recordSignal(tx, { documentId: document.id, clauseId, delegationId, signal, reason, userId: actor.userId });
    const subject = { clauseId, clause: clause.label, delegationId, signal, reason: textDigest(signal === "accept" ? "" : reason) };
    await audit("signal.set", subject);
  });
  return clause;
}
