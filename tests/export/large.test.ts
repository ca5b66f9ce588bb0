import { listClauses } from "../../app/statement/numbering";
import { expect, it } from "vitest";
import { buildExportModel } from "../../server/export/model";
import { renderExport } from "../../server/export/render";
import { exportFormats } from "../../app/statement/export-formats";
import { redlineStatements } from "../../server/export/redline";
import { redlineDocx } from "../../server/export/redline-docx";
import { docOf, largeStatement, numberedOf } from "./fixtures";

// How fast is measured by `npm run bench` (its exports case); here, that a large statement exports whole.
it("exports a 300-clause statement in every format, and a redline of it", async () => {
  const doc = docOf(largeStatement(300));
  for (const format of exportFormats) {
    const file = await renderExport({
      format,
      doc,
      conferenceTitle: "Conference",
      documentTitle: "Large",
      version: "current",
      at: new Date(),
      created: new Date(),
      numbering: listClauses(doc, new Set()),
      draft: null,
    });
    expect(file.body.length, format).toBeGreaterThan(10_000);
  }
  const redline = redlineStatements(numberedOf(doc), numberedOf(docOf(largeStatement(300))));
  expect(redline.clauses.filter((c) => c.change !== "unchanged")).toHaveLength(0);
  expect((await redlineDocx(redline, { date: new Date() })).length).toBeGreaterThan(10_000);
  expect(buildExportModel(doc, { final: true }).operative).toHaveLength(270);
});
