import type { Node as PMNode } from "@tiptap/pm/model";
import type { Db } from "../db/sql";
import { canSeeProposal, isSponsor, listProposals, type ProposalRow } from "../queries/proposals";
import type { ClauseInfo } from "../../app/statement/numbering";
import { excerpt } from "../../app/statement/excerpt";
import { currentStatement } from "./numbering";
import type { Actor } from "./actor";
import { setAsideStatuses } from "../../app/statement/vocabulary";

/** A proposal as a page shows it, with the clause it is on as the statement stands now. */
export interface ProposalSummary {
  id: string;
  number: number;
  kind: ProposalRow["kind"];
  clauseId: string | null;
  part: ProposalRow["part"];
  status: ProposalRow["status"];
  sponsor: string;
  /** The chair's compromise text (no sponsoring delegation). */
  compromise: boolean;
  /** The viewer is one of its sponsors (may draft, submit, withdraw). */
  mine: boolean;
  /** What it is about, after its kind ("Replace", "New clause"): "OP3", "after OP3", "at the start of the operative part". */
  target: string;
  /** The clause's current label (null for a clause that no longer exists). */
  clauseLabel: string | null;
  baseText: string;
  /** The latest submitted revision's text, and its number; null while a draft, and in lists once set aside. */
  proposedText: string | null;
  /** In lists, the start of a withdrawn or rejected proposal's text instead of all of it. */
  excerpt: string | null;
  revision: number | null;
  /** The clause's text now (null when it no longer exists). */
  currentText: string | null;
  textDocumentId: string | null;
  positions: ProposalRow["positions"];
  decisionReason: string | null;
  decidedByName: string | null;
  mergedInto: string | null;
  /**
   * A breakout's package: its breakout, whether the chair opened it for discussion, and each clause
   * it covers (its label now, or null once removed) with the package's text and the text it replaces.
   */
  package: {
    breakoutId: string;
    breakout: string;
    inDiscussion: boolean;
    clauses: { clauseId: string; label: string | null; text: string; baseText: string }[];
  } | null;
}

const partNames = { pp: "preambular", op: "operative" } as const;

/** What a proposal is about, after its kind: "OP3", "after OP3", "at the start of the operative part". */
export function proposalTarget(
  p: Pick<ProposalRow, "kind" | "clauseId" | "part"> & { package?: ProposalRow["package"] },
  clauses: readonly ClauseInfo[],
): string {
  if (p.package)
    return p.package.clauses.map((c) => clauses.find((x) => x.id === c.clauseId)?.label ?? "a clause since removed").join(", ");
  const clause = clauses.find((c) => c.id === p.clauseId) ?? null;
  if (p.kind !== "add") return clause?.label ?? "a clause since removed";
  return p.clauseId ? `after ${clause?.label ?? "a clause since removed"}` : `at the start of the ${partNames[p.part]} part`;
}

/** The codes of a group's member delegations aligned with its proposal. */
export const alignedCodes = (p: Pick<ProposalRow, "positions">): string[] =>
  p.positions.filter((x) => x.position === "align").map((x) => x.delegationCode);

/** "Norway (NOR)", or for a group with members aligned with the proposal "G-77 and China (G77; aligned: BRA, IND)". */
function sponsorOf(p: ProposalRow): string {
  if (p.package) return `Breakout B${p.package.breakoutNumber}`;
  if (!p.delegationId) return "Chair's compromise";
  const aligned = alignedCodes(p);
  return `${p.delegationName} (${p.delegationCode}${aligned.length > 0 ? `; aligned: ${aligned.join(", ")}` : ""})`;
}

export function summarize(p: ProposalRow, clauses: readonly ClauseInfo[], viewer: Actor): ProposalSummary {
  const clause = clauses.find((c) => c.id === p.clauseId) ?? null;
  const target = proposalTarget(p, clauses);
  return {
    id: p.id,
    number: p.number,
    kind: p.kind,
    clauseId: p.clauseId,
    part: p.part,
    status: p.status,
    sponsor: sponsorOf(p),
    compromise: p.delegationId === null && !p.package,
    mine: isSponsor(p, viewer),
    target,
    clauseLabel: clause?.label ?? null,
    baseText: p.revision?.baseText ?? p.baseText,
    proposedText: p.revision?.text ?? null,
    excerpt: null,
    revision: p.revision?.number ?? null,
    // A package's, as its text is: its clauses' texts now, a blank line apart (server/breakouts/breakouts.ts).
    currentText: p.package
      ? p.package.clauses.map((c) => clauses.find((x) => x.id === c.clauseId)?.text ?? "").join("\n\n")
      : (clause?.text ?? null),
    textDocumentId: p.textDocumentId,
    positions: p.positions,
    decisionReason: p.decisionReason,
    decidedByName: p.decidedByName,
    mergedInto: p.mergedInto,
    package: p.package && {
      breakoutId: p.package.breakoutId,
      breakout: `B${p.package.breakoutNumber}`,
      inDiscussion: p.status === "submitted" && p.discussionOpenedAt !== null,
      clauses: p.package.clauses.map((c) => ({ ...c, label: clauses.find((x) => x.id === c.clauseId)?.label ?? null })),
    },
  };
}

/**
 * A proposal as lists show it (every page showing the statement, on every live reload): a
 * withdrawn or rejected one with the start of its text only.
 */
function listed(s: ProposalSummary): ProposalSummary {
  // A deletion or retention has no text of its own: nothing to shorten.
  if (!setAsideStatuses.includes(s.status) || !s.proposedText) return s;
  return { ...s, proposedText: null, excerpt: excerpt(s.proposedText) };
}

/** Of a statement's proposals, those the viewer may see (drafts only to their sponsors), as lists show them. */
export function listedProposals(rows: ProposalRow[], clauses: ClauseInfo[], viewer: Actor): ProposalSummary[] {
  return rows.filter((p) => canSeeProposal(p, viewer)).map((p) => listedProposal(p, clauses, viewer));
}

/** A proposal as lists show it; it depends on the viewer only as one of its sponsors or not (`isSponsor`). */
export function listedProposal(p: ProposalRow, clauses: readonly ClauseInfo[], viewer: Actor): ProposalSummary {
  return listed(summarize(p, clauses, viewer));
}

/** The proposals on a statement the viewer may see, as lists show them, with the statement's clauses now. */
export async function visibleProposals(
  sql: Db,
  documentId: string,
  viewer: Actor,
): Promise<{ proposals: ProposalSummary[]; clauses: ClauseInfo[]; doc: PMNode }> {
  const [rows, { doc, clauses }] = await Promise.all([listProposals(sql, documentId), currentStatement(sql, documentId)]);
  return { proposals: listedProposals(rows, clauses, viewer), clauses, doc };
}
