import type { Sql } from "../db/sql";
import type { DocumentRow } from "../queries/documents";
import { findDelegation } from "../queries/delegations";
import { breakSilence, cancelSilence, markSilencePassed, openSilence } from "../queries/silence-procedures";
import { publishAccessEvent } from "../auth/access-events";
import { textDigest } from "../audit/text-digest";
import { excerpt } from "../../app/statement/excerpt";
import type { Actor } from "./actor";
import { changeNegotiation } from "./change";
import { refuse } from "./refusal";
import { notNegotiatingReason } from "../auth/delegation-rights";
import { currentStatement } from "./numbering";
import { zonedTimeToUtc } from "./time-zones";
import { adoptStatement } from "./adoption";
import { describeOpenBusiness, hasOpenBusiness, openBusiness } from "./open-business";
import { silenceNotices } from "../notifications/negotiation-notices";

/**
 * The silence procedure: the chair opens it (the whole text is locked until it ends) or cancels
 * it; a delegate breaks it with a written objection before the deadline. It passes on its own at
 * the deadline (server/negotiation/silence-scheduler.ts).
 */

/** Each notice says where the procedure stands now, so it withdraws the ones before it. */
const silenceNotice = (notice: string) => ({ topic: "silence" as const, notice, supersedes: "silence" as const });

export const adoptedNotice = "The silence procedure has passed: the text is adopted.";

export function assertRunsSilence(actor: Actor): void {
  if (!actor.isChair) refuse(403, "Only the chair runs the silence procedure.");
}

export function assertMayBreakSilence(actor: Actor): asserts actor is Actor & { delegationId: string } {
  if (actor.role !== "delegate" || !actor.delegationId) refuse(403, "Only a delegation can break silence.");
  if (!actor.negotiates) refuse(403, notNegotiatingReason);
}

/**
 * `date` and `time` are on the clocks of `timeZone`; the deadline is stored in UTC with that zone.
 * With business still open (submitted proposals, "cannot accept yet" signals), the chair must have
 * seen it and confirmed that adoption closes it: `openBusiness` is then the token of exactly the
 * business the page showed them (server/negotiation/open-business.ts).
 */
export async function openSilenceProcedure(
  sql: Sql,
  actor: Actor,
  input: {
    document: Pick<DocumentRow, "id" | "adoptedAt">;
    date: string;
    time: string;
    timeZone: string;
    note: string;
    openBusiness?: string;
  },
): Promise<void> {
  const { document, timeZone, note } = input;
  assertRunsSilence(actor);
  const deadline = zonedTimeToUtc(input.date, input.time, timeZone);
  if (!deadline.ok) return refuse(400, deadline.error, deadline.error.startsWith("Choose") ? "timeZone" : "date");
  if (deadline.instant.getTime() <= Date.now()) refuse(400, "The deadline must be in the future.", "date");
  if (document.adoptedAt) refuse(400, "The text is already adopted.");
  const notice = "The chair has opened a silence procedure; the text is locked.";
  await changeNegotiation(
    sql,
    { documentId: document.id, actorId: actor.userId, announce: () => [silenceNotice(notice)] },
    async (tx, audit) => {
      const { clauses } = await currentStatement(tx, document.id);
      const business = await openBusiness(tx, document.id, clauses);
      if (hasOpenBusiness(business) && input.openBusiness !== business.token) {
        refuse(
          409,
          `Business is still open: ${describeOpenBusiness(business)}. Confirm that the silence procedure goes ahead with it open, ` +
            "and that open proposals are closed as not taken up if the text is adopted.",
          "openBusiness",
        );
      }
      const row =
        (await openSilence(tx, { documentId: document.id, userId: actor.userId, deadline: deadline.instant, timeZone, note })) ??
        refuse(400, "A silence procedure is already running on this statement.");
      await audit("silence.opened", {
        silenceProcedureId: row.id,
        deadline: deadline.instant,
        timeZone,
        note: textDigest(note),
        // What the chair confirmed would be closed as not taken up, and the signals they went ahead over.
        ...(hasOpenBusiness(business)
          ? {
              openProposals: business.proposals.map((p) => `P${p.number}`),
              notYet: business.notYet.map((s) => ({ clause: s.clause, delegation: s.delegationCode })),
            }
          : {}),
      });
      await silenceNotices(tx, actor.userId, document.id, "silence_opened", { deadline: deadline.instant.toISOString(), timeZone });
    },
  );
}

export async function cancelSilenceProcedure(sql: Sql, actor: Actor, input: { documentId: string }): Promise<void> {
  assertRunsSilence(actor);
  const notice = "The chair has cancelled the silence procedure; negotiation resumes.";
  const change = { documentId: input.documentId, actorId: actor.userId, announce: () => [silenceNotice(notice)] };
  await changeNegotiation(sql, change, async (tx, audit) => {
    const row =
      (await cancelSilence(tx, { documentId: input.documentId, userId: actor.userId })) ?? refuse(400, "No silence procedure is running.");
    await audit("silence.cancelled", { silenceProcedureId: row.id });
  });
}

/** A delegation breaks silence with its objection, told to everyone present. */
export async function breakSilenceProcedure(
  sql: Sql,
  actor: Actor,
  input: { document: Pick<DocumentRow, "id" | "conferenceId">; objection: string },
): Promise<void> {
  const { document, objection } = input;
  assertMayBreakSilence(actor);
  const delegationId = actor.delegationId;
  const announce = (delegation: string) => [silenceNotice(`Silence broken by ${delegation}: ${excerpt(objection, 200)}`)];
  await changeNegotiation(sql, { documentId: document.id, actorId: actor.userId, announce }, async (tx, audit) => {
    const outcome = await breakSilence(tx, { documentId: document.id, userId: actor.userId, delegationId, objection });
    if (!outcome.ok) {
      return refuse(
        400,
        outcome.reason === "passed" ? "The deadline has passed; the silence was not broken." : "No silence procedure is running.",
      );
    }
    await audit("silence.broken", { silenceProcedureId: outcome.id, delegationId, objection: textDigest(objection) });
    const delegationName = (await findDelegation(tx, document.conferenceId, delegationId))?.name ?? "a delegation";
    await silenceNotices(tx, actor.userId, document.id, "silence_broken", { delegationName, excerpt: excerpt(objection, 200) });
    return delegationName;
  });
}

/**
 * Closes a statement's silence procedure if its deadline has come and nobody broke it: the text is
 * adopted (server/negotiation/adoption.ts) in one transaction with the status change, so
 * whichever instance gets there first does it once. Tells everyone. Returns whether it passed now.
 */
export async function passSilenceIfDue(sql: Sql, documentId: string): Promise<boolean> {
  const announce = (passed: { frozenDrafts: string[] } | null) =>
    passed ? [silenceNotice(adoptedNotice), { topic: "proposals" as const }] : [];
  const passed = await changeNegotiation(sql, { documentId, actorId: null, announce }, async (tx, audit) => {
    const procedure = await markSilencePassed(tx, documentId);
    if (!procedure) return null;
    const adopted = await adoptStatement(tx, audit, {
      documentId,
      closedBy: procedure.openedBy,
      reason: "Adopted under the silence procedure.",
      subject: { silenceProcedureId: procedure.id },
      record: { method: "silence", at: procedure.deadline, timeZone: procedure.timeZone, meeting: null },
    });
    await audit("silence.passed", { silenceProcedureId: procedure.id, deadline: procedure.deadline, adopted: true });
    await silenceNotices(tx, null, documentId, "silence_passed", {});
    return adopted;
  });
  // Sponsors still drafting are told their draft is now read-only.
  for (const textDocumentId of passed?.frozenDrafts ?? []) await publishAccessEvent(sql, { type: "document", documentId: textDocumentId });
  return passed !== null;
}
