import { expect, it } from "vitest";
import { buildExportModel } from "../../server/export/model";
import { renderExport } from "../../server/export/render";
import { exportFormats } from "../../app/utils/export-formats";
import { redlineStatements } from "../../server/export/redline";
import { redlineDocx } from "../../server/export/redline-docx";
import { docOf, largeStatement } from "./fixtures";

it("exports a 300-clause statement in every format (times printed, not asserted)", async () => {
  const doc = docOf(largeStatement(300));
  const times: string[] = [];
  for (const format of exportFormats) {
    const start = performance.now();
    const file = await renderExport({ format, doc, conferenceTitle: "Conference", documentTitle: "Large", version: "current", at: new Date(), draft: null });
    times.push(`${format} ${(performance.now() - start).toFixed(0)} ms (${(file.body.length / 1024).toFixed(0)} KiB)`);
    expect(file.body.length).toBeGreaterThan(10_000);
  }
  const changed = docOf(largeStatement(300));
  const start = performance.now();
  await redlineDocx(redlineStatements(doc, changed), { date: new Date() });
  times.push(`redline ${(performance.now() - start).toFixed(0)} ms`);
  expect(buildExportModel(doc, { final: true }).operative).toHaveLength(270);
  console.log(`300 clauses: ${times.join("; ")}`);
});
