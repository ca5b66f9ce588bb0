import type { JSONContent } from "@tiptap/core";
import type { Tx } from "../audit/log";
import { appendAudit } from "../audit/log";
import { textDigest } from "../audit/text-digest";
import { addProposalEvent, insertProposal, insertRevision, nextProposalNumber, recordDecision } from "../queries/proposals";
import { createDraft } from "./statement";
import { clauseBody, type ImportedStatement, type ImportPlan } from "../import/zero-draft";
import { listClauses, type ClauseInfo, type Part } from "../../app/statement/numbering";
import { statementSchema } from "../../app/statement/schema";
import { proposalSchema } from "../../app/statement/proposal-schema";
import type { ProposalKind } from "../../app/statement/vocabulary";

/**
 * What a zero draft brings beyond its text, recorded as the negotiation records it, so that the
 * one numbering, the brackets, the compilation and the exports need nothing of their own:
 * - a clause written "2 bis." is a clause added by an accepted "add" proposal, hence provisional
 *   and labelled "OP2 bis" until agreed;
 * - an alternative ("5 alt.") is an open (submitted) proposal to replace its clause, shown in the
 *   compilation and bracketing the clause in a draft, to be accepted, rejected or withdrawn.
 * Both are the chair's (no sponsoring delegation), as the texts of a zero draft are the chair's to
 * table. Whoever imports is recorded as their author and as the one who accepted the added
 * clauses: the person who did it, whether or not the conference has a chair yet, and the chair
 * (anyone holding the chair's role, now or later) may still withdraw or decide an alternative.
 */

/** The reason recorded for accepting the added clauses. */
export const importedReason = "In the zero draft as imported.";

export async function tableImportedProposals(
  tx: Tx,
  input: { conferenceId: string; documentId: string; importedBy: string; plan: ImportPlan; draft: Pick<ImportedStatement, "alternatives"> },
): Promise<void> {
  const { plan, documentId, importedBy } = input;
  const doc = statementSchema.nodeFromJSON(plan.json);
  const clauses = listClauses(doc, plan.provisional);
  const byId = new Map(clauses.map((c) => [c.id!, c]));

  const record = async (
    p: { kind: ProposalKind; clause: ClauseInfo | null; anchorId: string | null; part: Part; content: JSONContent[]; baseText: string },
    decided: { newClauseId: string } | null,
  ) => {
    const text = proposalSchema.nodeFromJSON({ type: "doc", content: p.content }).textContent;
    const number = await nextProposalNumber(tx, documentId);
    const draft = await createDraft(tx, { conferenceId: input.conferenceId, title: `P${number}`, content: p.content });
    const id = await insertProposal(tx, {
      documentId,
      number,
      kind: p.kind,
      clauseId: p.anchorId,
      part: p.part,
      textDocumentId: draft.id,
      delegationId: null,
      createdBy: importedBy,
      baseText: p.baseText,
      status: "submitted",
    });
    await insertRevision(tx, { proposalId: id, revision: 1, content: p.content, text, baseText: p.baseText, submittedBy: importedBy });
    if (decided) await recordDecision(tx, id, { status: "accepted", decidedBy: importedBy, reason: importedReason, ...decided });
    const subject = { proposalId: id, proposal: `P${number}`, kind: p.kind, clauseId: p.anchorId, clause: p.clause?.label, imported: true };
    const events = new Map<"created" | "submitted" | "accepted", Record<string, unknown>>([
      ["created", { part: p.part, compromise: true }],
      ["submitted", { revision: 1, text: textDigest(text) }],
    ]);
    if (decided) events.set("accepted", { reason: textDigest(importedReason), newClauseId: decided.newClauseId });
    for (const [kind, details] of events) {
      await addProposalEvent(tx, {
        proposalId: id,
        kind,
        userId: importedBy,
        delegationId: null,
        reason: kind === "accepted" ? importedReason : "",
      });
      await appendAudit(tx, {
        documentId,
        actorId: importedBy,
        action: `proposal.${kind}`,
        subject: { ...subject, ...details },
      });
    }
  };

  // Added clauses in the order of the text, each after the clause before it (as if added one by one).
  for (const part of ["pp", "op"] as const) {
    const ids = plan.ids[part];
    for (const [i, id] of ids.entries()) {
      if (!plan.provisional.has(id)) continue;
      const added = byId.get(id)!;
      const anchor = i > 0 ? byId.get(ids[i - 1])! : null;
      const content = doc.nodeAt(added.pos)!.content.toJSON() as JSONContent[];
      await record({ kind: "add", clause: anchor, anchorId: anchor?.id ?? null, part, content, baseText: "" }, { newClauseId: id });
    }
  }
  for (const alternative of input.draft.alternatives) {
    const clause = byId.get(plan.ids[alternative.part][alternative.clause])!;
    await record(
      { kind: "replace", clause, anchorId: clause.id, part: alternative.part, content: clauseBody(alternative), baseText: clause.text },
      null,
    );
  }
}
