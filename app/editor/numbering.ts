import type { Node as PMNode } from "@tiptap/pm/model";

export type Part = "pp" | "op";

export interface ClauseInfo {
  id: string | null;
  part: Part;
  /** Display label: PP1, PP2 … / OP1, OP2 … */
  label: string;
  /** 1-based number within its part. */
  number: number;
  /** Position of the clause node in the document. */
  pos: number;
  /** Plain text of the clause. */
  text: string;
}

export const partOfSection: Record<string, Part> = { preamble: "pp", operative: "op" };

/** Every clause of a statement document in order, with its computed number. */
export function listClauses(doc: PMNode): ClauseInfo[] {
  const out: ClauseInfo[] = [];
  doc.forEach((section, sectionOffset) => {
    const part = partOfSection[section.type.name];
    if (!part) return;
    let n = 0;
    section.forEach((clause, clauseOffset) => {
      if (clause.type.name !== "clause") return;
      n += 1;
      out.push({
        id: clause.attrs.id ?? null,
        part,
        number: n,
        label: `${part.toUpperCase()}${n}`,
        pos: sectionOffset + 1 + clauseOffset,
        text: clause.textContent,
      });
    });
  });
  return out;
}
