import { describe, expect, it } from "vitest";
import { buildExportModel } from "../../server/export/model";
import { statementDocx } from "../../server/export/docx";
import { compilationDocx } from "../../server/export/compilation-docx";
import type { CompiledProposal } from "../../server/negotiation/compilation";
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

  it("puts a page number field in the footer, and a diagonal DRAFT watermark in the header of drafts only", async () => {
    const final = await statementDocx(buildExportModel(demoDoc(), { final: true }));
    const draft = await statementDocx(buildExportModel(demoDoc(), { final: false }));
    expect(await zipText(final, "word/footer1.xml")).toMatch(/<w:instrText[^>]*>PAGE<\/w:instrText>/);
    await expect(zipText(final, "word/header1.xml")).rejects.toThrow();
    // Word's own watermark: a WordArt shape (VML type 136) turned 315° behind the text, its text "DRAFT".
    const header = await zipText(draft, "word/header1.xml");
    expect(header).toMatch(/<v:shape id="PowerPlusWaterMarkObject[^"]*" type="#_x0000_t136" style="[^"]*rotation:315;[^"]*z-index:-/);
    expect(header).toMatch(/<v:textpath [^>]*string="DRAFT"\/>/);
    expect(await zipText(final, "word/document.xml")).not.toContain("DRAFT");
  });
});

const proposal = (p: Partial<CompiledProposal>): CompiledProposal => ({
  id: "x",
  number: "P1",
  label: "OP1 alt",
  kind: "replace",
  status: "submitted",
  sponsor: "Norway",
  cosponsors: [],
  supporters: [],
  objectors: [],
  diff: [],
  excerpt: null,
  decisionReason: null,
  ...p,
});

describe("the compilation text as Word", () => {
  it("is a table of paragraph numbers, texts, sponsors and status: each clause with its state, then its proposals as labelled", async () => {
    const doc = docOf(
      statementJSONOf("T", [clause("p1", "Recalling", " the past,")], [clause("o1", "Decide", " to act;"), clause("o2", "Urge", " all.")]),
    );
    const statement = buildExportModel(doc, { final: false });
    const entry = (
      id: string,
      label: string,
      part: "pp" | "op",
      state: "open" | "agreed_ad_ref" | "agreed",
      proposals: CompiledProposal[] = [],
    ) => ({ type: "clause", id, label, part, state, bracketed: false, provisional: false, text: "", proposals }) as const;
    const buffer = await compilationDocx({
      statement,
      conferenceTitle: "4th International Mine Action Conference",
      at: new Date("2025-05-01T10:00:00Z"),
      entries: [
        entry("p1", "PP1", "pp", "agreed"),
        entry("o1", "OP1", "op", "agreed_ad_ref", [
          proposal({
            number: "P7",
            label: "OP1 alt",
            cosponsors: ["Chile"],
            supporters: ["Fiji"],
            objectors: [{ name: "France", reason: "No." }],
            diff: [
              { type: "equal", text: "Decide to act " },
              { type: "insert", text: "now" },
              { type: "equal", text: ";" },
            ],
          }),
        ]),
        entry("o2", "OP2", "op", "open", [
          proposal({
            number: "P8",
            label: "Delete OP2",
            kind: "delete",
            sponsor: "The Chair",
            status: "rejected",
            diff: [{ type: "delete", text: "Urge all." }],
          }),
        ]),
        {
          type: "proposed",
          anchorId: "o2",
          part: "op",
          label: "OP2 bis",
          proposal: proposal({
            number: "P9",
            label: "OP2 bis",
            kind: "add",
            sponsor: "Japan",
            diff: [{ type: "insert", text: "Welcome it." }],
          }),
        },
      ],
    });
    const xml = await zipText(buffer, "word/document.xml");
    const cells = [...xml.matchAll(/<w:tc>[\s\S]*?<\/w:tc>/g)].map((m) => wordParagraphs(m[0]).join(" | "));
    const rows = [];
    for (let i = 0; i < cells.length; i += 4) rows.push(cells.slice(i, i + 4));
    expect(rows).toEqual([
      ["Para.", "Text", "Sponsors", "Status"],
      ["PP1", "Recalling the past,", "", "Agreed"],
      ["OP1", "Decide to act;", "", "Agreed ad ref."],
      [
        "OP1 alt | P7",
        "Decide to act now; | Supported by: Fiji. Objected to by: France",
        "Norway; co-sponsors: Chile",
        "Under consideration",
      ],
      ["OP2", "Urge all.", "", "Open"],
      ["Delete OP2 | P8", "Urge all.", "The Chair", "Rejected"],
      ["OP2 bis | P9", "Welcome it.", "Japan", "Under consideration"],
    ]);
    // The header row repeats on every page; new words are bold, deleted ones struck through.
    expect(xml).toContain("<w:tblHeader/>");
    expect(xml).toMatch(/<w:r><w:rPr><w:b\/><w:bCs\/><\/w:rPr><w:t xml:space="preserve">now<\/w:t><\/w:r>/);
    expect(xml).toMatch(/<w:r><w:rPr><w:strike\/><\/w:rPr><w:t xml:space="preserve">Urge all\.<\/w:t><\/w:r>/);
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
      /<w:ins w:id="\d+" w:author="Chair" w:date="2025-05-01T10:00:00Z"><w:r>(<w:rPr>.*?<\/w:rPr>)?<w:t xml:space="preserve">distant <\/w:t><\/w:r><\/w:ins>/,
    );
    // Deleted and inserted opening words stay italic.
    expect(xml).toMatch(
      /<w:del w:id="\d+" w:author="Chair" w:date="2025-05-01T10:00:00Z"><w:r><w:rPr><w:i\/><w:iCs\/><\/w:rPr><w:delText xml:space="preserve">Urge<\/w:delText><\/w:r><\/w:del><w:del [^>]*><w:r><w:delText xml:space="preserve"> all\.<\/w:delText>/,
    );
    expect(xml).toMatch(
      /<w:ins [^>]*><w:r><w:rPr><w:i\/><w:iCs\/><\/w:rPr><w:t xml:space="preserve">Welcome<\/w:t><\/w:r><\/w:ins><w:ins [^>]*><w:r><w:t xml:space="preserve"> the centre\.<\/w:t>/,
    );
    // The deleted clause's number goes, the added one's comes: numbers are tracked too.
    expect(xml).toMatch(/<w:delText xml:space="preserve">2\.<\/w:delText>/);
  });
});
