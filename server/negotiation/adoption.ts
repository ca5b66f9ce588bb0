import type { Tx } from "../audit/log";
import { textDigest } from "../audit/text-digest";
import { currentClauseStates, setClauseState } from "../queries/clause-states";
import { recordAdoption } from "../queries/adoption";
import type { AdoptionRecord } from "../../app/statement/adoption-line";
import { addProposalEvent } from "../queries/proposals";
import type { Audit } from "./change";
import { currentStatement } from "./numbering";

export const notTakenUpReason = "Not taken up: the text was adopted while it was still open.";

/**
 * Adopts a statement, inside the caller's transaction: every clause becomes agreed, the text is
 * marked adopted with its record (how and when: app/statement/adoption-line.ts), and every proposal still open (submitted, or a sponsor's draft) is closed as
 * not taken up, with an event in its history and an audit entry, so that nothing stays pending
 * on an adopted text. The proposal events name `closedBy`: the chair who put the text to adoption
 * and confirmed, when opening the procedure, that open proposals would close this way.
 * Returns the drafting documents that just became read-only.
 */
export async function adoptStatement(
  tx: Tx,
  audit: Audit,
  input: { documentId: string; closedBy: string; reason: string; subject: Record<string, unknown>; record: AdoptionRecord },
): Promise<{ frozenDrafts: string[] }> {
  const { documentId, closedBy, reason, subject } = input;
  const { clauses } = await currentStatement(tx, documentId);
  const states = await currentClauseStates(tx, documentId);
  for (const clause of clauses) {
    if (!clause.id || states.get(clause.id) === "agreed") continue;
    const from = states.get(clause.id) ?? "open";
    await setClauseState(tx, { documentId, clauseId: clause.id, state: "agreed", reason, userId: null });
    await audit("clause_state.set", {
      clauseId: clause.id,
      clause: clause.label,
      from,
      state: "agreed",
      reason: textDigest(reason),
      ...subject,
    });
  }
  await recordAdoption(tx, documentId, input.record);

  const open = await tx<
    { id: string; number: number; kind: string; clauseId: string | null; status: string; textDocumentId: string | null }[]
  >`
    update proposals p set status = 'not_taken_up', decided_at = now(), decision_reason = ${notTakenUpReason}
    from proposals before
    where before.id = p.id and p.document_id = ${documentId} and p.breakout_id is null and p.status in ('draft', 'submitted')
    returning p.id, p.number, p.kind, p.clause_id as "clauseId", before.status, p.text_document_id as "textDocumentId"`;
  open.sort((a, b) => a.number - b.number);
  for (const p of open) {
    await addProposalEvent(tx, { proposalId: p.id, kind: "not_taken_up", userId: closedBy, delegationId: null, reason: notTakenUpReason });
    await audit("proposal.not_taken_up", {
      proposalId: p.id,
      proposal: `P${p.number}`,
      kind: p.kind,
      clauseId: p.clauseId,
      clause: clauses.find((c) => c.id === p.clauseId)?.label,
      previousStatus: p.status,
      reason: textDigest(notTakenUpReason),
      ...subject,
    });
  }
  return { frozenDrafts: open.flatMap((p) => (p.textDocumentId ? [p.textDocumentId] : [])) };
}
