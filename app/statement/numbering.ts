import type { Node as PMNode } from "@tiptap/pm/model";

export type Part = "pp" | "op";

export interface ClauseInfo {
  id: string | null;
  part: Part;
  /** Display label: PP1, PP2 … / OP1, OP2 …; a provisional clause: "OP5 bis", "Pre-OP1". */
  label: string;
  /** 1-based number within its part; for a provisional clause, the number of the numbered clause before it (0: none). */
  number: number;
  /** Added by an accepted proposal and not final yet: it takes no number of its own. */
  provisional: boolean;
  /** Position of the clause node in the document. */
  pos: number;
  /** Plain text of the clause. */
  text: string;
}

export const partOfSection: Record<string, Part> = { preamble: "pp", operative: "op" };

// The Latin ordinals of UN drafting: OP5 bis, OP5 ter, OP5 quater …
const ordinals = ["bis", "ter", "quater", "quinquies", "sexies", "septies", "octies", "novies", "decies"];

/** "bis" for the first clause after a numbered one, "ter" for the second…; past decies, "bis 10", "bis 11"… */
export function ordinal(k: number): string {
  return ordinals[k - 1] ?? `bis ${k}`;
}

/**
 * The label of the k-th (1-based) unnumbered clause after clause `number` of a part. Before the
 * first numbered clause of a part negotiators speak of "Pre-OP1", then "Pre-OP1 bis", "Pre-OP1 ter"…
 */
export function provisionalLabel(part: Part, number: number, k: number): string {
  const prefix = part.toUpperCase();
  if (number > 0) return `${prefix}${number} ${ordinal(k)}`;
  return k === 1 ? `Pre-${prefix}1` : `Pre-${prefix}1 ${ordinal(k - 1)}`;
}

/**
 * Every clause of a statement document in order, with its label. The one numbering of the
 * application: the editor, the outline, the compilation and the exporters all use it. A clause in
 * `provisional` takes no number, so that the clauses after it keep theirs until it is final.
 */
export function listClauses(doc: PMNode, provisional: ReadonlySet<string> = new Set()): ClauseInfo[] {
  const out: ClauseInfo[] = [];
  doc.forEach((section, sectionOffset) => {
    const part = partOfSection[section.type.name];
    if (!part) return;
    let n = 0;
    let k = 0;
    section.forEach((clause, clauseOffset) => {
      if (clause.type.name !== "clause") return;
      const id = (clause.attrs.id as string | null) ?? null;
      const isProvisional = id !== null && provisional.has(id);
      if (isProvisional) k += 1;
      else {
        n += 1;
        k = 0;
      }
      out.push({
        id,
        part,
        number: n,
        provisional: isProvisional,
        label: isProvisional ? provisionalLabel(part, n, k) : `${part.toUpperCase()}${n}`,
        pos: sectionOffset + 1 + clauseOffset,
        text: clause.textContent,
      });
    });
  });
  return out;
}
