import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { actorOf } from "../../server/negotiation/actor";
import { submitProposal } from "../../server/negotiation/proposals";
import { addNote, changeNote, setHold, workspaceMember } from "../../server/workspace/workspace";
import { readProtectedForm, requireDocumentPermission } from "~/utils/auth.server";
import { parseForm } from "~/utils/forms";
import { done, refused } from "~/utils/resource-responses";
import { answeringRefusals } from "~/utils/refusals.server";
import { maxWorkspaceNoteLength } from "~/statement/limits";

const clauseId = z
  .string({ error: "Choose a paragraph." })
  .trim()
  .min(1, "Choose a paragraph.")
  .max(100, "There is no such paragraph in this statement.");
const noteId = z.string({ error: "Choose a note." }).uuid("There is no such note.");
const body = z
  .string({ error: "Write the note." })
  .trim()
  .min(1, "Write the note.")
  .max(maxWorkspaceNoteLength, `Keep the note under ${maxWorkspaceNoteLength.toLocaleString("en")} characters.`);
const schemas = {
  note: z.object({ clauseId, body }),
  edit: z.object({ noteId, body }),
  delete: z.object({ noteId }),
  hold: z.object({ clauseId }),
  unhold: z.object({ clauseId }),
  table: z.object({ proposalId: z.string({ error: "Choose the draft to table." }).uuid("There is no such proposal.") }),
};
type Intent = keyof typeof schemas;

/**
 * Notes, holds and tabling a draft in the person's own delegation's workspace (the form names no
 * delegation), posted from the workspace page (/documents/<id>/workspace) and the statement page.
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, access, document } = await requireDocumentPermission(request, context, params.documentId, "conference:view");
  const form = await readProtectedForm(request, context, user);
  const sql = context.sql;
  return answeringRefusals(refused, async () => {
    // Who may use the workspace is answered before what they sent.
    const member = workspaceMember(access);
    const intent = form.get("intent");
    if (typeof intent !== "string" || !Object.hasOwn(schemas, intent)) return refused({ errors: { form: ["Choose what to do."] } });
    const parsed = parseForm(form, schemas[intent as Intent]);
    if (!parsed.ok) return refused(parsed);
    const v = parsed.data as Record<string, string>;
    switch (intent as Intent) {
      case "note": {
        const { clause } = await addNote(sql, member, { documentId: document.id, clauseId: v.clauseId, body: v.body });
        return done({ message: `Note added on ${clause.label}.` });
      }
      case "edit":
        await changeNote(sql, member, { documentId: document.id, noteId: v.noteId, body: v.body });
        return done({ message: "Note saved." });
      case "delete":
        await changeNote(sql, member, { documentId: document.id, noteId: v.noteId, body: null });
        return done({ message: "Note deleted." });
      case "hold":
      case "unhold": {
        const held = intent === "hold";
        const clause = await setHold(sql, member, { document, clauseId: v.clauseId, held });
        const label = clause?.label ?? "The paragraph";
        return done({ message: held ? `${label} is held, awaiting instructions from capital.` : `${label} is no longer held.` });
      }
      case "table": {
        // Tabling is submitting the draft, through the proposals' own rules and checks (and their audit).
        await submitProposal(sql, actorOf(access), document.id, v.proposalId);
        return done({ message: "The proposal is tabled: everyone sees it now." });
      }
    }
  });
}
