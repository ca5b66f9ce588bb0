import { expect, it } from "vitest";
import { extractText, getDocumentProxy } from "unpdf";
import { buildExportModel } from "../../server/export/model";
import { withAdoptionAnnex } from "../../server/export/adoption-annex";
import { statementDocx } from "../../server/export/docx";
import { statementPdf } from "../../server/export/pdf";
import { statementHtml } from "../../server/export/html";
import { statementMarkdown } from "../../server/export/markdown";
import { statementAkomaNtoso } from "../../server/export/akoma-ntoso";
import { escapeXml } from "../../server/export/escape";
import { adoptionLine } from "../../app/statement/adoption-line";
import { wordParagraphs, zipText } from "../support/zip";
import { adoptedDemo, demoDoc, silenceLine } from "./fixtures";

it("words the adoption line for both methods, on the clocks of the record's zone", () => {
  expect(silenceLine).toBe("Adopted by silence procedure ending 12 May 2026 at 18:00 (Baku time, UTC+04:00).");
  const at = new Date("2026-05-12T22:30:00Z");
  expect(adoptionLine({ method: "consensus", at, timeZone: "Asia/Baku", meeting: "its 4th plenary meeting" })).toBe(
    "Adopted by consensus at its 4th plenary meeting on 13 May 2026.",
  );
  expect(adoptionLine({ method: "consensus", at, timeZone: "America/New_York", meeting: null })).toBe(
    "Adopted by consensus at the plenary meeting on 12 May 2026.",
  );
  expect(adoptionLine({ method: "silence", at: new Date("2026-01-12T09:05:00Z"), timeZone: "America/Sao_Paulo", meeting: null })).toBe(
    "Adopted by silence procedure ending 12 January 2026 at 06:05 (Sao Paulo time, UTC-03:00).",
  );
  expect(adoptionLine({ method: "silence", at: new Date("2026-01-12T09:05:00Z"), timeZone: "UTC", meeting: null })).toBe(
    "Adopted by silence procedure ending 12 January 2026 at 09:05 (UTC).",
  );
});

it("names each explanation's paragraphs as the exported text labels them", () => {
  const { adoption } = adoptedDemo();
  expect(adoption!.explanations.map((e) => e.scope)).toEqual(["OP3", "the statement as a whole"]);
  // Not adopted: nothing is added.
  expect(withAdoptionAnnex(buildExportModel(demoDoc(), { final: true }), null).adoption).toBeUndefined();
});

it("prints the adoption line and the annex in HTML and Markdown", () => {
  const html = statementHtml(adoptedDemo());
  expect(html).toContain(`<p class="adoption-line">${silenceLine}</p>`);
  expect(html).toMatch(/<section class="annex"[^>]*><h2>Annex<\/h2><h2>Explanations of position<\/h2>/);
  expect(html).toContain("<h3>Norway, on OP3</h3><p><em>Reservation. Filed before adoption.</em></p>");
  expect(html).toContain("<p>Norway joins the consensus &amp; reserves its position on OP3.</p>");
  expect(html).toContain("<h3>Colombia, on the statement as a whole</h3><p><em>Filed after adoption.</em></p>");
  // The line and annex come after the operative part.
  expect(html.indexOf(`<p class="adoption-line">`)).toBeGreaterThan(html.indexOf("7.</span>"));
  expect(statementHtml(buildExportModel(demoDoc(), { final: true }))).not.toContain('<p class="adoption-line">');

  const md = statementMarkdown(adoptedDemo());
  expect(md).toContain(`*${silenceLine}*`);
  expect(md).toMatch(/^## Annex: Explanations of position$/m);
  expect(md).toMatch(/^### Norway, on OP3\n\n\*Reservation\. Filed before adoption\.\*\n\nNorway joins the consensus/m);
  expect(md).toMatch(/^### Colombia, on the statement as a whole$/m);
  expect(md.indexOf(silenceLine)).toBeGreaterThan(md.indexOf("7. *Decide*"));
});

it("prints the adoption line and the annex in Word and PDF", async () => {
  const paragraphs = wordParagraphs(await zipText(await statementDocx(adoptedDemo()), "word/document.xml"));
  const at = paragraphs.indexOf(silenceLine);
  expect(at).toBeGreaterThan(paragraphs.findIndex((p) => p.startsWith("7.\t")));
  expect(paragraphs.slice(at + 1)).toEqual([
    "Annex",
    "Explanations of position",
    "Norway, on OP3",
    "Reservation. Filed before adoption.",
    "Norway joins the consensus & reserves its position on OP3.",
    "It reads “urban” narrowly.",
    "Colombia, on the statement as a whole",
    "Filed after adoption.",
    "Colombia welcomes the statement.",
  ]);

  const pdf = await getDocumentProxy(new Uint8Array(await statementPdf(adoptedDemo())));
  const { text } = await extractText(pdf, { mergePages: false });
  const all = text.join("\n").replace(/\s+/g, " ");
  expect(all).toContain(silenceLine);
  expect(all).toMatch(/Annex Explanations of position Norway, on OP3 Reservation\. Filed before adoption\. Norway joins the consensus/);
  expect(all).toContain("Colombia, on the statement as a whole Filed after adoption. Colombia welcomes the statement.");
  // The annex starts on a page of its own.
  expect(text[text.length - 1]).toContain("Explanations of position");
  expect(text[text.length - 1]).not.toContain("Decide");
});

it("puts the adoption line in <conclusions> and the explanations in <attachments> of Akoma Ntoso", () => {
  const context = {
    conferenceTitle: "IMAC 4",
    documentSlug: "joint-statement",
    versionSlug: "current",
    workDate: "2025-04-01",
    date: "2026-05-12",
  };
  const xml = statementAkomaNtoso(adoptedDemo(), context);
  expect(xml).toContain(
    `</mainBody>\n<conclusions eId="conclusions" xml:lang="en"><container eId="conclusions__adoption" name="adoption"><p>${escapeXml(silenceLine)}</p></container></conclusions>`,
  );
  expect(xml).toContain('<attachments><attachment eId="att_1"><doc name="explanationsOfPosition">');
  expect(xml).toContain(
    '<hcontainer eId="hcontainer_1" name="explanationOfPosition" class="reservation" refersTo="#delegation-norway"><heading>Norway, on OP3</heading>' +
      "<content><p><i>Reservation. Filed before adoption.</i></p><p>Norway joins the consensus &amp; reserves its position on OP3.</p>",
  );
  // No explanations: the conclusions alone.
  const bare = statementAkomaNtoso(
    withAdoptionAnnex(buildExportModel(demoDoc(), { final: true }), { line: silenceLine, explanations: [] }),
    context,
  );
  expect(bare).toContain("<conclusions ");
  expect(bare).not.toContain("<attachments>");
});
