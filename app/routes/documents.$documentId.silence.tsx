import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { can } from "../../server/auth/permissions";
import { findDelegation } from "../../server/queries/delegations";
import { breakSilence, cancelSilence, openSilence } from "../../server/queries/silence-procedures";
import { publishNegotiationEvent } from "../../server/negotiation/events";
import { appendAudit } from "../../server/audit/log";
import { textDigest } from "../../server/audit/text-digest";
import { zonedTimeToUtc } from "../../server/negotiation/time-zones";
import { readProtectedForm, requireDocumentPermission } from "../utils/auth.server";
import { parseForm } from "../utils/forms";
import { done, refused } from "../utils/resource-responses";
import { invariantResponse } from "../utils/invariant";
import { maxReasonLength } from "../statement/limits";
import { excerpt } from "../statement/excerpt";

const openSchema = z.object({
  date: z.string({ error: "Give the deadline's date." }).trim().min(1, "Give the deadline's date."),
  time: z.string({ error: "Give the deadline's time." }).trim().min(1, "Give the deadline's time."),
  timeZone: z.string({ error: "Choose a time zone." }).trim().min(1, "Choose a time zone.").max(100),
  note: z.string().trim().max(maxReasonLength, `Keep the note under ${maxReasonLength} characters.`).optional().default(""),
});
const objectSchema = z.object({
  objection: z
    .string({ error: "Write your delegation's objection." })
    .trim()
    .min(1, "Write your delegation's objection.")
    .max(maxReasonLength, `Keep the objection under ${maxReasonLength} characters.`),
});

/**
 * The silence procedure: the chair opens it (the whole text is locked until it ends) or cancels
 * it; a delegate breaks it with a written objection before the deadline. It passes on its own at
 * the deadline (server/negotiation/silence-scheduler.ts).
 */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const { user, access, document } = await requireDocumentPermission(request, context, params.documentId, "conference:view");
  const form = await readProtectedForm(request, context, user);
  const intent = form.get("intent");
  const sql = context.sql;

  if (intent === "open" || intent === "cancel") {
    invariantResponse(can(access, "negotiation:chair"), "Only the chair runs the silence procedure.", { status: 403 });
  }
  if (intent === "open") {
    const parsed = parseForm(form, openSchema);
    if (!parsed.ok) return refused(parsed);
    const { date, time, timeZone, note } = parsed.data;
    const values = { intent, date, time, timeZone, note };
    const deadline = zonedTimeToUtc(date, time, timeZone);
    if (!deadline.ok) return refused({ errors: { [deadline.error.startsWith("Choose") ? "timeZone" : "date"]: [deadline.error] }, values });
    if (deadline.instant.getTime() <= Date.now()) return refused({ errors: { date: ["The deadline must be in the future."] }, values });
    if (document.adoptedAt) return refused({ errors: { form: ["The text is already adopted."] }, values });
    const opened = await sql.begin(async (tx) => {
      const row = await openSilence(tx, { documentId: document.id, userId: user.id, deadline: deadline.instant, timeZone, note });
      if (row) {
        const subject = { silenceProcedureId: row.id, deadline: deadline.instant, timeZone, note: textDigest(note) };
        await appendAudit(tx, { documentId: document.id, actorId: user.id, action: "silence.opened", subject });
      }
      return row;
    });
    if (!opened) return refused({ errors: { form: ["A silence procedure is already running on this statement."] }, values });
    await publishNegotiationEvent(sql, {
      documentId: document.id,
      topic: "silence",
      notice: "The chair has opened a silence procedure; the text is locked.",
    });
    return done({ message: "The silence procedure is open." });
  }

  if (intent === "cancel") {
    const cancelled = await sql.begin(async (tx) => {
      const row = await cancelSilence(tx, { documentId: document.id, userId: user.id });
      if (row)
        await appendAudit(tx, {
          documentId: document.id,
          actorId: user.id,
          action: "silence.cancelled",
          subject: { silenceProcedureId: row.id },
        });
      return row;
    });
    if (!cancelled) return refused({ errors: { form: ["No silence procedure is running."] } });
    await publishNegotiationEvent(sql, {
      documentId: document.id,
      topic: "silence",
      notice: "The chair has cancelled the silence procedure; negotiation resumes.",
    });
    return done({ message: "The silence procedure is cancelled." });
  }

  if (intent === "object") {
    invariantResponse(access.role === "delegate" && access.delegationId, "Only a delegation can break silence.", { status: 403 });
    const parsed = parseForm(form, objectSchema);
    if (!parsed.ok) return refused(parsed);
    const { objection } = parsed.data;
    const delegationId = access.delegationId;
    const outcome = await sql.begin(async (tx) => {
      const result = await breakSilence(tx, { documentId: document.id, userId: user.id, delegationId, objection });
      if (result.ok) {
        const subject = { silenceProcedureId: result.id, delegationId, objection: textDigest(objection) };
        await appendAudit(tx, { documentId: document.id, actorId: user.id, action: "silence.broken", subject });
      }
      return result;
    });
    if (!outcome.ok) {
      const why = outcome.reason === "passed" ? "The deadline has passed; the silence was not broken." : "No silence procedure is running.";
      return refused({ errors: { form: [why] }, values: { intent, objection } });
    }
    const delegation = await findDelegation(sql, document.conferenceId, access.delegationId);
    await publishNegotiationEvent(sql, {
      documentId: document.id,
      topic: "silence",
      notice: `Silence broken by ${delegation?.name ?? "a delegation"}: ${excerpt(objection, 200)}`,
    });
    return done({ message: "You broke silence; negotiation reopens." });
  }

  return refused({ errors: { form: ["Unknown action."] } });
}
