import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { actorOf } from "../../server/negotiation/actor";
import { assertMayComment, assertMayPin, changeThread, markRead, replyToThread, startThread } from "../../server/negotiation/comments";
import { maxEncodedPositionLength } from "~/statement/anchor-positions";
import { maxCommentLength } from "~/statement/limits";
import { readProtectedForm, requireNegotiationPermission } from "~/utils/auth.server";
import { parseForm } from "~/utils/forms";
import { done, refused } from "~/utils/resource-responses";
import { answeringRefusals } from "~/utils/refusals.server";

const body = z
  .string({ error: "Write a comment." })
  .trim()
  .min(1, "Write a comment.")
  .max(maxCommentLength, `A comment has at most ${maxCommentLength} characters.`);
const threadId = z.string({ error: "Choose a thread." }).min(1, "Choose a thread.").max(100);
const position = z.string().max(maxEncodedPositionLength, "The selection is not valid; select the text again.").optional();

const createSchema = z
  .object({
    clauseId: z.string({ error: "Choose a clause." }).trim().min(1, "Choose a clause.").max(100),
    body,
    anchorStart: position,
    anchorEnd: position,
  })
  .refine((v) => !v.anchorStart === !v.anchorEnd, { path: ["anchor"], message: "The selection is not valid; select the text again." });
const replySchema = z.object({ threadId, body });
const threadSchema = z.object({ threadId });

/**
 * Comments on a statement's clauses (action only; the statement page loads the threads and posts
 * here through fetchers). The rules are in server/negotiation/comments.ts.
 */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const { user, access, document } = await requireNegotiationPermission(request, context, params.documentId, "conference:view");
  const form = await readProtectedForm(request, context, user);
  const intentField = form.get("intent");
  const intent = typeof intentField === "string" ? intentField : "";
  const actor = actorOf(access);
  const sql = context.sql;
  const documentId = document.id;

  return answeringRefusals(refused, async () => {
    if (intent !== "read") assertMayComment(actor);
    if (intent === "pin" || intent === "unpin") assertMayPin(actor);

    if (intent === "create") {
      const parsed = parseForm(form, createSchema);
      if (!parsed.ok) return refused(parsed);
      const { clauseId, anchorStart, anchorEnd, body } = parsed.data;
      const anchor = anchorStart && anchorEnd ? { start: anchorStart, end: anchorEnd } : null;
      const threadId = await startThread(sql, actor, { documentId, clauseId, anchor, body });
      return done({ intent, threadId });
    }

    const parsed = parseForm(form, intent === "reply" ? replySchema : threadSchema);
    if (!parsed.ok) return refused(parsed);
    const { threadId } = parsed.data;
    if (intent === "reply")
      await replyToThread(sql, actor, { documentId, threadId, body: (parsed.data as z.output<typeof replySchema>).body });
    else if (intent === "read") await markRead(sql, actor, { documentId, threadId });
    else if (intent === "resolve" || intent === "reopen" || intent === "pin" || intent === "unpin")
      await changeThread(sql, actor, { documentId, threadId, change: intent });
    else return refused({ errors: { form: ["Unknown action."] } });
    return done({ intent, threadId });
  });
}
