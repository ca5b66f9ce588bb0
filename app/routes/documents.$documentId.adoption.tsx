import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { actorOf } from "../../server/negotiation/actor";
import { adoptByConsensus, assertAdoptsInPlenary } from "../../server/negotiation/plenary-adoption";
import { readProtectedForm, requireDocumentPermission } from "~/utils/auth.server";
import { parseForm } from "~/utils/forms";
import { done, refused } from "~/utils/resource-responses";
import { answeringRefusals } from "~/utils/refusals.server";
import { maxTitleLength } from "~/statement/limits";

const adoptSchema = z.object({
  meeting: z.string().trim().max(maxTitleLength, `Keep the meeting under ${maxTitleLength} characters.`).optional().default(""),
  timeZone: z.string({ error: "Choose a time zone." }).trim().min(1, "Choose a time zone.").max(100),
  // The open business the chair confirmed, as the form showed it (server/negotiation/open-business.ts).
  openBusiness: z.string().max(20_000).optional(),
});

/** The chair declares the text adopted by consensus in plenary (server/negotiation/plenary-adoption.ts). */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const { user, access, document } = await requireDocumentPermission(request, context, params.documentId, "conference:view");
  const form = await readProtectedForm(request, context, user);
  const actor = actorOf(access);
  return answeringRefusals(refused, async () => {
    assertAdoptsInPlenary(actor);
    const parsed = parseForm(form, adoptSchema);
    if (!parsed.ok) return refused(parsed);
    await adoptByConsensus(context.sql, actor, { document, ...parsed.data });
    return done({ message: "The text is adopted by consensus." });
  });
}
