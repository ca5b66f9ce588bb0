import type { Node as PMNode } from "@tiptap/pm/model";
import { clauseCounter, partOfSection, printedNumber, type ClauseInfo, type Part } from "../../app/statement/numbering";
import type { AdoptionAnnex } from "./adoption-annex";
import type { TitleBlock } from "./title-block";
import { defaultLanguage, languageOf } from "../../app/statement/languages";

/**
 * The one model every exporter writes from, so DOCX, PDF, HTML, Markdown and Akoma Ntoso all
 * show the same numbers, punctuation and italics.
 *
 * Drafting conventions applied (UN style):
 * - Preambular clauses are unnumbered and end with a comma: a final period, semicolon or colon
 *   is replaced by a comma, and a comma is added when there is no final punctuation.
 * - Operative clauses are numbered 1., 2., … and end with a semicolon, the last one with a
 *   period; a final comma, period, semicolon or colon is replaced accordingly.
 * - Closing quotation marks and parentheses stay: the mark goes after them. "?" and "!" are the
 *   author's choice and are left alone.
 * - The mark goes on the clause's last line of text (the last sub-item when the clause ends
 *   with a list, as in "…including: (a) …; (b) …;").
 * - The opening phrase is italic. When the clause starts in italics, that is kept as written; when
 *   it does not, its opening phrase is made italic: the verb and the words joined to it ("Call
 *   upon", "Noting with concern").
 * - Clauses are numbered as the statement's numbering labels them ("2 bis", from listClauses, so a
 *   file says what the editor says; an adopted text has no provisional clauses and is numbered
 *   densely). Final (clean) text: nothing is bracketed. Draft text: the caller may give the
 *   clauses to bracket; the brackets enclose the clause text.
 * - Sub-items are lettered (a), (b), … and theirs (i), (ii), …, whether the editor's list is
 *   numbered or bulleted: UN documents have no bullets.
 */

export interface Run {
  text: string;
  italic?: boolean;
  bold?: boolean;
  underline?: boolean;
  /** A line break inside the paragraph (text is empty). */
  break?: boolean;
  /** A draft's square bracket ("[" or "]", alone in its run), not the authors' words: Akoma Ntoso marks up what it encloses. */
  bracket?: boolean;
}

export type Block = { kind: "paragraph"; runs: Run[] } | { kind: "list"; items: ListItem[] };

export interface ListItem {
  /** "(a)" in a clause's list, "(i)" in an item's. */
  marker: string;
  blocks: Block[];
}

export interface ExportClause {
  id: string | null;
  part: Part;
  /** Position within its part, 1-based, dense. */
  index: number;
  /** The printed number of an operative clause ("1." / draft "2 bis."); empty for preambular clauses. */
  num: string;
  /** PP1 / OP1 / draft "OP2 bis" (the label negotiators use in a compilation). */
  label: string;
  bracketed: boolean;
  blocks: Block[];
  /** In a translation, a clause not translated yet: the original's language, its words are in. */
  language?: string;
}

export interface ExportStatement {
  title: string;
  titleRuns: Run[];
  preamble: ExportClause[];
  operative: ExportClause[];
  final: boolean;
  /** The language of this text (ISO 639-1, app/statement/languages.ts): Word's w:lang, HTML's lang, the PDF's fonts. */
  language: string;
  /** The language the statement was negotiated in ("Original: English"); another language makes this text a translation. */
  originalLanguage: string;
  /** An adopted statement's adoption line and explanations of position (server/export/adoption-annex.ts). */
  adoption?: AdoptionAnnex;
  /** The conference, symbol, distribution and date above the title (server/export/title-block.ts); none in a bare model. */
  titleBlock?: TitleBlock;
}

export interface ExportOptions {
  final: boolean;
  /** The text's language and the statement's original one (ISO 639-1); the original language when not given. */
  language?: { code: string; original: string };
  /** In a translation, the clauses still in the original's words (server/translations/translated-statement.ts). */
  untranslated?: ReadonlySet<string>;
  /** The statement's numbering (listClauses with its provisional clauses), which labels the clauses. */
  numbering?: readonly Pick<ClauseInfo, "id" | "part" | "label" | "provisional">[];
  /** Draft only: clauses still in square brackets. */
  bracketed?: ReadonlySet<string>;
  /**
   * Draft only: rewrites a clause's runs once its opening is italicised and before its final
   * punctuation is set, so that words can be bracketed where they stand in the text as written
   * (the rolling text, server/negotiation/rolling-text.ts).
   */
  amend?: (clause: ExportClause) => void;
}

const letters = "abcdefghijklmnopqrstuvwxyz";
/** (a) … (z), (aa) … as UN documents letter sub-paragraphs. */
export function letterMarker(i: number): string {
  const l = letters[i % 26];
  return `(${l.repeat(Math.floor(i / 26) + 1)})`;
}

const romans: [number, string][] = [
  [1000, "m"],
  [900, "cm"],
  [500, "d"],
  [400, "cd"],
  [100, "c"],
  [90, "xc"],
  [50, "l"],
  [40, "xl"],
  [10, "x"],
  [9, "ix"],
  [5, "v"],
  [4, "iv"],
  [1, "i"],
];
/** (i), (ii), … as UN documents number the items of a sub-paragraph. */
export function romanMarker(i: number): string {
  let n = i + 1;
  let out = "";
  for (const [value, numeral] of romans)
    while (n >= value) {
      out += numeral;
      n -= value;
    }
  return `(${out})`;
}

/** A list's markers by depth: (a) in a clause, (i) in an item, then (a) again. */
const markerAt = (depth: number) => (depth % 2 === 0 ? letterMarker : romanMarker);

function runsOf(node: PMNode): Run[] {
  const runs: Run[] = [];
  node.forEach((child) => {
    if (child.isText) {
      const marks = child.marks.map((m) => m.type.name);
      const run: Run = { text: child.text ?? "" };
      if (marks.includes("italic")) run.italic = true;
      if (marks.includes("bold")) run.bold = true;
      if (marks.includes("underline")) run.underline = true;
      runs.push(run);
    } else if (child.type.name === "hardBreak") {
      runs.push({ text: "", break: true });
    }
  });
  return mergeRuns(runs);
}

/** Adjacent runs with the same formatting become one (keeps the output and the tests simple). */
function mergeRuns(runs: Run[]): Run[] {
  const out: Run[] = [];
  for (const r of runs) {
    const last = out[out.length - 1];
    if (last && !last.break && !r.break && !!last.italic === !!r.italic && !!last.bold === !!r.bold && !!last.underline === !!r.underline)
      last.text += r.text;
    else if (r.text || r.break) out.push({ ...r });
  }
  return out;
}

function blocksOf(node: PMNode, depth = 0): Block[] {
  const blocks: Block[] = [];
  node.forEach((child) => {
    if (child.type.name === "paragraph") blocks.push({ kind: "paragraph", runs: runsOf(child) });
    else if (child.type.name === "bulletList" || child.type.name === "orderedList") {
      const items: ListItem[] = [];
      child.forEach((item, _o, i) => items.push({ marker: markerAt(depth)(i), blocks: blocksOf(item, depth + 1) }));
      blocks.push({ kind: "list", items });
    }
  });
  return blocks;
}

/** The clause's last paragraph in reading order (inside the last list item when it ends with a list). */
function lastParagraph(blocks: Block[]): { runs: Run[] } | null {
  for (let i = blocks.length - 1; i >= 0; i--) {
    const b = blocks[i];
    if (b.kind === "paragraph") {
      if (b.runs.some((r) => r.text.trim())) return b;
    } else {
      for (let j = b.items.length - 1; j >= 0; j--) {
        const p = lastParagraph(b.items[j].blocks);
        if (p) return p;
      }
    }
  }
  return null;
}

function firstParagraph(blocks: Block[]): { runs: Run[] } | null {
  const b = blocks[0];
  if (!b) return null;
  return b.kind === "paragraph" ? b : b.items[0] ? firstParagraph(b.items[0].blocks) : null;
}

/** Replaces or adds the clause's final punctuation mark (see the conventions above). */
export function endWith(runs: Run[], mark: "," | ";" | "."): void {
  let i = runs.length - 1;
  while (i >= 0 && (runs[i].break || !runs[i].text.trim())) i--;
  if (i < 0) return;
  runs.length = i + 1;
  const run = runs[i];
  const m = /^([\s\S]*?)([,;.:]?)(["”’)\]]*)\s*$/.exec(run.text)!;
  const [, body, , closers] = m;
  if (/[?!]$/.test(body) && !closers) {
    run.text = body;
    return;
  }
  run.text = body.replace(/\s+$/, "") + closers + mark;
}

/** Makes sure the clause opens in italics: the first word is italicised unless the text already starts in italics. */
/**
 * The opening phrase of a resolution clause: its verb, with the words drafters join to it ("Call
 * upon", "Noting with concern", "Recalling also", "Bearing in mind", "Taking note"), which UN
 * style italicises together.
 */
const openingPhrase =
  /^(\s*)(\S+(?:\s+(?:also|further|upon|on|note|in mind|into account|with (?:deep |grave |great |serious |particular )?(?:concern|appreciation|satisfaction|interest|regret|alarm)))*)([\s\S]*)$/i;

export function italicizeOpening(runs: Run[]): void {
  const i = runs.findIndex((r) => !r.break && r.text.trim());
  if (i < 0 || runs[i].italic) return;
  const run = runs[i];
  const m = openingPhrase.exec(run.text)!;
  const [, lead, word, rest] = m;
  const parts: Run[] = [];
  if (lead) parts.push({ ...run, text: lead });
  parts.push({ ...run, text: word, italic: true });
  if (rest) parts.push({ ...run, text: rest });
  runs.splice(i, 1, ...parts);
}

function bracket(blocks: Block[]): void {
  const first = firstParagraph(blocks);
  const last = lastParagraph(blocks);
  if (!first || !last) return;
  first.runs.unshift({ text: "[", bracket: true });
  last.runs.push({ text: "]", bracket: true });
}

export function buildExportModel(doc: PMNode, options: ExportOptions): ExportStatement {
  const parts: Record<Part, ExportClause[]> = { pp: [], op: [] };
  const numbered = new Map((options.numbering ?? []).flatMap((c) => (c.id ? [[c.id, c]] : [])));
  let titleRuns: Run[] = [];
  doc.forEach((section) => {
    if (section.type.name === "title") titleRuns = runsOf(section);
    const part = partOfSection[section.type.name];
    if (!part) return;
    section.forEach((clause) => {
      const index = parts[part].length + 1;
      const id = (clause.attrs.id as string | null) ?? null;
      parts[part].push({
        id,
        part,
        // Numbered below, once the empty clauses are left out.
        index,
        num: "",
        label: "",
        bracketed: !options.final && !!id && !!options.bracketed?.has(id),
        blocks: blocksOf(clause),
      });
    });
  });
  // Empty clauses (a fresh statement's placeholders) are not part of any text anyone exports.
  for (const part of ["pp", "op"] as const) parts[part] = parts[part].filter((c) => clauseText(c).trim());
  // A draft keeps the editor's labels, to be read beside it. The clean text numbers what it
  // prints by the same rule (provisional clauses stay "bis"), so a left-out placeholder leaves no
  // gap; so is a clause the numbering does not know.
  for (const part of ["pp", "op"] as const) {
    const next = clauseCounter(part);
    parts[part].forEach((c, i) => {
      const info = c.id ? numbered.get(c.id) : undefined;
      const counted = next(!!info?.provisional);
      c.index = i + 1;
      c.label = !options.final && info ? info.label : counted.label;
      c.num = part === "op" ? `${printedNumber({ part, label: c.label })}.` : "";
    });
  }
  for (const c of [...parts.pp, ...parts.op]) {
    if (c.id && options.untranslated?.has(c.id)) c.language = options.language?.original;
    const first = firstParagraph(c.blocks);
    if (first && languageOf(c.language ?? options.language?.code ?? defaultLanguage).italicOpening) italicizeOpening(first.runs);
    if (!options.final) options.amend?.(c);
    const last = lastParagraph(c.blocks);
    if (last) endWith(last.runs, c.part === "pp" ? "," : c === parts.op[parts.op.length - 1] ? "." : ";");
    if (c.bracketed) bracket(c.blocks);
  }
  return {
    title: titleRuns.map((r) => r.text).join(""),
    titleRuns,
    preamble: parts.pp,
    operative: parts.op,
    final: options.final,
    language: options.language?.code ?? defaultLanguage,
    originalLanguage: options.language?.original ?? defaultLanguage,
  };
}

export const runsText = (runs: Run[]) => runs.map((r) => (r.break ? "\n" : r.text)).join("");

export type RunStyle = Pick<Run, "italic" | "bold" | "underline">;

/** The formatting of each character (UTF-16 unit) of `clauseText(c)`; markers, line ends and breaks are plain. */
export function clauseStyles(c: { blocks: Block[] }): RunStyle[] {
  const out: RunStyle[] = [];
  const plain: RunStyle = {};
  let lines = 0;
  const walk = (blocks: Block[], prefix: string) => {
    for (const b of blocks) {
      if (b.kind === "list") {
        for (const item of b.items) walk(item.blocks, `${item.marker} `);
        continue;
      }
      if (lines++ > 0) out.push(plain);
      for (let i = 0; i < prefix.length; i++) out.push(plain);
      for (const r of b.runs) {
        if (r.break) out.push(plain);
        else {
          const style: RunStyle = {
            ...(r.italic ? { italic: true } : {}),
            ...(r.bold ? { bold: true } : {}),
            ...(r.underline ? { underline: true } : {}),
          };
          for (let i = 0; i < r.text.length; i++) out.push(style);
        }
      }
    }
  };
  walk(c.blocks, "");
  return out;
}

/** A clause as plain text: paragraphs on their own lines, list items led by their marker. */
export function clauseText(c: { blocks: Block[] }): string {
  const lines: string[] = [];
  const walk = (blocks: Block[], prefix: string) => {
    for (const b of blocks) {
      if (b.kind === "paragraph") lines.push(prefix + runsText(b.runs));
      else for (const item of b.items) walk(item.blocks, `${item.marker} `);
    }
  };
  walk(c.blocks, "");
  return lines.join("\n");
}
