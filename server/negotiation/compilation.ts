import type { Db } from "../db/sql";
import { canSeeProposal, type ProposalRow } from "../queries/proposals";
import type { ClauseInfo, Part } from "../../app/statement/numbering";
import { proposalLabels } from "../../app/statement/negotiation-labels";
import { wordDiff, type DiffSegment } from "../../app/statement/word-diff";
import { excerpt } from "../../app/statement/excerpt";
import { maxProposalTextLength } from "../../app/statement/limits";
import { readDraft } from "./statement";
import type { NegotiationMarks } from "./marks";
import { alignedCodes } from "./proposal-views";
import { perClause } from "./packages";
import { type ClauseState, type ProposalStatus, setAsideStatuses } from "../../app/statement/vocabulary";

export interface CompiledProposal {
  id: string;
  /** "P7" */
  number: string;
  /** "OP5 alt", "OP5 bis", "Delete OP5", "Retain OP5" */
  label: string;
  kind: ProposalRow["kind"];
  status: ProposalStatus;
  sponsor: string;
  cosponsors: string[];
  supporters: string[];
  objectors: { name: string; reason: string }[];
  /** The proposal's text, marked word by word against the text it changes; empty once set aside. */
  diff: DiffSegment[];
  /** A withdrawn or rejected proposal's text is history: its start only (all of it on its own page). */
  excerpt: string | null;
  decisionReason: string | null;
}

export type CompilationEntry =
  | {
      type: "clause";
      id: string | null;
      label: string;
      part: Part;
      state: ClauseState;
      bracketed: boolean;
      provisional: boolean;
      text: string;
      proposals: CompiledProposal[];
    }
  | { type: "proposed"; anchorId: string | null; part: Part; label: string; proposal: CompiledProposal };

export interface CompilationFilters {
  delegationId: string | null;
  state: ClauseState | null;
  status: ProposalStatus | null;
}

export interface Compilation {
  entries: CompilationEntry[];
  counts: {
    clauses: number;
    agreed: number;
    withOpenProposals: number;
    pending: number;
    perDelegation: { name: string; count: number }[];
  };
}

export interface Viewer {
  delegationId: string | null;
  isChair: boolean;
}

const chairName = "The Chair";

/** The plain text of a proposal's drafting document, for its sponsors while it is a draft: its text blocks, one space apart. */
async function draftText(sql: Db, textDocumentId: string): Promise<string> {
  const { doc } = await readDraft(sql, textDocumentId);
  const blocks: string[] = [];
  // Every text block, whatever the drafting schema nests it in; a hard break adds nothing.
  doc.descendants((node) => {
    if (!node.isTextblock) return true;
    const text = node.textBetween(0, node.content.size, "", "");
    if (text) blocks.push(text);
    return false;
  });
  return blocks.join(" ");
}

/** The sponsoring delegation (with its aligned members), the breakout a package comes from, or the chair. */
function sponsorName(p: ProposalRow, aligned: string[]): string {
  if (p.package) return `Breakout B${p.package.breakoutNumber}`;
  return p.delegationName ? `${p.delegationName}${aligned.length > 0 ? ` (aligned: ${aligned.join(", ")})` : ""}` : chairName;
}

function diffOf(p: ProposalRow, text: string, base: string): DiffSegment[] {
  switch (p.kind) {
    case "replace":
    case "package":
      return wordDiff(base, text);
    case "add":
      return text ? [{ type: "insert", text }] : [];
    case "delete":
      return base ? [{ type: "delete", text: base }] : [];
    case "retain":
      return base ? [{ type: "equal", text: base }] : [];
  }
}

const involves = (p: ProposalRow, delegationId: string) =>
  p.delegationId === delegationId || p.positions.some((x) => x.delegationId === delegationId);

/**
 * The compilation of a statement for one reader: every clause with its label, state and text, the
 * proposals on it (those the reader may see), proposed new clauses right after the clause they
 * follow, and the counts. Filters narrow the entries, never the counts. From the statement's marks,
 * which the page also writes its rolling text from.
 */
export async function compileStatement(
  sql: Db,
  { statement, states, proposals: all, bracketed }: NegotiationMarks,
  viewer: Viewer,
  filters: CompilationFilters,
): Promise<Compilation> {
  const { clauses } = statement;
  // A breakout's package is on each clause it covers, with that clause's text (perClause).
  const visible = perClause(all).filter((p) => canSeeProposal(p, viewer));
  const labels = proposalLabels(visible, clauses);
  const clauseText = new Map(clauses.map((c) => [c.id, c.text]));

  const compiled = new Map<ProposalRow, CompiledProposal>();
  for (const p of visible) {
    // A draft may run past the limit until it is submitted; no more than a proposal may hold is shown.
    const text = p.revision
      ? p.revision.text
      : p.textDocumentId
        ? (await draftText(sql, p.textDocumentId)).slice(0, maxProposalTextLength)
        : "";
    const setAside = setAsideStatuses.includes(p.status) && text !== "";
    const base =
      (p.revision ? p.revision.baseText : p.baseText) || (p.clauseId && p.kind !== "add" ? (clauseText.get(p.clauseId) ?? "") : "");
    const named = (position: string) => p.positions.filter((x) => x.position === position);
    const aligned = alignedCodes(p);
    compiled.set(p, {
      id: p.id,
      number: `P${p.number}`,
      label: labels.get(p.id) ?? `P${p.number}`,
      kind: p.kind,
      status: p.status,
      sponsor: sponsorName(p, aligned),
      cosponsors: named("cosponsor").map((x) => x.delegationName),
      supporters: named("support").map((x) => x.delegationName),
      objectors: named("object").map((x) => ({ name: x.delegationName, reason: x.reason })),
      diff: setAside ? [] : diffOf(p, text, base),
      excerpt: setAside ? excerpt(text) : null,
      decisionReason: p.decisionReason,
    });
  }

  const keep = (p: ProposalRow) =>
    (!filters.status || p.status === filters.status) && (!filters.delegationId || involves(p, filters.delegationId));
  const proposalFilter = filters.status !== null || filters.delegationId !== null;
  const stateOf = (id: string | null): ClauseState => (id && states[id]) || "open";
  const clauseShown = (c: ClauseInfo | null) => !filters.state || (c !== null && stateOf(c.id) === filters.state);
  // Proposed new clauses: those not (yet) accepted, after the clause they follow.
  const isProposed = (p: ProposalRow) => p.kind === "add" && !(p.status === "accepted" && p.newClauseId && clauseText.has(p.newClauseId));
  const proposedAfter = (anchorId: string | null, part: Part) =>
    visible.filter((p) => isProposed(p) && p.clauseId === anchorId && (anchorId !== null || p.part === part) && keep(p));

  const entries: CompilationEntry[] = [];
  const pushProposed = (anchor: ClauseInfo | null, part: Part) => {
    if (!clauseShown(anchor)) return;
    for (const p of proposedAfter(anchor?.id ?? null, part)) {
      entries.push({ type: "proposed", anchorId: anchor?.id ?? null, part, label: labels.get(p.id)!, proposal: compiled.get(p)! });
    }
  };
  for (const part of ["pp", "op"] as const) {
    pushProposed(null, part);
    for (const c of clauses.filter((x) => x.part === part)) {
      const own = visible.filter((p) => (p.kind !== "add" ? p.clauseId === c.id : p.newClauseId === c.id && !isProposed(p)) && keep(p));
      if (clauseShown(c) && (!proposalFilter || own.length > 0)) {
        entries.push({
          type: "clause",
          id: c.id,
          label: c.label,
          part,
          state: stateOf(c.id),
          bracketed: c.id !== null && bracketed.has(c.id),
          provisional: c.provisional,
          text: c.text,
          proposals: own.map((p) => compiled.get(p)!),
        });
      }
      pushProposed(c, part);
    }
  }

  // Counted once each, a package too.
  const proposals = [...new Map(visible.map((p) => [p.id, p])).values()];
  const perDelegation = new Map<string, number>();
  for (const p of proposals) perDelegation.set(sponsorName(p, []), (perDelegation.get(sponsorName(p, [])) ?? 0) + 1);
  const open = (p: ProposalRow) => p.status === "draft" || p.status === "submitted";
  return {
    entries,
    counts: {
      clauses: clauses.length,
      agreed: clauses.filter((c) => stateOf(c.id) === "agreed").length,
      withOpenProposals: clauses.filter((c) => visible.some((p) => open(p) && p.clauseId === c.id && p.kind !== "add")).length,
      pending: proposals.filter((p) => p.status === "submitted").length,
      perDelegation: [...perDelegation].map(([name, count]) => ({ name, count })).sort((a, b) => a.name.localeCompare(b.name)),
    },
  };
}
