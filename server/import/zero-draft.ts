import type { JSONContent } from "@tiptap/core";
import { z } from "zod";
import { newClauseId } from "../../app/statement/clause-id";
import { statementSchema } from "../../app/statement/schema";

/**
 * Reading a zero draft (Word or Markdown) into a statement. Paragraphs are recognised the way a
 * reader of a UN text does:
 * - the title is the first heading, or else the first paragraph when it does not end like a clause;
 * - a paragraph numbered "1.", "2)", "OP3." … starts an operative clause (the number is dropped:
 *   Concord numbers clauses itself);
 * - "(a)", "a)", "(iv)" or a bullet is a sub-item of the clause before it;
 * - unnumbered paragraphs before the first numbered one are preambular clauses; after it, each
 *   starts a new operative clause (noted as a warning, since it may be a continuation).
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
}

export interface ImportedStatement {
  title: string;
  preamble: ImportedClause[];
  operative: ImportedClause[];
  warnings: string[];
}

/** A paragraph of the source, with what its numbering says about it (already stripped from `runs`). */
export interface SourceParagraph {
  runs: ImportedRun[];
  heading?: boolean;
  marker?: "number" | "item" | null;
  /** For items: lettered/numbered (true) or bullet (false). */
  ordered?: boolean;
  /** Nesting inside a list (0: top level). */
  depth?: number;
}

const numberPattern = /^\s*(?:OP\s*)?\d{1,3}(?:\s*(?:bis|ter|quater|quinquies))?\s*[.)](?:\s+|$)/i;
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

/** Reads the numbering off a paragraph's text (Word: numbers typed as text). */
export function classifyByText(p: SourceParagraph): SourceParagraph {
  if (p.marker !== undefined) return p;
  const text = runsText(p.runs);
  for (const [pattern, marker, ordered] of [
    [numberPattern, "number", true],
    [itemPattern, "item", true],
    [bulletPattern, "item", false],
  ] as const) {
    const m = pattern.exec(text);
    if (m) return { ...p, marker, ordered, runs: dropChars(p.runs, m[0].length) };
  }
  return { ...p, marker: null };
}

const endsLikeClause = (s: string) => /[,;.:]\s*$/.test(s);

export function recogniseStatement(source: SourceParagraph[]): ImportedStatement {
  const warnings: string[] = [];
  const paragraphs = source
    .map(classifyByText)
    .map((p) => ({ ...p, runs: tidyRuns(p.runs) }))
    .filter((p) => p.runs.length && !/^draft$/i.test(runsText(p.runs)));
  let title = "";
  const first = paragraphs[0];
  if (first && (first.heading || (!first.marker && !endsLikeClause(runsText(first.runs)) && runsText(first.runs).length <= 300))) {
    title = runsText(first.runs);
    paragraphs.shift();
  } else warnings.push("No title was found; give the statement one after creating it.");

  const preamble: ImportedClause[] = [];
  const operative: ImportedClause[] = [];
  let seenNumber = false;
  let current: ImportedClause | null = null;
  let unnumberedAfter = 0;
  for (const p of paragraphs) {
    const isItem = p.marker === "item" || ((p.depth ?? 0) > 0 && p.marker !== "number");
    if (isItem && current) {
      current.items.push({ ordered: p.ordered ?? true, runs: p.runs });
      continue;
    }
    if (p.marker === "number") seenNumber = true;
    else if (seenNumber) unnumberedAfter++;
    current = { runs: p.runs, items: [] };
    (seenNumber ? operative : preamble).push(current);
  }
  if (unnumberedAfter)
    warnings.push(`${unnumberedAfter} unnumbered paragraph(s) after the first numbered one were taken as operative clauses of their own.`);
  if (!operative.length)
    warnings.push("No numbered paragraph was found, so there are no operative clauses; every paragraph is preambular.");
  if (!preamble.length) warnings.push("No unnumbered paragraph came before the first numbered one, so there are no preambular clauses.");
  return { title, preamble, operative, warnings };
}

/* ---- the preview round trip: the parsed draft travels in a hidden field and is checked again ---- */

export const maxImportedClauses = 1000;
const runSchema = z.object({ text: z.string().max(20_000), italic: z.boolean().optional(), bold: z.boolean().optional() }).strict();
const runsSchema = z.array(runSchema).max(500);
const clauseSchema = z
  .object({ runs: runsSchema, items: z.array(z.object({ ordered: z.boolean(), runs: runsSchema }).strict()).max(100) })
  .strict();
export const importedStatementSchema = z
  .object({
    title: z.string().trim().max(200, "Keep the title under 200 characters."),
    preamble: z.array(clauseSchema).max(maxImportedClauses),
    operative: z.array(clauseSchema).max(maxImportedClauses),
    warnings: z.array(z.string().max(500)).max(20).optional(),
  })
  .strict();

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

function clauseJSON(c: ImportedClause): JSONContent {
  const content: JSONContent[] = [paragraph(c.runs)];
  for (const item of c.items) {
    const type = item.ordered ? "orderedList" : "bulletList";
    const last = content[content.length - 1];
    const li: JSONContent = { type: "listItem", content: [paragraph(item.runs)] };
    if (last.type === type) last.content!.push(li);
    else content.push({ type, content: [li] });
  }
  return { type: "clause", attrs: { id: newClauseId() }, content };
}

const emptyClause = (): ImportedClause => ({ runs: [], items: [] });

/** The statement as ProseMirror JSON with fresh clause ids, checked against the statement schema. */
export function importedStatementJSON(s: ImportedStatement): JSONContent {
  const json: JSONContent = {
    type: "doc",
    content: [
      { type: "title", content: textNodes([{ text: s.title }]) },
      // Each part holds at least one clause, as the schema wants.
      { type: "preamble", content: (s.preamble.length ? s.preamble : [emptyClause()]).map(clauseJSON) },
      { type: "operative", content: (s.operative.length ? s.operative : [emptyClause()]).map(clauseJSON) },
    ],
  };
  statementSchema.nodeFromJSON(json).check();
  return json;
}
