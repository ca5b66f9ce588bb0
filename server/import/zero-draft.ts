import type { JSONContent } from "@tiptap/core";
import { z } from "zod";
import { newClauseId } from "../../app/statement/clause-id";
import { statementSchema } from "../../app/statement/schema";
import { listClauses, type Part } from "../../app/statement/numbering";
import { excerpt } from "../../app/statement/excerpt";
import { maxProposalTextLength } from "../../app/statement/limits";
import { endsStatement, partOfHeading, readWrittenLabel, type WrittenLabel } from "./written-labels";

/**
 * Reading a zero draft (Word or Markdown) into a statement. Paragraphs are recognised the way a
 * reader of a UN text does:
 * - the title is the first heading, or else the first paragraph when it does not end like a clause;
 * - part headings ("Preamble", "Operative part", any case, numbered or not) start their part and
 *   are not clauses; other headings inside the parts are left out (a statement has none);
 * - a paragraph numbered "1.", "2)", "OP3." or by Word's own list numbering is a clause (the number
 *   is dropped: Concord numbers clauses itself); without part headings, the first numbered
 *   paragraph starts the operative part;
 * - "2 bis." (ter, quater…) is a clause added after clause 2: it takes no number of its own;
 * - "5 alt.", "Alt 5", "[5 alt]" is an alternative text for clause 5, tabled as a proposal;
 * - "(a)", "a)", "(iv)" or a bullet is a sub-item of the clause (or alternative) before it.
 * The warnings say what was recognised and what was guessed, naming the clauses by their labels.
 */

export interface ImportedRun {
  text: string;
  italic?: boolean;
  bold?: boolean;
}

export interface ImportedItem {
  ordered: boolean;
  runs: ImportedRun[];
}

export interface ImportedClause {
  runs: ImportedRun[];
  items: ImportedItem[];
  /** Written "2 bis.": added after the numbered clause before it, so provisional ("OP2 bis") until agreed. */
  added?: boolean;
}

/** "5 alt.": another text for a clause, tabled as the chair's proposal to replace it. */
export interface ImportedAlternative {
  part: Part;
  /** The clause's index in its part (0-based). */
  clause: number;
  runs: ImportedRun[];
  items: ImportedItem[];
}

export interface ImportedStatement {
  title: string;
  preamble: ImportedClause[];
  operative: ImportedClause[];
  alternatives: ImportedAlternative[];
  warnings: string[];
}

/** A paragraph of the source, with what its structure says about it. */
export interface SourceParagraph {
  runs: ImportedRun[];
  heading?: boolean;
  /**
   * From the document's structure: "number" for an item of a top-level numbered list (Word's
   * automatic numbering), "item" for a nested or bulleted one; null for text to be taken
   * literally (a Markdown line escaped with a backslash); undefined: read the text.
   */
  marker?: "number" | "item" | null;
  /** For items: lettered/numbered (true) or bullet (false). */
  ordered?: boolean;
  /** Nesting inside a list or by indentation (0: top level). */
  depth?: number;
}

const itemPattern = /^\s*(?:\((?:[a-z]{1,3}|[ivxlc]{1,6})\)|[a-z][.)])(?:\s+|$)/i;
const bulletPattern = /^\s*[•·▪◦\-–—*](?:\s+|$)/;

export const runsText = (runs: ImportedRun[]) => runs.map((r) => r.text).join("");

/** Removes the first `n` characters from a list of runs. */
function dropChars(runs: ImportedRun[], n: number): ImportedRun[] {
  const out: ImportedRun[] = [];
  for (const r of runs) {
    if (n >= r.text.length) {
      n -= r.text.length;
      continue;
    }
    out.push({ ...r, text: r.text.slice(n) });
    n = 0;
  }
  return out;
}

/** Whitespace collapsed and trimmed at both ends; empty runs dropped; neighbours with equal formatting joined. */
export function tidyRuns(runs: ImportedRun[]): ImportedRun[] {
  const out: ImportedRun[] = [];
  for (const r of runs) {
    const text = r.text.replace(/\s+/g, " ");
    const last = out[out.length - 1];
    if (last && !!last.italic === !!r.italic && !!last.bold === !!r.bold) last.text += text;
    else out.push({ text, ...(r.italic ? { italic: true } : {}), ...(r.bold ? { bold: true } : {}) });
  }
  if (out.length) out[0].text = out[0].text.replace(/^\s+/, "");
  if (out.length) out[out.length - 1].text = out[out.length - 1].text.replace(/\s+$/, "");
  return out.filter((r) => r.text);
}

/** A paragraph as the recogniser sees it: a clause (perhaps labelled) or a sub-item, its label dropped from the text. */
interface Classified {
  runs: ImportedRun[];
  heading: boolean;
  item: boolean;
  ordered: boolean;
  /** Numbered by Word's list numbering. */
  listNumbered: boolean;
  /** Nesting inside a list or by indentation (0: top level). */
  depth: number;
  label: WrittenLabel | null;
}

function classify(p: SourceParagraph): Classified {
  const base = {
    runs: p.runs,
    heading: !!p.heading,
    item: false,
    ordered: p.ordered ?? true,
    listNumbered: false,
    depth: p.depth ?? 0,
    label: null,
  };
  if (p.marker === null || p.heading) return base;
  const text = runsText(p.runs);
  if (p.marker === "item") {
    // A sub-item typed "(a)" inside a Word list keeps one marker, the list's.
    const typed = itemPattern.exec(text);
    return { ...base, item: true, runs: typed ? dropChars(p.runs, typed[0].length) : p.runs };
  }
  const label = readWrittenLabel(text);
  if (label) {
    const plainNumber = label.part === null && label.ordinal === 0 && !label.alternative && label.number !== null;
    // An indented "1." in Markdown numbers a sub-item.
    if (plainNumber && (p.depth ?? 0) > 0) return { ...base, item: true, ordered: true, runs: dropChars(p.runs, label.length) };
    return { ...base, listNumbered: p.marker === "number", label, runs: dropChars(p.runs, label.length) };
  }
  if (p.marker === "number") return { ...base, listNumbered: true };
  for (const [pattern, ordered] of [
    [itemPattern, true],
    [bulletPattern, false],
  ] as const) {
    const m = pattern.exec(text);
    if (m) return { ...base, item: true, ordered, runs: dropChars(p.runs, m[0].length) };
  }
  return { ...base, item: (p.depth ?? 0) > 0 };
}

const endsLikeClause = (s: string) => /[,;.:]\s*$/.test(s);
const quoted = (s: string) => `“${excerpt(s, 60)}”`;
const partNames: Record<Part, string> = { pp: "preamble", op: "operative part" };
const maxWarnings = 20;

/** A heading inside the text that is not a part heading: a Word/Markdown heading, or a short bold line without punctuation. */
const isSectionHeading = (p: Classified) =>
  !p.item &&
  !p.label &&
  !p.listNumbered &&
  (p.heading || (p.runs.every((r) => r.bold) && runsText(p.runs).length <= 120 && !/[,;.:]$/.test(runsText(p.runs))));

/** What the recogniser noted, to be told once the clauses have their labels. */
type Note =
  | { kind: "added"; written: string; part: Part; number: number | null; clause: ImportedClause }
  | { kind: "alternative"; written: string; alternative: ImportedAlternative; guessed: boolean }
  | { kind: "no-target"; written: string; clause: ImportedClause }
  | { kind: "renumbered"; written: string; clause: ImportedClause }
  | { kind: "unnumbered"; clause: ImportedClause; after: ImportedClause | null };

export function recogniseStatement(source: SourceParagraph[]): ImportedStatement {
  const warnings: string[] = [];
  const paragraphs = source
    .map((p) => ({ ...p, runs: tidyRuns(p.runs) }))
    .map(classify)
    .map((p) => ({ ...p, runs: tidyRuns(p.runs) }))
    // A label with no text after it ("[5 alt]" alone) brings nothing to import.
    .filter((p) => p.runs.length && !/^draft$/i.test(runsText(p.runs)));

  let title = "";
  const first = paragraphs[0];
  const firstText = first ? runsText(first.runs) : "";
  if (
    first &&
    !partOfHeading(firstText) &&
    !first.label &&
    !first.item &&
    !first.listNumbered &&
    (first.heading || (!endsLikeClause(firstText) && firstText.length <= 300))
  ) {
    title = firstText;
    paragraphs.shift();
  } else warnings.push("No title was found; give the statement one after creating it.");

  const parts: Record<Part, ImportedClause[]> = { pp: [], op: [] };
  const alternatives: ImportedAlternative[] = [];
  const notes: Note[] = [];
  const headings: { text: string; part: Part }[] = [];
  const leftOut: string[] = [];
  /** The part set by the last part heading; null until one is seen (then the numbering decides). */
  let headed: Part | null = null;
  let inferredOperative = false;
  let seenNumber = false;
  let current: { items: ImportedItem[] } | null = null;
  let lastClause: { part: Part; clause: ImportedClause } | null = null;
  let subItems = 0;
  let typedNumbers = 0;
  let listNumbers = 0;
  // The numbers of each part's numbered clauses as written ("5", "2 bis"), for alternatives naming them.
  const written: Record<Part, Map<string, number>> = { pp: new Map(), op: new Map() };
  const numberedCount: Record<Part, number> = { pp: 0, op: 0 };
  const lastWritten: Record<Part, number> = { pp: 0, op: 0 };

  const headingPartOf = (p: Classified) => (!p.label && !p.item ? partOfHeading(runsText(p.runs)) : null);
  // When the first part heading is "Preamble", what comes between the title and it (a subtitle, a
  // date, "Submitted by the Chair") is not part of the statement.
  const startsWithPreamble = paragraphs.map(headingPartOf).find((part) => part !== null) === "pp";
  const frontMatter: string[] = [];
  const hasOperativeHeading = paragraphs.some((p) => headingPartOf(p) === "op");
  let preambleNumbered = false;

  /** Where the statement's text ended (an annex heading or an adoption line), and how many paragraphs were left out from there. */
  let ended: { text: string; paragraphs: number } | null = null;
  for (const [i, p] of paragraphs.entries()) {
    const text = runsText(p.runs);
    if (parts.pp.length + parts.op.length > 0 && !p.label && !p.item && !p.listNumbered && endsStatement(text, isSectionHeading(p))) {
      ended = { text, paragraphs: paragraphs.length - i };
      break;
    }
    const headingPart = headingPartOf(p);
    if (headingPart) {
      headed = headingPart;
      headings.push({ text, part: headingPart });
      current = null;
      continue;
    }
    if (startsWithPreamble && !headed) {
      frontMatter.push(text);
      continue;
    }
    if (isSectionHeading(p)) {
      leftOut.push(text);
      current = null;
      continue;
    }
    // Bullets at the top level of the preamble are its clauses, unless the clause before announces a list.
    const bulletedClause =
      p.item &&
      !p.ordered &&
      p.depth === 0 &&
      (headed ?? (seenNumber ? "op" : "pp")) === "pp" &&
      !/:$/.test(runsText(lastClause?.clause.runs ?? []));
    if (p.item && current && !bulletedClause) {
      current.items.push({ ordered: p.ordered, runs: p.runs });
      subItems++;
      continue;
    }
    const numbered = p.listNumbered || (p.label !== null && !p.label.alternative);
    let part: Part;
    if (p.label?.part) part = p.label.part;
    else if (headed === "pp" && numbered && !hasOperativeHeading && parts.pp.length > 0 && !preambleNumbered) {
      // Unnumbered preambular clauses under "Preamble", then numbers with no "Operative part" heading.
      headed = "op";
      inferredOperative = true;
      part = "op";
    } else if (headed) part = headed;
    else part = numbered || seenNumber ? "op" : "pp";
    if (numbered && part === "op") seenNumber = true;
    if (numbered && part === "pp") preambleNumbered = true;

    const label = p.label;
    if (label?.alternative) {
      const target = alternativeTarget(label, part, written, lastClause, parts);
      if (target !== null) {
        const alternative: ImportedAlternative = { part, clause: target, runs: p.runs, items: [] };
        alternatives.push(alternative);
        notes.push({ kind: "alternative", written: label.written, alternative, guessed: label.number === null });
        current = alternative;
        continue;
      }
    }
    const clause: ImportedClause = { runs: p.runs, items: [] };
    if (label?.alternative) notes.push({ kind: "no-target", written: label.written, clause });
    else if (label && label.ordinal > 0) {
      clause.added = true;
      notes.push({ kind: "added", written: label.written, part, number: label.number, clause });
      written[part].set(`${label.number} ${label.ordinal}`, parts[part].length);
    } else if (numbered) {
      numberedCount[part]++;
      if (p.listNumbered) listNumbers++;
      else typedNumbers++;
      if (label && label.number !== null) {
        written[part].set(`${label.number} 0`, parts[part].length);
        // Told once where the file's numbers jump, not for every clause after.
        if (label.number !== lastWritten[part] + 1 && label.number !== numberedCount[part])
          notes.push({ kind: "renumbered", written: label.written, clause });
        lastWritten[part] = label.number;
      }
    } else {
      numberedCount[part]++;
      if (part === "op" && (seenNumber || listNumbers + typedNumbers > 0))
        notes.push({ kind: "unnumbered", clause, after: lastClause?.part === "op" ? lastClause.clause : null });
    }
    parts[part].push(clause);
    lastClause = { part, clause };
    current = clause;
  }

  const statement = { title, preamble: parts.pp, operative: parts.op, alternatives, warnings };
  const labels = importedLabels(statement);
  const labelOf = (c: ImportedClause) => labels.get(c) ?? "?";
  const targetLabel = (a: ImportedAlternative) => labelOf(parts[a.part][a.clause]);

  if (headings.length) {
    const names = headings.map((h) => `“${excerpt(h.text, 40)}”`);
    const both = new Set(headings.map((h) => h.part)).size === 2;
    warnings.push(
      both && headings.length === 2
        ? `Recognised the headings ${names.join(" and ")} as the two parts; they are not clauses.`
        : `Recognised the heading${headings.length > 1 ? "s" : ""} ${names.join(", ")} as starting ${headings
            .map((h) => `the ${partNames[h.part]}`)
            .join(", ")}; ${headings.length > 1 ? "they are" : "it is"} not ${headings.length > 1 ? "clauses" : "a clause"}.`,
    );
  } else if (parts.pp.length && parts.op.length) {
    warnings.push("No part headings were found: the unnumbered paragraphs before the first numbered one were taken as the preamble.");
  }
  if (inferredOperative)
    warnings.push("No “Operative part” heading was found: the operative part was taken to start at the first numbered paragraph.");
  if (typedNumbers || listNumbers) {
    const how = [typedNumbers && `${typedNumbers} by typed numbers`, listNumbers && `${listNumbers} by Word's automatic numbering`].filter(
      Boolean,
    );
    warnings.push(
      `Recognised ${typedNumbers + listNumbers} numbered clause${typedNumbers + listNumbers === 1 ? "" : "s"} (${how.join(", ")}); Concord numbers them itself.`,
    );
  }
  if (subItems) warnings.push(`Recognised ${subItems} sub-item${subItems === 1 ? "" : "s"} ((a), (b)… or bullets) under their clauses.`);
  const unnumbered = notes.filter((n) => n.kind === "unnumbered");
  for (const n of notes) {
    if (n.kind === "added") {
      const label = labelOf(n.clause);
      const after = precedingLabel(label);
      warnings.push(
        after === `${n.part.toUpperCase()}${n.number}`
          ? `Recognised “${n.written}” as a clause added after ${after}: it is ${label}, provisional until agreed.`
          : `Recognised “${n.written}” as an added clause; it follows ${after === label ? "the start of its part" : after} in the file, so it is ${label}, provisional until agreed.`,
      );
    } else if (n.kind === "alternative") {
      warnings.push(
        n.guessed
          ? `Took “${n.written}” after ${targetLabel(n.alternative)} as an alternative to ${targetLabel(n.alternative)}, to be tabled in the chair's name.`
          : `Recognised “${n.written}” as an alternative to ${targetLabel(n.alternative)}, to be tabled in the chair's name.`,
      );
    } else if (n.kind === "no-target") {
      warnings.push(`“${n.written}” names no clause of this draft; it was imported as a clause of its own, ${labelOf(n.clause)}.`);
    } else if (n.kind === "renumbered") {
      warnings.push(
        `The clause numbered “${n.written}” in the file is ${labelOf(n.clause)} here: the numbers in the file are not consecutive.`,
      );
    }
  }
  if (unnumbered.length) {
    const named = unnumbered
      .slice(0, 3)
      .map((n) => `${quoted(runsText(n.clause.runs))} (${labelOf(n.clause)}${n.after ? `, after ${labelOf(n.after)}` : ""})`);
    const more = unnumbered.length > 3 ? ` and ${unnumbered.length - 3} more` : "";
    warnings.push(
      `Guessed that ${unnumbered.length === 1 ? "an unnumbered paragraph in the operative part is a clause" : `${unnumbered.length} unnumbered paragraphs in the operative part are clauses`} of ${unnumbered.length === 1 ? "its" : "their"} own: ${named.join("; ")}${more}. Where one continues the clause before it, join the two after importing.`,
    );
  }
  if (frontMatter.length)
    warnings.push(
      `Left out ${frontMatter.length === 1 ? "the paragraph" : `${frontMatter.length} paragraphs`} between the title and “${excerpt(headings[0].text, 40)}”: ${frontMatter.slice(0, 3).map(quoted).join(", ")}${frontMatter.length > 3 ? "…" : ""}.`,
    );
  if (ended)
    warnings.push(
      `Left out ${ended.paragraphs === 1 ? "the last paragraph" : `the last ${ended.paragraphs} paragraphs`}, from ${quoted(ended.text)} on: an annex, or an adopted text's adoption line, is not part of the statement.`,
    );
  if (leftOut.length)
    warnings.push(
      `Left out ${leftOut.length === 1 ? "the heading" : `${leftOut.length} headings`} ${leftOut.slice(0, 3).map(quoted).join(", ")}${leftOut.length > 3 ? "…" : ""}: a statement has no headings inside its parts.`,
    );
  if (!parts.op.length)
    warnings.push(
      "No numbered paragraph or “Operative part” heading was found, so there are no operative clauses; every paragraph is preambular.",
    );
  if (!parts.pp.length && parts.op.length)
    warnings.push(
      "No preambular paragraph was found (unnumbered, before the first numbered one or under “Preamble”), so there are no preambular clauses.",
    );
  if (warnings.length > maxWarnings)
    warnings.splice(maxWarnings - 1, warnings.length, `… and ${warnings.length - maxWarnings + 1} more notes.`);
  return statement;
}

/** "OP2" for "OP2 bis", "Pre-OP1" for "Pre-OP1 bis". */
const precedingLabel = (label: string) => label.replace(/ (?:bis|ter|quater|quinquies|sexies|septies|octies|novies|decies)(?: \d+)?$/, "");

/** The index of the clause an alternative is for: as the file numbers it, else by Concord's numbering; null when there is none. */
function alternativeTarget(
  label: WrittenLabel,
  part: Part,
  written: Record<Part, Map<string, number>>,
  last: { part: Part; clause: ImportedClause } | null,
  parts: Record<Part, ImportedClause[]>,
): number | null {
  if (label.number === null) return last && last.part === part ? parts[part].indexOf(last.clause) : null;
  const byFile = written[part].get(`${label.number} ${label.ordinal}`);
  if (byFile !== undefined) return byFile;
  if (label.ordinal > 0) return null;
  let n = 0;
  for (const [i, c] of parts[part].entries()) if (!c.added && ++n === label.number) return i;
  return null;
}

/* ---- the preview round trip: the parsed draft travels in a hidden field and is checked again ---- */

export const maxImportedClauses = 1000;
const runSchema = z.object({ text: z.string().max(20_000), italic: z.boolean().optional(), bold: z.boolean().optional() }).strict();
const runsSchema = z.array(runSchema).max(500);
const itemsSchema = z.array(z.object({ ordered: z.boolean(), runs: runsSchema }).strict()).max(100);
const clauseSchema = z.object({ runs: runsSchema, items: itemsSchema, added: z.boolean().optional() }).strict();
const alternativeSchema = z
  .object({ part: z.enum(["pp", "op"]), clause: z.number().int().min(0), runs: runsSchema, items: itemsSchema })
  .strict();
export const importedStatementSchema = z
  .object({
    title: z.string().trim().max(200, "Keep the title under 200 characters."),
    preamble: z.array(clauseSchema).max(maxImportedClauses),
    operative: z.array(clauseSchema).max(maxImportedClauses),
    // A preview made before alternatives were recognised has none.
    alternatives: z.array(alternativeSchema).max(maxImportedClauses).default([]),
    warnings: z.array(z.string().max(500)).max(20).optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    s.alternatives.forEach((a, i) => {
      // An alternative is tabled on a clause of the draft; one naming no clause has nowhere to go.
      if (a.clause >= (a.part === "pp" ? s.preamble : s.operative).length)
        ctx.addIssue({ code: "custom", path: ["alternatives", i, "clause"], message: "An alternative must be for a clause of the draft." });
      const text = runsText(a.runs) + a.items.map((item) => runsText(item.runs)).join("");
      if (!text.trim()) ctx.addIssue({ code: "custom", path: ["alternatives", i, "runs"], message: "An alternative needs a text." });
      // It becomes a proposal, held to a proposal's length.
      if (text.length > maxProposalTextLength)
        ctx.addIssue({
          code: "custom",
          path: ["alternatives", i, "runs"],
          message: `An alternative is longer than a proposal may be (${maxProposalTextLength} characters): “${excerpt(text, 60)}”.`,
        });
    });
  });

const textNodes = (runs: ImportedRun[]): JSONContent[] =>
  tidyRuns(runs).map((r) => ({
    type: "text",
    text: r.text,
    ...(r.italic || r.bold ? { marks: [...(r.italic ? [{ type: "italic" }] : []), ...(r.bold ? [{ type: "bold" }] : [])] } : {}),
  }));

const paragraph = (runs: ImportedRun[]): JSONContent => {
  const content = textNodes(runs);
  return content.length ? { type: "paragraph", content } : { type: "paragraph" };
};

/** A clause's body (or an alternative's): its paragraph, then its sub-items as lists. */
export function clauseBody(c: Pick<ImportedClause, "runs" | "items">): JSONContent[] {
  const content: JSONContent[] = [paragraph(c.runs)];
  for (const item of c.items) {
    const type = item.ordered ? "orderedList" : "bulletList";
    const last = content[content.length - 1];
    const li: JSONContent = { type: "listItem", content: [paragraph(item.runs)] };
    if (last.type === type) last.content!.push(li);
    else content.push({ type, content: [li] });
  }
  return content;
}

const emptyClause = (): ImportedClause => ({ runs: [], items: [] });

/** The statement an import creates: its JSON, each clause's fresh id by part, and the added (provisional) ones. */
export interface ImportPlan {
  json: JSONContent;
  ids: Record<Part, string[]>;
  provisional: Set<string>;
}

/** The statement as ProseMirror JSON with fresh clause ids, checked against the statement schema. */
export function importPlan(s: Pick<ImportedStatement, "title" | "preamble" | "operative">): ImportPlan {
  const ids: Record<Part, string[]> = { pp: [], op: [] };
  const provisional = new Set<string>();
  const section = (part: Part, clauses: ImportedClause[]) =>
    // Each part holds at least one clause, as the schema wants.
    (clauses.length ? clauses : [emptyClause()]).map((c): JSONContent => {
      const id = newClauseId();
      ids[part].push(id);
      if (c.added) provisional.add(id);
      return { type: "clause", attrs: { id }, content: clauseBody(c) };
    });
  const json: JSONContent = {
    type: "doc",
    content: [
      { type: "title", content: textNodes([{ text: s.title }]) },
      { type: "preamble", content: section("pp", s.preamble) },
      { type: "operative", content: section("op", s.operative) },
    ],
  };
  statementSchema.nodeFromJSON(json).check();
  return { json, ids, provisional };
}

/** Each clause's label ("OP2 bis" for an added one), by the application's one numbering. */
export function importedLabels(s: Pick<ImportedStatement, "title" | "preamble" | "operative">): Map<ImportedClause, string> {
  const plan = importPlan(s);
  const infos = listClauses(statementSchema.nodeFromJSON(plan.json), plan.provisional);
  const byId = new Map(infos.map((c) => [c.id, c.label]));
  const out = new Map<ImportedClause, string>();
  for (const [part, clauses] of [
    ["pp", s.preamble],
    ["op", s.operative],
  ] as const)
    clauses.forEach((c, i) => out.set(c, byId.get(plan.ids[part][i])!));
  return out;
}
