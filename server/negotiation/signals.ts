import type { Sql } from "../db/sql";
import type { DocumentRow } from "../queries/documents";
import { recordSignal } from "../queries/clause-signals";
import { textDigest } from "../audit/text-digest";
import type { ClauseInfo } from "../../app/statement/numbering";
import type { GivenSignal } from "../../app/statement/vocabulary";
import type { Actor } from "./actor";
import { changeNegotiation } from "./change";
import { refuse } from "./refusal";
import { notNegotiatingReason } from "../auth/delegation-rights";
import { findClause } from "./numbering";
import { isGroupMember } from "../queries/delegation-groups";

/** Only a delegate of a negotiating delegation signals, and for their own delegation (never one named in a form). */
export function assertMaySignal(actor: Actor): asserts actor is Actor & { delegationId: string } {
  if (actor.role !== "delegate" || !actor.delegationId) refuse(403, "Only a delegate gives their delegation's signal.");
  if (!actor.negotiates) refuse(403, notNegotiatingReason);
}

/**
 * A delegate gives their delegation's signal on a clause, with its reason or reservation, or aligns
 * it with the signal of a group it is a member of (`alignedGroupId`). Returns the clause.
 */
export async function giveSignal(
  sql: Sql,
  actor: Actor,
  input: {
    document: Pick<DocumentRow, "id" | "adoptedAt">;
    clauseId: string;
    signal: GivenSignal;
    reason: string;
    alignedGroupId?: string;
  },
): Promise<ClauseInfo> {
  const { document, clauseId, signal, reason } = input;
  assertMaySignal(actor);
  if (document.adoptedAt) refuse(400, "The text is adopted; signals are closed.");
  const clause = (await findClause(sql, document.id, clauseId)) ?? refuse(400, "There is no such clause in this statement.", "clauseId");
  const delegationId = actor.delegationId;
  const alignedGroupId = signal === "align" ? input.alignedGroupId : undefined;
  // Membership rows name one conference for both ends, so a member aligns only within its own.
  if (signal === "align" && !(alignedGroupId && (await isGroupMember(sql, alignedGroupId, delegationId))))
    refuse(403, "Only a member delegation of a group aligns with its signal.", "signal");
  const change = { documentId: document.id, actorId: actor.userId, announce: () => [{ topic: "signals" as const }] };
  await changeNegotiation(sql, change, async (tx, audit) => {
    await recordSignal(tx, { documentId: document.id, clauseId, delegationId, signal, reason, userId: actor.userId, alignedGroupId });
    const given = signal === "accept" || signal === "align" ? "" : reason;
    const subject = {
      clauseId,
      clause: clause.label,
      delegationId,
      signal,
      reason: textDigest(given),
      ...(alignedGroupId ? { alignedGroupId } : {}),
    };
    await audit("signal.set", subject);
  });
  return clause;
}
