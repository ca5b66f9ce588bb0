import { provisionalLabel, type ClauseInfo, type Part } from "./numbering";
import type { ClauseSignal, ClauseState, Position, ProposalKind, ProposalStatus } from "./vocabulary";

export interface LabelledProposal {
  id: string;
  number: number;
  kind: ProposalKind;
  clauseId: string | null;
  part: Part;
  status: string;
  newClauseId: string | null;
  /** A breakout's package: the breakout's number. */
  package?: { breakoutNumber: number } | null;
}

/** "B2 package": how negotiators name a breakout's outcome before the plenary. */
export const packageName = (p: { breakoutNumber: number }) => `B${p.breakoutNumber} package`;

/**
 * How negotiators name proposals, from the statement's clauses (labelled with listClauses, the
 * provisional ones included): "OP5 alt" (or "OP5 alt 1", "OP5 alt 2" in order of number when there
 * are several), "Delete OP5", "Retain OP5", and for a new clause after OP5 "OP5 bis", "OP5 ter"…
 * counted after the provisional clauses already there. An accepted addition is named by the clause
 * it created. Proposals not yet accepted keep their slot whatever happens to the others, so a
 * rejection does not rename the rest; labels are computed over the proposals the reader can see.
 */
export function proposalLabels(proposals: readonly LabelledProposal[], clauses: readonly ClauseInfo[]): Map<string, string> {
  const byId = new Map(clauses.filter((c) => c.id).map((c) => [c.id!, c]));
  const labelOf = (clauseId: string | null) => (clauseId ? byId.get(clauseId)?.label : undefined) ?? "a removed clause";
  const ordered = [...proposals].sort((a, b) => a.number - b.number);
  const out = new Map<string, string>();

  const replacements = new Map<string, LabelledProposal[]>();
  for (const p of ordered)
    if (p.kind === "replace" && p.clauseId) replacements.set(p.clauseId, [...(replacements.get(p.clauseId) ?? []), p]);
  for (const [clauseId, list] of replacements) {
    list.forEach((p, i) => out.set(p.id, list.length === 1 ? `${labelOf(clauseId)} alt` : `${labelOf(clauseId)} alt ${i + 1}`));
  }

  // Additions after the same numbered clause share its ordinals with the provisional clauses there.
  const taken = new Map<string, number>();
  for (const c of clauses) if (c.provisional) taken.set(`${c.part}:${c.number}`, (taken.get(`${c.part}:${c.number}`) ?? 0) + 1);

  for (const p of ordered) {
    if (p.kind === "package") out.set(p.id, p.package ? packageName(p.package) : `P${p.number}`);
    else if (p.kind === "delete") out.set(p.id, `Delete ${labelOf(p.clauseId)}`);
    else if (p.kind === "retain") out.set(p.id, `Retain ${labelOf(p.clauseId)}`);
    else if (p.kind === "add") {
      const created = p.status === "accepted" && p.newClauseId ? byId.get(p.newClauseId) : undefined;
      if (created) {
        out.set(p.id, created.label);
        continue;
      }
      const anchor = p.clauseId ? byId.get(p.clauseId) : undefined;
      const part = anchor?.part ?? p.part;
      const number = anchor?.number ?? 0;
      const key = `${part}:${number}`;
      const k = (taken.get(key) ?? 0) + 1;
      taken.set(key, k);
      out.set(p.id, provisionalLabel(part, number, k));
    }
  }
  return out;
}

export const signalLabels: Record<ClauseSignal, string> = {
  accept: "Can accept",
  not_yet: "Cannot accept yet",
  reservation: "Accepts with a reservation",
};

export const stateLabels: Record<ClauseState, string> = {
  open: "Open",
  under_negotiation: "Under negotiation",
  agreed_ad_ref: "Agreed ad referendum",
  agreed: "Agreed",
};

/** The short form on a clause's badge and in the compilation. */
export const stateBadgeLabels: Record<ClauseState, string> = { ...stateLabels, agreed_ad_ref: "Agreed ad ref." };

export const proposalKindLabels: Record<ProposalKind, string> = {
  replace: "Replace",
  delete: "Delete",
  retain: "Retain",
  add: "New clause",
  package: "Breakout package",
};

export const proposalStatusLabels: Record<ProposalStatus, string> = {
  draft: "Draft",
  submitted: "Submitted",
  accepted: "Accepted",
  rejected: "Rejected",
  merged: "Merged",
  withdrawn: "Withdrawn",
  not_taken_up: "Not taken up",
};

const positionHolders: Record<Position, [one: string, many: string]> = {
  cosponsor: ["Co-sponsor", "Co-sponsors"],
  support: ["Supporter", "Supporters"],
  object: ["Objection", "Objections"],
  align: ["Aligned member", "Aligned members"],
};

/** The heading over `count` positions of one kind, agreeing in number: one "Objection", none or several "Objections". */
export function positionHeading(position: Position, count: number): string {
  const [one, many] = positionHolders[position];
  return count === 1 ? one : many;
}
