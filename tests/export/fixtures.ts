import type { JSONContent } from "@tiptap/core";
import type { Node as PMNode } from "@tiptap/pm/model";
import { statementSchema } from "../../app/statement/schema";
import { listClauses } from "../../app/statement/numbering";
import { demoStatement } from "../../server/seed/demo-statement";
import { buildExportModel, type ExportStatement } from "../../server/export/model";
import { withAdoptionAnnex, type StoredAdoption } from "../../server/export/adoption-annex";
import { adoptionLine } from "../../app/statement/adoption-line";

export const demoDoc = () => statementSchema.nodeFromJSON(demoStatement());

const text = (t: string, italic = false): JSONContent => ({ type: "text", text: t, ...(italic ? { marks: [{ type: "italic" }] } : {}) });
export const clause = (id: string, opening: string, rest: string, italicOpening = true): JSONContent => ({
  type: "clause",
  attrs: { id },
  content: [
    opening + rest
      ? { type: "paragraph", content: italicOpening ? [text(opening, true), text(rest)] : [text(opening + rest)] }
      : { type: "paragraph" },
  ],
});

export function statementJSONOf(title: string, pp: JSONContent[], op: JSONContent[]): JSONContent {
  return {
    type: "doc",
    content: [
      { type: "title", content: [text(title)] },
      { type: "preamble", content: pp },
      { type: "operative", content: op },
    ],
  };
}

export const docOf = (json: JSONContent) => statementSchema.nodeFromJSON(json);

/** A statement with its numbering, none of its clauses provisional: one side of a redline. */
export const numberedOf = (doc: PMNode) => ({ doc, clauses: listClauses(doc, new Set()) });

/** A statement of n clauses (a tenth preambular), for timing the exports. */
export function largeStatement(n: number): JSONContent {
  const pp = Math.floor(n / 10);
  return statementJSONOf(
    "Large statement",
    Array.from({ length: pp }, (_, i) =>
      clause(`pp${i}`, "Recalling", ` resolution ${i} on the subject of humanitarian demining and its many aspects, as adopted in plenary`),
    ),
    Array.from({ length: n - pp }, (_, i) =>
      clause(
        `op${i}`,
        "Requests",
        ` the secretariat to report on item ${i}, with particular attention to the coordination of mine action actors and development partners;`,
      ),
    ),
  );
}

export const silenceLine = adoptionLine({ method: "silence", at: new Date("2026-05-12T14:00:00Z"), timeZone: "Asia/Baku", meeting: null });

/** The demo statement, adopted, with Norway's reservation on OP3 and Colombia's explanation of the whole text. */
export function adoptedDemo(line = silenceLine): ExportStatement {
  const model = buildExportModel(demoDoc(), { final: true });
  const stored: StoredAdoption = {
    line,
    explanations: [
      {
        delegation: "Norway",
        clauseIds: [model.operative[2].id!],
        reservation: true,
        afterAdoption: false,
        paragraphs: ["Norway joins the consensus & reserves its position on OP3.", "It reads “urban” narrowly."],
      },
      { delegation: "Colombia", clauseIds: [], reservation: false, afterAdoption: true, paragraphs: ["Colombia welcomes the statement."] },
    ],
  };
  return withAdoptionAnnex(model, stored);
}
