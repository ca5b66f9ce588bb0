import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { actorOf } from "../../server/negotiation/actor";
import {
  assertFilesExplanation,
  fileExplanation,
  reviseExplanationOfPosition,
  withdrawExplanation,
} from "../../server/negotiation/explanations";
import { readProtectedForm, requireDocumentPermission } from "~/utils/auth.server";
import { parseForm } from "~/utils/forms";
import { done, refused } from "~/utils/resource-responses";
import { answeringRefusals } from "~/utils/refusals.server";
import { maxExplanationLength } from "~/statement/limits";

const explanationSchema = z.object({
  text: z
    .string({ error: "Write your delegation's explanation." })
    .trim()
    .min(1, "Write your delegation's explanation.")
    .max(maxExplanationLength, `Keep the explanation under ${maxExplanationLength.toLocaleString("en")} characters.`),
  reservation: z.literal("on").optional(),
  explanationId: z.string().max(100).optional(),
});
const withdrawSchema = z.object({ explanationId: z.string({ error: "Choose the explanation to withdraw." }).max(100) });
const clauseIdsSchema = z.array(z.string().max(100)).max(1000, "Choose fewer paragraphs.");

/** Files, revises or withdraws a delegation's explanation of position (its page is /documents/<id>/explanations). */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, access, document } = await requireDocumentPermission(request, context, params.documentId, "conference:view");
  const form = await readProtectedForm(request, context, user);
  const intent = form.get("intent");
  const actor = actorOf(access);
  const sql = context.sql;
  return answeringRefusals(refused, async () => {
    // Who may file is answered before what they wrote.
    assertFilesExplanation(actor);
    if (intent === "withdraw") {
      const withdrawing = parseForm(form, withdrawSchema);
      if (!withdrawing.ok) return refused(withdrawing);
      await withdrawExplanation(sql, actor, { document, explanationId: withdrawing.data.explanationId });
      return done({ message: "Your delegation's explanation is withdrawn." });
    }
    const parsed = parseForm(form, explanationSchema);
    if (!parsed.ok) return refused(parsed);
    const clauseIds = clauseIdsSchema.safeParse(form.getAll("clauseIds"));
    if (!clauseIds.success) return refused({ errors: { clauseIds: ["Choose the paragraphs from the list."] } });
    const input = { document, clauseIds: clauseIds.data, reservation: parsed.data.reservation === "on", text: parsed.data.text };
    if (intent === "file") {
      await fileExplanation(sql, actor, input);
      return done({ message: "Your delegation's explanation of position is filed." });
    }
    if (intent === "revise") {
      await reviseExplanationOfPosition(sql, actor, { ...input, explanationId: parsed.data.explanationId ?? "" });
      return done({ message: "Your delegation's explanation is revised." });
    }
    return refused({ errors: { form: ["Unknown action."] } });
  });
}
