import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { recordSignal } from "../../server/queries/clause-signals";
import { findClause } from "../../server/negotiation/clause-lookup";
import { publishNegotiationEvent } from "../../server/negotiation/events";
import { appendAudit } from "../../server/audit/log";
import { textDigest } from "../../server/audit/text-digest";
import { readProtectedForm, requireDocumentPermission } from "../utils/auth.server";
import { parseForm } from "../utils/forms";
import { done, refused } from "../utils/resource-responses";
import { invariantResponse } from "../utils/invariant";
import { signalLabels } from "../statement/negotiation-labels";
import { maxReasonLength } from "../statement/limits";
import { type ClauseSignal, clauseSignals } from "../statement/vocabulary";

const signalSchema = z
  .object({
    clauseId: z.string({ error: "Choose a clause." }).trim().min(1, "Choose a clause.").max(100),
    signal: z.enum(clauseSignals as [ClauseSignal, ...ClauseSignal[]], { error: "Choose your delegation's signal." }),
    reason: z.string().trim().max(maxReasonLength, `Keep it under ${maxReasonLength} characters.`).optional().default(""),
  })
  .superRefine((v, ctx) => {
    if (v.signal === "not_yet" && !v.reason)
      ctx.addIssue({ code: "custom", path: ["reason"], message: "Say why your delegation cannot accept this clause yet." });
    if (v.signal === "reservation" && !v.reason)
      ctx.addIssue({ code: "custom", path: ["reason"], message: "Write your delegation's reservation (its explanation of position)." });
  });

/**
 * A delegate gives their own delegation's signal on a clause: the delegation comes from their
 * membership, never from the form, so nobody signs for another delegation.
 */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const { user, access, document } = await requireDocumentPermission(request, context, params.documentId, "conference:view");
  invariantResponse(access.role === "delegate" && access.delegationId, "Only a delegate gives their delegation's signal.", { status: 403 });
  const form = await readProtectedForm(request, context, user);
  const parsed = parseForm(form, signalSchema);
  if (!parsed.ok) return refused(parsed);
  const { clauseId, signal, reason } = parsed.data;
  if (document.adoptedAt) return refused({ errors: { form: ["The text is adopted; signals are closed."] } });
  const clause = await findClause(context.sql, document.id, clauseId);
  if (!clause) return refused({ errors: { clauseId: ["There is no such clause in this statement."] } });
  const delegationId = access.delegationId;
  await context.sql.begin(async (tx) => {
    await recordSignal(tx, { documentId: document.id, clauseId, delegationId, signal, reason, userId: user.id });
    await appendAudit(tx, {
      documentId: document.id,
      actorId: user.id,
      action: "signal.set",
      subject: { clauseId, clause: clause.label, delegationId, signal, reason: textDigest(signal === "accept" ? "" : reason) },
    });
  });
  await publishNegotiationEvent(context.sql, { documentId: document.id, topic: "signals" });
  return done({ message: `Your delegation's signal on ${clause.label}: ${signalLabels[signal]}.` });
}
