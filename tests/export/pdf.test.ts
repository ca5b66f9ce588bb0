import { expect, it } from "vitest";
import { extractText, getDocumentProxy } from "unpdf";
import { buildExportModel } from "../../server/export/model";
import { statementPdf } from "../../server/export/pdf";
import { demoDoc } from "./fixtures";

async function pdfText(buffer: Buffer) {
  const pdf = await getDocumentProxy(new Uint8Array(buffer));
  const { text, totalPages } = await extractText(pdf, { mergePages: false });
  return { pages: text, totalPages };
}

it("writes the statement as a PDF: title, clause text, operative numbers and page numbers, without a browser", async () => {
  const buffer = await statementPdf(buildExportModel(demoDoc(), { final: true }));
  expect(buffer.subarray(0, 5).toString()).toBe("%PDF-");
  const { pages, totalPages } = await pdfText(buffer);
  const all = pages.join("\n").replace(/\s+/g, " ");
  expect(all).toContain("Baku Joint Statement on Humanitarian Demining for Urban Recovery");
  expect(all).toContain("Recalling the outcomes of the 3rd International Mine Action Conference");
  for (const n of [1, 2, 3, 7]) expect(all).toMatch(new RegExp(`${n}\\. `));
  expect(all).toMatch(/7\. Decide to convey .* settlement planning\./);
  expect(totalPages).toBeGreaterThanOrEqual(2);
  // Each page carries its number at the foot.
  pages.forEach((p, i) => expect(p.trim().split(/\s+/)).toContain(String(i + 1)));
  expect(all).not.toMatch(/DRAFT/i);
});

it("marks a draft PDF with DRAFT on every page", async () => {
  const { pages } = await pdfText(await statementPdf(buildExportModel(demoDoc(), { final: false })));
  for (const p of pages) expect(p).toMatch(/DRAFT/);
});
