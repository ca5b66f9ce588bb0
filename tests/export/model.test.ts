import { describe, expect, it } from "vitest";
import { buildExportModel, clauseText } from "../../server/export/model";
import { listClauses } from "../../app/statement/numbering";
import { clause, docOf, statementJSONOf } from "./fixtures";

const doc = docOf(
  statementJSONOf(
    "A title",
    [clause("p1", "Recalling", " the past."), clause("p2", "noting", " the present", false), clause("p3", "Welcoming", " the (future)")],
    [clause("o1", "Decide", " one,"), clause("empty", "", ""), clause("o2", "Urge", " two;"), clause("o3", "Request", " three;")],
  ),
);

describe("the export model", () => {
  it("ends preambular clauses with a comma and operative ones with a semicolon, the last with a period", () => {
    const m = buildExportModel(doc, { final: true });
    expect(m.preamble.map(clauseText)).toEqual(["Recalling the past,", "noting the present,", "Welcoming the (future),"]);
    expect(m.operative.map(clauseText)).toEqual(["Decide one;", "Urge two;", "Request three."]);
  });

  it("numbers operative clauses densely, skipping empty clauses, and italicises an opening word that is not", () => {
    const m = buildExportModel(doc, { final: true });
    expect(m.operative.map((c) => c.num)).toEqual(["1.", "2.", "3."]);
    const runs = m.preamble[1].blocks[0].kind === "paragraph" ? m.preamble[1].blocks[0].runs : [];
    expect(runs[0]).toMatchObject({ text: "noting", italic: true });
    expect(runs[1].italic).toBeFalsy();
  });

  it("numbers a draft as the statement's numbering does (the empty clause keeps its number), and the clean text by its rule", () => {
    const options = { numbering: listClauses(doc, new Set(["o2"])), bracketed: new Set(["o2"]) };
    const draft = buildExportModel(doc, { final: false, ...options });
    expect(draft.operative.map((c) => [c.num, c.label])).toEqual([
      ["1.", "OP1"],
      ["2 bis.", "OP2 bis"],
      ["3.", "OP3"],
    ]);
    expect(clauseText(draft.operative[1])).toBe("[Urge two;]");
    // The clean text of a statement still under negotiation keeps "bis" by the same rule, over
    // what it prints: the empty placeholder OP2 is left out, so the provisional clause follows OP1.
    // Once adopted, no clause is provisional and the numbering is dense.
    const final = buildExportModel(doc, { final: true, ...options });
    expect(final.operative.map((c) => c.num)).toEqual(["1.", "1 bis.", "2."]);
    expect(buildExportModel(doc, { final: true, numbering: listClauses(doc, new Set()) }).operative.map((c) => c.num)).toEqual([
      "1.",
      "2.",
      "3.",
    ]);
    expect(clauseText(final.operative[1])).toBe("Urge two;");
  });

  it("italicises a clause's opening phrase when it is not written in italics: the verb and the words joined to it", () => {
    const openings = [
      ["Call upon governments to act", "Call upon"],
      ["Noting with deep concern that mines remain", "Noting with deep concern"],
      ["Recalling also its earlier statement", "Recalling also"],
      ["Bearing in mind the needs of returnees", "Bearing in mind"],
      ["Taking note of the report", "Taking note"],
      ["Decide to remain seized of the matter", "Decide"],
    ];
    for (const [text, phrase] of openings) {
      const one = docOf(statementJSONOf("T", [clause("p", "", text, false)], [clause("o", "Decide", " x.")]));
      const first = buildExportModel(one, { final: true }).preamble[0].blocks[0];
      const runs = first.kind === "paragraph" ? first.runs : [];
      expect(
        runs.filter((r) => r.italic).map((r) => r.text),
        text,
      ).toEqual([phrase]);
    }
  });
});
