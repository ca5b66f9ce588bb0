import type { Node as PMNode } from "@tiptap/pm/model";
import type { ClauseInfo, Part } from "../../app/statement/numbering";
import { wordDiff, type DiffSegment } from "../../app/statement/word-diff";
import {
  type ExportOptions,
  buildExportModel,
  clauseStyles,
  clauseText,
  type ExportClause,
  type ExportStatement,
  type RunStyle,
} from "./model";

/**
 * What changed between two versions of a statement, clause by clause. Clauses are matched by
 * their stable id, so a clause that was moved and edited is still the same clause; its text
 * changes are a word-level diff. Each version is labelled by its own numbering (its provisional
 * clauses "OP5 bis"), so a clause whose number did not change is not shown as renumbered, and
 * compared with finished punctuation, which is what readers of a redline compare.
 */

/** A piece of the diff with the formatting its words have where they come from (italic opening words stay italic). */
export type StyledSegment = DiffSegment & RunStyle;

export type ClauseChange = "added" | "deleted" | "changed" | "unchanged";

export interface RedlineClause {
  id: string | null;
  change: ClauseChange;
  /** The clause's place among the others changed (it was moved, or moved to the other part). */
  moved: boolean;
  /** Part in the new version (the old one for deleted clauses). */
  part: Part;
  oldPart: Part | null;
  /** Printed numbers: "3." for operative clauses, "PP2" style labels for both. */
  oldLabel: string | null;
  newLabel: string | null;
  oldNum: string | null;
  newNum: string | null;
  diff: DiffSegment[];
  /** The diff split where the formatting changes: deleted words styled as in the old clause, the others as in the new. */
  styled: StyledSegment[];
}

export interface Redline {
  title: DiffSegment[];
  oldTitle: string;
  newTitle: string;
  clauses: RedlineClause[];
  /** The newer text's language (ISO 639-1). */
  language: string;
}

const sameStyle = (a: RunStyle, b: RunStyle) => !!a.italic === !!b.italic && !!a.bold === !!b.bold && !!a.underline === !!b.underline;

/** Splits each segment where its characters' formatting changes, reading it from the side its text comes from. */
export function styleSegments(diff: DiffSegment[], oldStyles: RunStyle[], newStyles: RunStyle[]): StyledSegment[] {
  const out: StyledSegment[] = [];
  let o = 0;
  let n = 0;
  for (const d of diff) {
    const [styles, at] = d.type === "delete" ? [oldStyles, o] : [newStyles, n];
    const styleAt = (i: number) => styles[at + i] ?? {};
    let start = 0;
    for (let i = 1; i <= d.text.length; i++) {
      if (i < d.text.length && sameStyle(styleAt(i), styleAt(start))) continue;
      out.push({ type: d.type, text: d.text.slice(start, i), ...styleAt(start) });
      start = i;
    }
    if (d.type !== "insert") o += d.text.length;
    if (d.type !== "delete") n += d.text.length;
  }
  return out;
}

/** Indexes (in `b`) of the longest common subsequence of two id lists: the clauses that kept their order. */
function keptOrder(a: string[], b: string[]): Set<string> {
  const n = a.length;
  const m = b.length;
  const w = m + 1;
  const lcs = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i * w + j] = a[i] === b[j] ? lcs[(i + 1) * w + j + 1] + 1 : Math.max(lcs[(i + 1) * w + j], lcs[i * w + j + 1]);
  const kept = new Set<string>();
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      kept.add(a[i]);
      i++;
      j++;
    } else if (lcs[(i + 1) * w + j] >= lcs[i * w + j + 1]) i++;
    else j++;
  }
  return kept;
}

const all = (s: ExportStatement) => [...s.preamble, ...s.operative];
const keyOf = (c: ExportClause, i: number) => c.id ?? `#${c.part}${i}`;

/** A statement and its numbering (server/negotiation/numbering.ts). */
export interface NumberedText {
  doc: PMNode;
  clauses: readonly ClauseInfo[];
}

export function redlineStatements(older: NumberedText, newer: NumberedText, language?: ExportOptions["language"]): Redline {
  const before = buildExportModel(older.doc, { final: false, numbering: older.clauses, language });
  const after = buildExportModel(newer.doc, { final: false, numbering: newer.clauses, language });
  return redlineModels(before, after);
}

export function redlineModels(before: ExportStatement, after: ExportStatement): Redline {
  const oldClauses = all(before);
  const newClauses = all(after);
  const oldKeys = oldClauses.map(keyOf);
  const newKeys = newClauses.map(keyOf);
  const oldByKey = new Map(oldClauses.map((c, i) => [oldKeys[i], c]));
  const newKeySet = new Set(newKeys);
  const common = (keys: string[], other: Set<string> | Map<string, unknown>) => keys.filter((k) => other.has(k));
  const kept = keptOrder(common(oldKeys, newKeySet), common(newKeys, oldByKey));

  // A deleted clause is shown after the clause that preceded it in the old version (and still exists).
  const deletedAfter = new Map<string | null, ExportClause[]>();
  let anchor: string | null = null;
  oldClauses.forEach((c, i) => {
    const key = oldKeys[i];
    if (newKeySet.has(key)) anchor = key;
    else deletedAfter.set(anchor, [...(deletedAfter.get(anchor) ?? []), c]);
  });

  const deleted = (c: ExportClause): RedlineClause => ({
    id: c.id,
    change: "deleted",
    moved: false,
    part: c.part,
    oldPart: c.part,
    oldLabel: c.label,
    newLabel: null,
    oldNum: c.num || null,
    newNum: null,
    diff: [{ type: "delete", text: clauseText(c) }],
    styled: styleSegments([{ type: "delete", text: clauseText(c) }], clauseStyles(c), []),
  });

  const clauses: RedlineClause[] = (deletedAfter.get(null) ?? []).map(deleted);
  newClauses.forEach((c, i) => {
    const key = newKeys[i];
    const old = oldByKey.get(key);
    const newText = clauseText(c);
    if (!old) {
      clauses.push({
        id: c.id,
        change: "added",
        moved: false,
        part: c.part,
        oldPart: null,
        oldLabel: null,
        newLabel: c.label,
        oldNum: null,
        newNum: c.num || null,
        diff: [{ type: "insert", text: newText }],
        styled: styleSegments([{ type: "insert", text: newText }], [], clauseStyles(c)),
      });
    } else {
      const oldText = clauseText(old);
      const diff: DiffSegment[] = oldText === newText ? [{ type: "equal", text: newText }] : wordDiff(oldText, newText);
      clauses.push({
        id: c.id,
        change: oldText === newText ? "unchanged" : "changed",
        moved: !kept.has(key) || old.part !== c.part,
        part: c.part,
        oldPart: old.part,
        oldLabel: old.label,
        newLabel: c.label,
        oldNum: old.num || null,
        newNum: c.num || null,
        diff,
        styled: styleSegments(diff, clauseStyles(old), clauseStyles(c)),
      });
    }
    for (const d of deletedAfter.get(key) ?? []) clauses.push(deleted(d));
  });
  return { title: wordDiff(before.title, after.title), oldTitle: before.title, newTitle: after.title, clauses, language: after.language };
}
