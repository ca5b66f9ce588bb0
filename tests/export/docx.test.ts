import { describe, expect, it } from "vitest";
import { buildExportModel } from "../../server/export/model";
import { statementDocx } from "../../server/export/docx";
import { compilationDocx, type CompilationProposal } from "../../server/export/compilation-docx";
import { redlineStatements } from "../../server/export/redline";
import { redlineDocx } from "../../server/export/redline-docx";
import { wordParagraphs, zipText } from "../support/zip";
import { clause, demoDoc, docOf, numberedOf, statementJSONOf } from "./fixtures";

describe("the statement as Word", () => {
  it("has the title, italic opening words, commas after preambular clauses and numbered operative clauses", async () => {
    const xml = await zipText(await statementDocx(buildExportModel(demoDoc(), { final: true })), "word/document.xml");
    const paragraphs = wordParagraphs(xml);
    expect(paragraphs[0]).toBe("Baku Joint Statement on Humanitarian Demining for Urban Recovery");
    expect(xml).toMatch(/<w:pStyle w:val="Title"\/>/);
    const pp = paragraphs.slice(1, 8);
    expect(pp.every((p) => p.endsWith(","))).toBe(true);
    expect(paragraphs).toContain(
      "1.\tReaffirm that humanitarian demining is the first and indispensable step toward safe reconstruction, resettlement and urban recovery in post-conflict environments;",
    );
    expect(paragraphs.filter((p) => /^\d+\.\t/.test(p)).map((p) => p.split("\t")[0])).toEqual(["1.", "2.", "3.", "4.", "5.", "6.", "7."]);
    expect(paragraphs[paragraphs.length - 1]).toMatch(/^7\.\tDecide .*planning\.$/);
    // The opening words are italic runs of their own.
    expect(xml).toMatch(/<w:r><w:rPr><w:i\/><w:iCs\/><\/w:rPr><w:t xml:space="preserve">Noting with concern<\/w:t><\/w:r>/);
    expect(xml).toMatch(/<w:r><w:rPr><w:i\/><w:iCs\/><\/w:rPr><w:t xml:space="preserve">Reaffirm<\/w:t><\/w:r>/);
    const styles = await zipText(await statementDocx(buildExportModel(demoDoc(), { final: true })), "word/styles.xml");
    expect(styles).toContain('w:ascii="Times New Roman"');
    expect(styles).toMatch(/<w:sz w:val="24"\/>/);
  });

  it("puts a page number field in the footer, and DRAFT in the header of drafts only", async () => {
    const final = await statementDocx(buildExportModel(demoDoc(), { final: true }));
    const draft = await statementDocx(buildExportModel(demoDoc(), { final: false }));
    expect(await zipText(final, "word/footer1.xml")).toMatch(/<w:instrText[^>]*>PAGE<\/w:instrText>/);
    await expect(zipText(final, "word/header1.xml")).rejects.toThrow();
    expect(await zipText(draft, "word/header1.xml")).toContain(">DRAFT<");
    expect(await zipText(final, "word/document.xml")).not.toContain("DRAFT");
  });
});

const proposal = (p: Partial<CompilationProposal>): CompilationProposal => ({
  number: 1,
  kind: "replace",
  clauseId: null,
  part: "op",
  delegationName: "Norway",
  delegationCode: "NOR",
  status: "submitted",
  positions: [],
  baseText: "",
  revision: null,
  ...p,
});

describe("the compilation text as Word", () => {
  it("shows each clause with its proposals, sponsors in brackets, co-sponsors, supporters, objectors and status", async () => {
    const doc = docOf(
      statementJSONOf("T", [clause("p1", "Recalling", " the past,")], [clause("o1", "Decide", " to act;"), clause("o2", "Urge", " all.")]),
    );
    const statement = buildExportModel(doc, { final: false });
    const pos = (code: string, name: string, position: "cosponsor" | "support" | "object") => ({
      delegationId: code,
      delegationCode: code,
      delegationName: name,
      position,
      reason: "",
      updatedAt: new Date(),
    });
    const buffer = await compilationDocx({
      statement,
      conferenceTitle: "4th International Mine Action Conference",
      at: new Date("2025-05-01T10:00:00Z"),
      proposals: [
        proposal({
          number: 7,
          clauseId: "o1",
          revision: { number: 1, content: null, text: "Decide to act now;", baseText: "Decide to act;", submittedAt: new Date() },
          positions: [pos("CHL", "Chile", "cosponsor"), pos("FJI", "Fiji", "support"), pos("FRA", "France", "object")],
        }),
        proposal({ number: 8, kind: "delete", clauseId: "o2", delegationName: null, delegationCode: null, status: "rejected" }),
      ],
    });
    const paragraphs = wordParagraphs(await zipText(buffer, "word/document.xml"));
    const at = (s: string) => paragraphs.findIndex((p) => p.includes(s));
    expect(paragraphs).toContain("P7 Amend [Norway (NOR); co-sponsors: Chile (CHL)] — Under consideration");
    expect(paragraphs).toContain("Supported by: Fiji (FJI). Objected to by: France (FRA)");
    expect(paragraphs).toContain("Decide to act now;");
    expect(paragraphs).toContain("P8 Delete [Chair's proposal] — Rejected");
    // Proposals follow their clause.
    expect(at("OP1\tDecide to act;")).toBeGreaterThan(-1);
    expect(at("OP1\tDecide to act;")).toBeLessThan(at("P7 Amend"));
    expect(at("OP2\tUrge all.")).toBeLessThan(at("P8 Delete"));
    expect(at("P7 Amend")).toBeLessThan(at("OP2\tUrge all."));
  });
});

describe("the redline as Word", () => {
  it("writes insertions and deletions as tracked changes Word can accept or reject", async () => {
    const before = docOf(
      statementJSONOf("T", [clause("p1", "Recalling", " the past,")], [clause("o1", "Decide", " to act;"), clause("o2", "Urge", " all.")]),
    );
    const after = docOf(
      statementJSONOf(
        "T",
        [clause("p1", "Recalling", " the distant past,")],
        [clause("o1", "Decide", " to act;"), clause("o3", "Welcome", " the centre.")],
      ),
    );
    const xml = await zipText(
      await redlineDocx(redlineStatements(numberedOf(before), numberedOf(after)), { date: new Date("2025-05-01T10:00:00Z") }),
      "word/document.xml",
    );
    expect(xml).toMatch(
      /<w:ins w:id="\d+" w:author="Concord" w:date="2025-05-01T10:00:00Z"><w:r>(<w:rPr>.*?<\/w:rPr>)?<w:t xml:space="preserve">distant <\/w:t><\/w:r><\/w:ins>/,
    );
    expect(xml).toMatch(
      /<w:del w:id="\d+" w:author="Concord" w:date="2025-05-01T10:00:00Z"><w:r>(<w:rPr>.*?<\/w:rPr>)?<w:delText xml:space="preserve">Urge all\.<\/w:delText><\/w:r><\/w:del>/,
    );
    expect(xml).toMatch(/<w:ins [^>]*><w:r>(<w:rPr>.*?<\/w:rPr>)?<w:t xml:space="preserve">Welcome the centre\.<\/w:t>/);
    // The deleted clause's number goes, the added one's comes: numbers are tracked too.
    expect(xml).toMatch(/<w:delText xml:space="preserve">2\.<\/w:delText>/);
  });
});
