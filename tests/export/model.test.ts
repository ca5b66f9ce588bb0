import { describe, expect, it } from "vitest";
import { buildExportModel, clauseText } from "../../server/export/model";
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

  it("uses the caller's labels and brackets in a draft and ignores them in the final text", () => {
    const options = { labels: new Map([["o2", "1 bis"]]), bracketed: new Set(["o2"]) };
    const draft = buildExportModel(doc, { final: false, ...options });
    expect(draft.operative.map((c) => c.num)).toEqual(["1.", "1 bis.", "3."]);
    expect(clauseText(draft.operative[1])).toBe("[Urge two;]");
    const final = buildExportModel(doc, { final: true, ...options });
    expect(final.operative.map((c) => c.num)).toEqual(["1.", "2.", "3."]);
    expect(clauseText(final.operative[1])).toBe("Urge two;");
  });
});
