import { canSeeProposal, type ProposalRow } from "../queries/proposals";
import { perClause } from "./packages";
import { buildExportModel, type Block, type ExportClause, type ExportStatement, type Run } from "../export/model";
import { proposalLabels } from "../../app/statement/negotiation-labels";
import { wordDiff } from "../../app/statement/word-diff";
import type { ClauseInfo, Part } from "../../app/statement/numbering";
import type { NumberedStatement } from "./numbering";
import type { NegotiationMarks } from "./marks";

/**
 * The rolling text: the statement as it stands with every open (submitted) proposal the reader
 * may see written into it where it applies, as negotiators circulate it between sessions.
 *
 * - A replacement brackets the words it changes, with its sponsors: "[linking/aligning (NOR, COL)]";
 *   words it only adds, "[new words (NOR)]"; words it only removes, "[Delete: old words (NOR)]".
 *   Proposals changing the same words share one bracket: "[linking/aligning (NOR)/connecting (COL)]".
 * - A replacement that rewrites most of the clause is printed whole after it, "OP5 [alt: … (JPN)]":
 *   bracketing nearly every word would be harder to read than the two texts. "Most" is more than
 *   half: the words it removes, or the words it adds, number more than half the clause's words.
 *   So is a replacement of a clause with sub-paragraphs, whose words cannot be placed inline.
 * - "[Delete OP5 (COL)]" and "[Retain OP5 (COL)]" follow the clause; a proposed new clause is a
 *   bracketed paragraph of its own after the clause it follows: "[OP5 bis (proposed): … (NOR)]".
 * - Sponsors are the sponsoring delegation's code and its co-sponsors'; the chair's compromise is
 *   "(Chair)". Without attributions (a text projected or circulated without names), no sponsors.
 * - A clause under negotiation (server/negotiation/marks.ts: one a deletion or replacement is proposed
 *   for, marked so by the chair, or provisional) is bracketed whole as in any draft, unless its
 *   words are bracketed inline; an agreed clause never is.
 */

export type RollingProposal = Pick<ProposalRow, "id" | "number" | "kind" | "clauseId" | "part" | "status" | "newClauseId"> & {
  /** A breakout's package, one row per clause it covers (server/negotiation/packages.ts). */
  package?: ProposalRow["package"];
  delegationCode: string | null;
  revision: { text: string } | null;
  positions: readonly Pick<ProposalRow["positions"][number], "delegationCode" | "position">[];
};

export interface RollingInput {
  statement: Pick<NumberedStatement, "doc" | "clauses">;
  /** The proposals the reader may see (canSeeProposal); only the submitted ones are written in. */
  proposals: readonly RollingProposal[];
  /** Clauses under negotiation (server/negotiation/marks.ts). */
  bracketed: ReadonlySet<string>;
}

export interface RollingOptions {
  /** Sponsors after each proposal; off for a text projected or circulated without names. */
  attributions: boolean;
}

/** A change to the clause's text: old characters [from, to) become `text`. */
interface Change {
  from: number;
  to: number;
  text: string;
}

const words = (s: string) => s.match(/\S+/g)?.length ?? 0;

function changesOf(oldText: string, newText: string): Change[] {
  const out: Change[] = [];
  let pos = 0;
  let current: Change | null = null;
  for (const s of wordDiff(oldText, newText)) {
    if (s.type === "equal") {
      if (current) out.push(current);
      current = null;
      pos += s.text.length;
      continue;
    }
    current ??= { from: pos, to: pos, text: "" };
    if (s.type === "delete") {
      current.to += s.text.length;
      pos += s.text.length;
    } else current.text += s.text;
  }
  if (current) out.push(current);
  return out;
}

/** Whether the changes rewrite most of the clause (see above): then the proposal is an alternative text. */
function rewritesMost(oldText: string, changes: Change[]): boolean {
  const removed = changes.reduce((n, c) => n + words(oldText.slice(c.from, c.to)), 0);
  const added = changes.reduce((n, c) => n + words(c.text), 0);
  return Math.max(removed, added) * 2 > words(oldText);
}

function sponsorsOf(p: RollingProposal): string[] {
  const cosponsors = p.positions.filter((x) => x.position === "cosponsor").map((x) => x.delegationCode);
  const sponsor = p.package ? `B${p.package.breakoutNumber}` : (p.delegationCode ?? "Chair");
  return [sponsor, ...cosponsors];
}

/** The runs covering characters [from, to) of a paragraph, formatting kept; a line break goes with the text after it. */
function sliceRuns(runs: Run[], from: number, to: number, last: boolean): Run[] {
  const out: Run[] = [];
  let pos = 0;
  for (const r of runs) {
    if (r.break) {
      if (pos >= from && (pos < to || (last && pos === to))) out.push(r);
      continue;
    }
    const start = Math.max(from, pos);
    const end = Math.min(to, pos + r.text.length);
    if (start < end) out.push({ ...r, text: r.text.slice(start - pos, end - pos) });
    pos += r.text.length;
  }
  return out;
}

interface Alternative {
  text: string;
  sponsors: string[];
}

/** One bracket: old characters [from, to) and what each proposal touching them would put there. */
interface Bracket {
  from: number;
  to: number;
  changes: (Change & { proposal: RollingProposal })[];
}

/** Changes of several proposals joined where they touch the same words (an insertion at a change's edge joins it). */
function bracketsOf(changes: (Change & { proposal: RollingProposal })[]): Bracket[] {
  const sorted = [...changes].sort((a, b) => a.from - b.from || a.to - b.to);
  const out: Bracket[] = [];
  for (const c of sorted) {
    const last = out.at(-1);
    if (last && (c.from < last.to || (c.from === last.to && (c.from === c.to || last.from === last.to)))) {
      last.to = Math.max(last.to, c.to);
      last.changes.push(c);
    } else out.push({ from: c.from, to: c.to, changes: [c] });
  }
  return out;
}

/** Each proposal's text for the bracket's words, in order of number; proposals saying the same share it. */
function alternativesOf(oldText: string, bracket: Bracket): Alternative[] {
  const byProposal = new Map<RollingProposal, Change[]>();
  for (const c of bracket.changes) byProposal.set(c.proposal, [...(byProposal.get(c.proposal) ?? []), c]);
  const out: Alternative[] = [];
  for (const [proposal, changes] of [...byProposal].sort(([a], [b]) => a.number - b.number)) {
    let text = "";
    let pos = bracket.from;
    for (const c of changes) {
      text += oldText.slice(pos, c.from) + c.text;
      pos = c.to;
    }
    text = (text + oldText.slice(pos, bracket.to)).trim();
    const same = out.find((a) => a.text === text);
    const sponsors = sponsorsOf(proposal);
    if (same) same.sponsors = [...new Set([...same.sponsors, ...sponsors])];
    else out.push({ text, sponsors });
  }
  return out;
}

/** The clause's runs with its brackets written in. */
function bracketedRuns(runs: Run[], oldText: string, brackets: Bracket[], attribution: (sponsors: string[]) => string): Run[] {
  const out: Run[] = [];
  let pos = 0;
  for (const b of brackets) {
    const alternatives = alternativesOf(oldText, b);
    const old = oldText.slice(b.from, b.to);
    out.push(...sliceRuns(runs, pos, b.from, false));
    if (!old.trim()) {
      // Words only added: their surrounding spaces stay outside the bracket.
      const first = b.changes[0].text;
      const lead = /^\s*/.exec(first)![0];
      const trail = first.trim() ? /\s*$/.exec(first)![0] : "";
      out.push({ text: `${old}${lead}[${alternatives.map((a) => a.text + attribution(a.sponsors)).join("/")}]${trail}` });
    } else {
      const lead = /^\s*/.exec(old)![0].length;
      const trail = /\s*$/.exec(old)![0].length;
      const [start, end] = [b.from + lead, b.to - trail];
      out.push(...sliceRuns(runs, b.from, start, false));
      const removedOnly = alternatives.every((a) => !a.text);
      out.push({ text: removedOnly ? "[Delete: " : "[" });
      out.push(...sliceRuns(runs, start, end, false));
      out.push({
        text: removedOnly
          ? `${attribution([...new Set(alternatives.flatMap((a) => a.sponsors))])}]`
          : `/${alternatives.map((a) => (a.text || "Delete") + attribution(a.sponsors)).join("/")}]`,
      });
      out.push(...sliceRuns(runs, end, b.to, false));
    }
    pos = b.to;
  }
  out.push(...sliceRuns(runs, pos, oldText.length, true));
  return out;
}

const paragraph = (text: string): Block => ({ kind: "paragraph", runs: [{ text }] });

export function rollingText({ statement, proposals, bracketed }: RollingInput, { attributions }: RollingOptions): ExportStatement {
  const attribution = (sponsors: string[]) => (attributions ? ` (${sponsors.join(", ")})` : "");
  const open = proposals.filter((p) => p.status === "submitted" && p.revision);
  // Labelled as the compilation labels them for the same reader.
  const labels = proposalLabels(proposals, statement.clauses);
  const clauses = new Map(statement.clauses.filter((c) => c.id).map((c) => [c.id!, c]));
  // A package, one row per clause it covers (perClause), replaces that clause's text.
  const on = (clauseId: string | null, kind: RollingProposal["kind"]) =>
    open.filter((p) => (p.kind === "package" ? "replace" : p.kind) === kind && p.clauseId === clauseId).sort((a, b) => a.number - b.number);

  // Replacements printed whole after their clause, by clause; the others are bracketed inline.
  const alternatives = new Map<string, RollingProposal[]>();
  const amend = (c: ExportClause) => {
    const info = c.id ? clauses.get(c.id) : undefined;
    if (!info) return;
    const replacements = on(info.id, "replace");
    if (replacements.length === 0) return;
    const [block] = c.blocks;
    const single = c.blocks.length === 1 && block.kind === "paragraph" ? block : null;
    // Inline only where the paragraph's characters are the clause's text, so offsets match.
    const placeable = single !== null && single.runs.map((r) => r.text).join("") === info.text;
    const changes: (Change & { proposal: RollingProposal })[] = [];
    for (const p of replacements) {
      const own = changesOf(info.text, p.revision!.text);
      if (!placeable || rewritesMost(info.text, own)) alternatives.set(info.id!, [...(alternatives.get(info.id!) ?? []), p]);
      else changes.push(...own.map((x) => ({ ...x, proposal: p })));
    }
    if (single && changes.length) {
      single.runs = bracketedRuns(single.runs, info.text, bracketsOf(changes), attribution);
      // Its words in brackets, the clause is not bracketed whole as well.
      c.bracketed = false;
    }
  };
  const model = buildExportModel(statement.doc, { final: false, numbering: statement.clauses, bracketed, amend });

  const additions = (list: RollingProposal[], part: Part): ExportClause[] =>
    list.map((p): ExportClause => {
      const label = labels.get(p.id) ?? `P${p.number}`;
      const text = `[${label} (proposed): ${p.revision!.text.trim()}${attribution(sponsorsOf(p))}]`;
      return { id: null, part, index: 0, num: "", label, bracketed: true, blocks: [paragraph(text)] };
    });
  const notes = (info: ClauseInfo): Block[] => [
    ...(alternatives.get(info.id!) ?? []).map((p) =>
      paragraph(`${info.label} [alt: ${p.revision!.text.trim()}${attribution(sponsorsOf(p))}]`),
    ),
    ...on(info.id, "delete").map((p) => paragraph(`[Delete ${info.label}${attribution(sponsorsOf(p))}]`)),
    ...on(info.id, "retain").map((p) => paragraph(`[Retain ${info.label}${attribution(sponsorsOf(p))}]`)),
  ];
  const printed = new Set([...model.preamble, ...model.operative].flatMap((c) => (c.id ? [c.id] : [])));
  const roll = (part: Part, list: ExportClause[]): ExportClause[] => {
    const out = additions(
      on(null, "add").filter((p) => p.part === part),
      part,
    );
    for (const c of list) {
      const info = c.id ? clauses.get(c.id) : undefined;
      if (info) c.blocks.push(...notes(info));
      out.push(c, ...(info ? additions(on(info.id, "add"), part) : []));
    }
    // After a clause no longer printed (removed, or an empty placeholder): at the end of the part, not lost.
    out.push(
      ...additions(
        open.filter((p) => p.kind === "add" && p.part === part && p.clauseId !== null && !printed.has(p.clauseId)),
        part,
      ),
    );
    out.forEach((c, i) => (c.index = i + 1));
    return out;
  };
  return { ...model, preamble: roll("pp", model.preamble), operative: roll("op", model.operative) };
}

/** The rolling text for one reader, from the statement's marks: the proposals they may see, no other. */
export function rollingTextFor(
  marks: Pick<NegotiationMarks, "statement" | "proposals" | "bracketed">,
  viewer: { delegationId: string | null; isChair: boolean },
  options: RollingOptions,
): ExportStatement {
  const proposals = perClause(marks.proposals).filter((p) => canSeeProposal(p, viewer));
  return rollingText({ statement: marks.statement, proposals, bracketed: marks.bracketed }, options);
}
