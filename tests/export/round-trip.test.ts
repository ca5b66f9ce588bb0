import { describe, expect, it } from "vitest";
import { AlignmentType, Document, HeadingLevel, LevelFormat, Packer, Paragraph, TextRun } from "docx";
import { buildExportModel, clauseText, letterMarker } from "../../server/export/model";
import { statementDocx } from "../../server/export/docx";
import { statementMarkdown } from "../../server/export/markdown";
import { paragraphsFromDocx } from "../../server/import/docx";
import { paragraphsFromMarkdown } from "../../server/import/markdown";
import { importPlan, recogniseStatement, runsText, type ImportedClause } from "../../server/import/zero-draft";
import { statementSchema } from "../../app/statement/schema";
import { adoptedDemo, demoDoc, silenceLine } from "./fixtures";

/** A clause's text as the export model prints it: paragraph, then sub-items with their markers (the exports letter every list). */
const importedText = (c: ImportedClause) =>
  [runsText(c.runs), ...c.items.map((i, k) => `${i.ordered ? letterMarker(k) : "•"} ${runsText(i.runs)}`)].join("\n");

describe("round trips", () => {
  const model = buildExportModel(demoDoc(), { final: true });

  it("imports a Word file made by the exporter back to the same title, clauses and italics", async () => {
    const imported = recogniseStatement(await paragraphsFromDocx(await statementDocx(model)));
    expect(imported.title).toBe(model.title);
    expect(imported.preamble.map(importedText)).toEqual(model.preamble.map(clauseText));
    expect(imported.operative.map(importedText)).toEqual(model.operative.map(clauseText));
    expect(imported.operative[3].runs[0]).toEqual({ text: "Stress", italic: true });
    // Nothing was guessed: the notes only say how the structure was read.
    expect(imported.warnings).toEqual([
      "No part headings were found: the unnumbered paragraphs before the first numbered one were taken as the preamble.",
      "Recognised 7 numbered clauses (7 by typed numbers); Concord numbers them itself.",
      "Recognised 4 sub-items ((a), (b)… or bullets) under their clauses.",
    ]);
    // And it becomes a statement the schema accepts, with fresh clause ids, and exports the same way again.
    const { json } = importPlan(imported);
    const again = buildExportModel(statementSchema.nodeFromJSON(json), { final: true });
    expect([...again.preamble, ...again.operative].map(clauseText)).toEqual([...model.preamble, ...model.operative].map(clauseText));
    const ids = [...again.preamble, ...again.operative].map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("imports an adopted statement exported as Word or Markdown without its adoption line and annex", async () => {
    const adopted = adoptedDemo();
    for (const imported of [
      recogniseStatement(await paragraphsFromDocx(await statementDocx(adopted))),
      recogniseStatement(paragraphsFromMarkdown(statementMarkdown(adopted))),
    ]) {
      expect(imported.preamble.map(importedText)).toEqual(adopted.preamble.map(clauseText));
      expect(imported.operative.map(importedText)).toEqual(adopted.operative.map(clauseText));
      expect(imported.warnings.find((w) => w.startsWith("Left out the last"))).toMatch(
        new RegExp(
          `paragraphs, from “${silenceLine.slice(0, 30)}.*: an annex, or an adopted text's adoption line, is not part of the statement\\.$`,
        ),
      );
    }
    // A clause that only mentions an annex stays a clause; an "Annex" heading ends the text.
    const md = ["# T", "", "*Recalling* Annex II to the Convention,", "", "1. *Decide* to act.", "", "## Annex I", "", "A table."].join(
      "\n",
    );
    const imported = recogniseStatement(paragraphsFromMarkdown(md));
    expect(imported.preamble.map(importedText)).toEqual(["Recalling Annex II to the Convention,"]);
    expect(imported.operative.map(importedText)).toEqual(["Decide to act."]);
  });

  it("imports a draft exported as Markdown", () => {
    const imported = recogniseStatement(paragraphsFromMarkdown(statementMarkdown(buildExportModel(demoDoc(), { final: false }))));
    expect(imported.title).toBe(model.title);
    expect(imported.preamble.map(importedText)).toEqual(model.preamble.map(clauseText));
    expect(imported.operative.map(importedText)).toEqual(model.operative.map(clauseText));
  });

  it("recognises a hand-made Word zero draft: heading title, unnumbered preamble, Word-numbered and typed-number operative clauses, lettered sub-items", async () => {
    const doc = new Document({
      numbering: {
        config: [{ reference: "ops", levels: [{ level: 0, format: LevelFormat.DECIMAL, text: "%1.", alignment: AlignmentType.START }] }],
      },
      sections: [
        {
          children: [
            new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun("Geneva Declaration on Mine Action")] }),
            new Paragraph({ children: [new TextRun({ text: "Recalling", italics: true }), new TextRun(" earlier commitments;")] }),
            new Paragraph({ children: [new TextRun("")] }),
            new Paragraph({ children: [new TextRun({ text: "Mindful", italics: true }), new TextRun(" of the costs,")] }),
            new Paragraph({
              numbering: { reference: "ops", level: 0 },
              children: [new TextRun({ text: "Decide", italics: true }), new TextRun(" to act;")],
            }),
            new Paragraph({ children: [new TextRun("(a)\tby clearing land;")] }),
            new Paragraph({ children: [new TextRun("(b)\tby training deminers;")] }),
            new Paragraph({ children: [new TextRun("2.\tRequest the secretariat to report.")] }),
          ],
        },
      ],
    });
    const imported = recogniseStatement(await paragraphsFromDocx(await Packer.toBuffer(doc)));
    expect(imported.title).toBe("Geneva Declaration on Mine Action");
    expect(imported.preamble.map((c) => runsText(c.runs))).toEqual(["Recalling earlier commitments;", "Mindful of the costs,"]);
    expect(imported.operative.map((c) => runsText(c.runs))).toEqual(["Decide to act;", "Request the secretariat to report."]);
    expect(imported.operative[0].items.map((i) => runsText(i.runs))).toEqual(["by clearing land;", "by training deminers;"]);
    // Exported again, the UN conventions apply: commas, numbering, the last clause's period.
    const exported = buildExportModel(statementSchema.nodeFromJSON(importPlan(imported).json), { final: true });
    expect(exported.preamble.map(clauseText)).toEqual(["Recalling earlier commitments,", "Mindful of the costs,"]);
    expect(exported.operative.map((c) => c.num)).toEqual(["1.", "2."]);
    expect(clauseText(exported.operative[0])).toBe("Decide to act;\n(a) by clearing land;\n(b) by training deminers;");
    expect(clauseText(exported.operative[1])).toBe("Request the secretariat to report.");
  });

  it("recognises a hand-written Markdown zero draft", () => {
    const md = [
      "# Zero draft",
      "",
      "_Recalling_ the 2024 outcome,",
      "which linked mine action to climate resilience,",
      "",
      "*Noting* 1\\. the costs,",
      "",
      "1. **Urge** action;",
      "   (a) now;",
      "   (b) later;",
      "2) *Decide* to remain seized of the matter.",
    ].join("\n");
    const imported = recogniseStatement(paragraphsFromMarkdown(md));
    expect(imported.title).toBe("Zero draft");
    expect(imported.preamble.map((c) => runsText(c.runs))).toEqual([
      "Recalling the 2024 outcome, which linked mine action to climate resilience,",
      "Noting 1. the costs,",
    ]);
    expect(imported.preamble[0].runs[0]).toEqual({ text: "Recalling", italic: true });
    expect(imported.operative.map((c) => runsText(c.runs))).toEqual(["Urge action;", "Decide to remain seized of the matter."]);
    expect(imported.operative[0].runs[0]).toEqual({ text: "Urge", bold: true });
    expect(imported.operative[0].items.map((i) => runsText(i.runs))).toEqual(["now;", "later;"]);
  });
});
