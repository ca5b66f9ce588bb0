import type { Node as PMNode } from "@tiptap/pm/model";

export type Part = "pp" | "op";

/** A clause node of a statement document, where it is: what editing needs, without a label. */
export interface ClauseNode {
  id: string | null;
  part: Part;
  /** Position of the clause node in the document. */
  pos: number;
  /** Plain text of the clause. */
  text: string;
}

export interface ClauseInfo extends ClauseNode {
  /** Display label: PP1, PP2 … / OP1, OP2 …; a provisional clause: "OP5 bis", "Pre-OP1". */
  label: string;
  /** 1-based number within its part; for a provisional clause, the number of the numbered clause before it (0: none). */
  number: number;
  /** Added by an accepted proposal and not final yet: it takes no number of its own. */
  provisional: boolean;
}

export const partOfSection: Record<string, Part> = { preamble: "pp", operative: "op" };

// The Latin ordinals of UN drafting: OP5 bis, OP5 ter, OP5 quater …
export const ordinals = ["bis", "ter", "quater", "quinquies", "sexies", "septies", "octies", "novies", "decies"];

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

/** Every clause node of a statement document in order. */
export function clauseNodes(doc: PMNode): ClauseNode[] {
  const out: ClauseNode[] = [];
  doc.forEach((section, sectionOffset) => {
    const part = partOfSection[section.type.name];
    if (!part) return;
    section.forEach((clause, clauseOffset) => {
      if (clause.type.name !== "clause") return;
      out.push({
        id: (clause.attrs.id as string | null) ?? null,
        part,
        pos: sectionOffset + 1 + clauseOffset,
        text: clause.textContent,
      });
    });
  });
  return out;
}

/**
 * Every clause of a statement document in order, with its label: the one numbering of the
 * application, which every surface (editor, outline, side panel, state messages, audit subjects,
 * compilation, versions, redline, exports) takes its labels from. A clause in `provisional` takes
 * no number, so that the clauses after it keep theirs until it is final. The set is not optional:
 * numbering without it is how surfaces came to disagree (the server derives it in
 * server/negotiation/numbering.ts, and hands it to the pages).
 */
export function listClauses(doc: PMNode, provisional: ReadonlySet<string>): ClauseInfo[] {
  const next = { pp: clauseCounter("pp"), op: clauseCounter("op") };
  return clauseNodes(doc).map((c) => {
    const isProvisional = c.id !== null && provisional.has(c.id);
    return { ...c, ...next[c.part](isProvisional), provisional: isProvisional };
  });
}

/**
 * Numbers the clauses of one part in order, each call the next clause: a provisional one takes
 * no number of its own. listClauses numbers a statement with it; the clean export numbers what
 * it prints (no empty placeholder clause) with it.
 */
export function clauseCounter(part: Part): (provisional: boolean) => { number: number; label: string } {
  let n = 0;
  let k = 0;
  return (provisional) => {
    if (provisional) k += 1;
    else {
      n += 1;
      k = 0;
    }
    return { number: n, label: provisional ? provisionalLabel(part, n, k) : `${part.toUpperCase()}${n}` };
  };
}

/** The number a clause is printed with in a draft ("3", "3 bis", "Pre-OP1"): its label without the part's prefix. */
export function printedNumber(c: Pick<ClauseInfo, "part" | "label">): string {
  const prefix = c.part.toUpperCase();
  return c.label.startsWith(prefix) ? c.label.slice(prefix.length) : c.label;
}
