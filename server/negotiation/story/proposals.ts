import { canSeeProposal } from "../../queries/proposals";
import { proposalHistory, proposalRevisionTexts } from "../../queries/story";
import { proposalsOnClause } from "./clause-proposals";
import type { ProposalEntry, StorySource } from "./entries";

/**
 * The proposals on the clause and their fate: each submission and revision with its text (against
 * the clause as it was drafted against), positions, and the chair's decision. Only proposals the
 * reader may see (`canSeeProposal`): a delegation's unsubmitted draft is its own, never anyone else's.
 */
export const proposalHistorySource: StorySource = {
  name: "proposals",
  sight: "negotiation",
  async entries({ sql, document, clauseId, viewer }) {
    const { onClause, numbers } = await proposalsOnClause(sql, document.id, clauseId);
    const proposals = onClause.filter((p) => canSeeProposal(p, viewer));
    const ids = proposals.map((p) => p.id);
    const byId = new Map(proposals.map((p) => [p.id, p]));
    const [events, revisions] = await Promise.all([proposalHistory(sql, ids), proposalRevisionTexts(sql, ids)]);
    const about = (id: string) => {
      const p = byId.get(id)!;
      return { id: p.id, number: p.number, kind: p.kind, sponsor: p.package ? `B${p.package.breakoutNumber}` : p.delegationCode };
    };
    // A submission or revision is told with its frozen text: the n-th of a proposal's is its revision n.
    const texts = new Map(revisions.map((r) => [`${r.proposalId}:${r.revision}`, r]));
    const submissions = new Map<string, number>();
    const entries: ProposalEntry[] = [];
    for (const e of events) {
      let revision: ProposalEntry["revision"] = null;
      if (e.kind === "submitted" || e.kind === "revised") {
        const n = (submissions.get(e.proposalId) ?? 0) + 1;
        submissions.set(e.proposalId, n);
        const r = texts.get(`${e.proposalId}:${n}`);
        // Deleting or retaining a clause proposes no text; a package, this clause's (perClause).
        const p = byId.get(e.proposalId)!;
        if (r && p.kind === "package") revision = { number: r.revision, text: p.revision!.text, baseText: p.revision!.baseText };
        else if (r && (p.kind === "replace" || p.kind === "add")) revision = { number: r.revision, text: r.text, baseText: r.baseText };
      }
      entries.push({
        kind: "proposal",
        at: e.createdAt.toISOString(),
        event: e.kind,
        proposal: about(e.proposalId),
        by: e.delegationCode ? `${e.userName} (${e.delegationCode})` : e.userName,
        reason: e.reason,
        revision,
        mergedInto: e.kind === "merged" ? (numbers.get(byId.get(e.proposalId)!.mergedInto ?? "") ?? null) : null,
      });
    }
    return entries;
  },
};
