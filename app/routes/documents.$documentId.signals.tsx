import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { actorOf } from "../../server/negotiation/actor";
import { assertMaySignal, giveSignal } from "../../server/negotiation/signals";
import { readProtectedForm, requireDocumentPermission } from "~/utils/auth.server";
import { parseForm } from "~/utils/forms";
import { done, refused } from "~/utils/resource-responses";
import { answeringRefusals } from "~/utils/refusals.server";
import { signalLabels } from "~/statement/negotiation-labels";
import { maxReasonLength } from "~/statement/limits";
import { type ClauseSignal, clauseSignals } from "~/statement/vocabulary";
import { alignPrefix } from "~/negotiation/SignalForm";

const signalSchema = z
  .object({
    clauseId: z.string({ error: "Choose a clause." }).trim().min(1, "Choose a clause.").max(100),
    // A signal of its own, or "align:<group id>" to align with a group's signal.
    signal: z
      .string({ error: "Choose your delegation's signal." })
      .regex(
        new RegExp(`^(${clauseSignals.join("|")}|${alignPrefix}[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12})$`),
        "Choose your delegation's signal.",
      ),
    reason: z.string().trim().max(maxReasonLength, `Keep it under ${maxReasonLength} characters.`).optional().default(""),
  })
  .superRefine((v, ctx) => {
    if (v.signal === "not_yet" && !v.reason)
      ctx.addIssue({ code: "custom", path: ["reason"], message: "Say why your delegation cannot accept this clause yet." });
    if (v.signal === "reservation" && !v.reason)
      ctx.addIssue({ code: "custom", path: ["reason"], message: "Write your delegation's reservation (its explanation of position)." });
  })
  .transform(({ signal, ...v }) =>
    signal.startsWith(alignPrefix)
      ? { ...v, signal: "align" as const, alignedGroupId: signal.slice(alignPrefix.length) }
      : { ...v, signal: signal as ClauseSignal },
  );

/**
 * A delegate gives their own delegation's signal on a clause: the delegation comes from their
 * membership, never from the form, so nobody signs for another delegation.
 */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const { user, access, document } = await requireDocumentPermission(request, context, params.documentId, "conference:view");
  const actor = actorOf(access);
  return answeringRefusals(refused, async () => {
    assertMaySignal(actor);
    const form = await readProtectedForm(request, context, user);
    const parsed = parseForm(form, signalSchema);
    if (!parsed.ok) return refused(parsed);
    const clause = await giveSignal(context.sql, actor, { document, ...parsed.data });
    const { signal } = parsed.data;
    const given = signal === "align" ? "aligned with its group's signal" : signalLabels[signal];
    return done({ message: `Your delegation's signal on ${clause.label}: ${given}.` });
  });
}
