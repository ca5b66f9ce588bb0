import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { can } from "../../server/auth/permissions";
import { publishNegotiationEvent } from "../../server/negotiation/events";
import { validateCommentTarget } from "../../server/negotiation/comments";
import {
  createComment,
  findThread,
  markThreadRead,
  pinThread,
  setThreadResolved,
  unpinThread,
  type CommentRole,
} from "../../server/queries/comments";
import { maxEncodedPositionLength } from "../statement/anchor-positions";
import { maxCommentLength } from "../statement/limits";
import { readProtectedForm, requireDocumentPermission } from "../utils/auth.server";
import { parseForm } from "../utils/forms";
import { done, refused } from "../utils/resource-responses";
import { invariantResponse } from "../utils/invariant";

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
 * here through fetchers). Members who may comment write, reply, resolve and reopen; the chair
 * pins; anyone who can see the statement marks a thread read. Every change is announced live.
 */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const { user, access, document } = await requireDocumentPermission(request, context, params.documentId, "conference:view");
  const form = await readProtectedForm(request, context, user);
  const intentField = form.get("intent");
  const intent = typeof intentField === "string" ? intentField : "";
  const sql = context.sql;
  const announce = () => publishNegotiationEvent(sql, { documentId: document.id, topic: "comments" });

  if (intent !== "read") invariantResponse(can(access, "negotiation:comment"), "Observers cannot comment.", { status: 403 });
  if (intent === "pin" || intent === "unpin")
    invariantResponse(can(access, "negotiation:chair"), "Only the chair pins threads.", { status: 403 });

  if (intent === "create") {
    const parsed = parseForm(form, createSchema);
    if (!parsed.ok) return refused(parsed);
    const { clauseId, anchorStart, anchorEnd } = parsed.data;
    const target = await validateCommentTarget(
      sql,
      document.id,
      clauseId,
      anchorStart && anchorEnd ? { start: anchorStart, end: anchorEnd } : null
    );
    if (!target.ok) return refused({ errors: { [target.field]: [target.error] }, values: { intent, clauseId } });
    const id = await createComment(sql, {
      documentId: document.id,
      clauseId,
      parentId: null,
      anchor: target.anchor,
      body: parsed.data.body,
      authorId: user.id,
      authorRole: access.role as CommentRole,
      delegationId: access.delegationId,
    });
    await markThreadRead(sql, user.id, id);
    await announce();
    return done({ intent, threadId: id });
  }

  const parsed = parseForm(form, intent === "reply" ? replySchema : threadSchema);
  if (!parsed.ok) return refused(parsed);
  const thread = await findThread(sql, document.id, parsed.data.threadId);
  invariantResponse(thread, "There is no such comment thread.", { status: 404 });

  if (intent === "reply") {
    await sql.begin(async (tx) => {
      await createComment(tx, {
        documentId: document.id,
        clauseId: thread.clauseId,
        parentId: thread.id,
        anchor: null,
        body: (parsed.data as z.output<typeof replySchema>).body,
        authorId: user.id,
        authorRole: access.role as CommentRole,
        delegationId: access.delegationId,
      });
      // Replying means having read what one replies to.
      await markThreadRead(tx, user.id, thread.id);
    });
    await announce();
    return done({ intent, threadId: thread.id });
  }
  if (intent === "read") {
    // Only the reader's own markers change: nobody else needs to reload.
    await markThreadRead(sql, user.id, thread.id);
    return done({ intent, threadId: thread.id });
  }

  const changed =
    intent === "resolve"
      ? await setThreadResolved(sql, thread.id, user.id, true)
      : intent === "reopen"
      ? await setThreadResolved(sql, thread.id, user.id, false)
      : intent === "pin"
      ? await pinThread(sql, document.id, thread, user.id)
      : intent === "unpin"
      ? await unpinThread(sql, thread.id, user.id)
      : null;
  if (changed === null) return refused({ errors: { form: ["Unknown action."] } });
  if (changed) await announce();
  return done({ intent, threadId: thread.id });
}
