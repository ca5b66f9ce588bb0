import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { actorOf } from "../../server/negotiation/actor";
import {
  assertMayBreakSilence,
  assertRunsSilence,
  breakSilenceProcedure,
  cancelSilenceProcedure,
  openSilenceProcedure,
} from "../../server/negotiation/silence";
import { readProtectedForm, requireDocumentPermission } from "~/utils/auth.server";
import { parseForm } from "~/utils/forms";
import { done, refused } from "~/utils/resource-responses";
import { answeringRefusals } from "~/utils/refusals.server";
import { maxReasonLength } from "~/statement/limits";

const openSchema = z.object({
  date: z.string({ error: "Give the deadline's date." }).trim().min(1, "Give the deadline's date."),
  time: z.string({ error: "Give the deadline's time." }).trim().min(1, "Give the deadline's time."),
  timeZone: z.string({ error: "Choose a time zone." }).trim().min(1, "Choose a time zone.").max(100),
  note: z.string().trim().max(maxReasonLength, `Keep the note under ${maxReasonLength} characters.`).optional().default(""),
  // The open business the chair confirmed, as the form showed it (server/negotiation/open-business.ts).
  openBusiness: z.string().max(20_000).optional(),
});
const objectSchema = z.object({
  objection: z
    .string({ error: "Write your delegation's objection." })
    .trim()
    .min(1, "Write your delegation's objection.")
    .max(maxReasonLength, `Keep the objection under ${maxReasonLength} characters.`),
});

/** The silence procedure (the rules are in server/negotiation/silence.ts). */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const { user, access, document } = await requireDocumentPermission(request, context, params.documentId, "conference:view");
  const form = await readProtectedForm(request, context, user);
  const intent = form.get("intent");
  const actor = actorOf(access);
  const sql = context.sql;
  return answeringRefusals(refused, async () => {
    if (intent === "open") {
      assertRunsSilence(actor);
      const parsed = parseForm(form, openSchema);
      if (!parsed.ok) return refused(parsed);
      await openSilenceProcedure(sql, actor, { document, ...parsed.data });
      return done({ message: "The silence procedure is open." });
    }
    if (intent === "cancel") {
      await cancelSilenceProcedure(sql, actor, { documentId: document.id });
      return done({ message: "The silence procedure is cancelled." });
    }
    if (intent === "object") {
      assertMayBreakSilence(actor);
      const parsed = parseForm(form, objectSchema);
      if (!parsed.ok) return refused(parsed);
      await breakSilenceProcedure(sql, actor, { document, objection: parsed.data.objection });
      return done({ message: "You broke silence; negotiation reopens." });
    }
    return refused({ errors: { form: ["Unknown action."] } });
  });
}
