import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { clauseState, setClauseState, textLocks } from "../../server/queries/clause-states";
import { appendAudit } from "../../server/audit/log";
import { textDigest } from "../../server/audit/text-digest";
import { findClause } from "../../server/negotiation/clause-lookup";
import { publishNegotiationEvent } from "../../server/negotiation/events";
import { readProtectedForm, requireDocumentPermission } from "../utils/auth.server";
import { parseForm } from "../utils/forms";
import { done, refused } from "../utils/resource-responses";
import { stateLabels } from "../statement/negotiation-labels";
import { maxReasonLength } from "../statement/limits";
import { type ClauseState, clauseStates } from "../statement/vocabulary";

const stateSchema = z.object({
  clauseId: z.string({ error: "Choose a clause." }).trim().min(1, "Choose a clause.").max(100),
  state: z.enum(clauseStates as [ClauseState, ...ClauseState[]], { error: "Choose the clause's state." }),
  reason: z.string().trim().max(maxReasonLength, `Keep it under ${maxReasonLength} characters.`).optional().default(""),
});

/**
 * The chair sets a clause's state. An agreed clause's text is locked on the collaboration server
 * (every instance reloads its locks on the event) until the chair reopens it.
 */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const { user, document } = await requireDocumentPermission(request, context, params.documentId, "negotiation:chair");
  const form = await readProtectedForm(request, context, user);
  const parsed = parseForm(form, stateSchema);
  if (!parsed.ok) return refused(parsed);
  const { clauseId, state, reason } = parsed.data;
  const locks = await textLocks(context.sql, document.id);
  if (locks.whole === "adopted") return refused({ errors: { form: ["The text is adopted; its clauses stay agreed."] } });
  if (locks.whole === "silence")
    return refused({ errors: { form: ["A silence procedure is running; cancel it before changing a clause's state."] } });
  const clause = await findClause(context.sql, document.id, clauseId);
  if (!clause) return refused({ errors: { clauseId: ["There is no such clause in this statement."] } });
  await context.sql.begin(async (tx) => {
    const before = await clauseState(tx, document.id, clauseId);
    await setClauseState(tx, { documentId: document.id, clauseId, state, reason, userId: user.id });
    await appendAudit(tx, {
      documentId: document.id,
      actorId: user.id,
      action: "clause_state.set",
      subject: { clauseId, clause: clause.label, from: before, state, reason: textDigest(reason) },
    });
  });
  await publishNegotiationEvent(context.sql, { documentId: document.id, topic: "states" });
  return done({ message: `${clause.label} is now ${stateLabels[state].toLowerCase()}.` });
}
