import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { actorOf } from "../../server/negotiation/actor";
import { changeClauseState } from "../../server/negotiation/clause-states";
import { readProtectedForm, requireDocumentPermission } from "~/utils/auth.server";
import { answeringRefusals } from "~/utils/refusals.server";
import { parseForm } from "~/utils/forms";
import { done, refused } from "~/utils/resource-responses";
import { stateLabels } from "~/statement/negotiation-labels";
import { maxReasonLength } from "~/statement/limits";
import { type ClauseState, clauseStates } from "~/statement/vocabulary";

const stateSchema = z.object({
  clauseId: z.string({ error: "Choose a clause." }).trim().min(1, "Choose a clause.").max(100),
  state: z.enum(clauseStates as [ClauseState, ...ClauseState[]], { error: "Choose the clause's state." }),
  reason: z.string().trim().max(maxReasonLength, `Keep it under ${maxReasonLength} characters.`).optional().default(""),
  // The delegations the chair confirmed agreeing over, as the form named them.
  overriding: z.string().max(20_000).optional(),
});

/** The chair sets a clause's state (the rules are in server/negotiation/clause-states.ts). */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const { user, access, document } = await requireDocumentPermission(request, context, params.documentId, "negotiation:chair");
  const form = await readProtectedForm(request, context, user);
  const parsed = parseForm(form, stateSchema);
  if (!parsed.ok) return refused(parsed);
  const { state } = parsed.data;
  return answeringRefusals(refused, async () => {
    const clause = await changeClauseState(context.sql, actorOf(access), { documentId: document.id, ...parsed.data });
    return done({ message: `${clause.label} is now ${stateLabels[state].toLowerCase()}.` });
  });
}
