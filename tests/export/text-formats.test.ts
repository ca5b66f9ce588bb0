import { expect, it } from "vitest";
import { buildExportModel } from "../../server/export/model";
import { statementHtml } from "../../server/export/html";
import { statementMarkdown } from "../../server/export/markdown";
import { statementAkomaNtoso } from "../../server/export/akoma-ntoso";
import { contentDisposition, exportFilename } from "../../server/export/filename";
import { adoptedDemo, demoDoc } from "./fixtures";
import { withAdoptionAnnex } from "../../server/export/adoption-annex";
import { validateAkn as validate } from "./akn-schema";

const context = {
  conferenceTitle: "IMAC 4",
  documentSlug: "joint-statement",
  versionSlug: "current",
  workDate: "2025-04-01",
  date: "2025-05-01",
};

it("writes Akoma Ntoso that validates against the OASIS schema, for final and draft text", async () => {
  for (const final of [true, false]) {
    const xml = statementAkomaNtoso(buildExportModel(demoDoc(), { final }), context);
    const result = await validate(xml);
    expect(result.output).toContain("validates");
    expect(result.ok).toBe(true);
    expect(xml.match(/<recital /g)).toHaveLength(7);
    expect(xml.match(/<paragraph /g)).toHaveLength(7);
    expect(xml).toContain('<paragraph eId="para_1"');
    expect(xml).toMatch(/<num>1\.<\/num><content><p><i>Reaffirm<\/i> that humanitarian demining/);
    expect(xml).toMatch(/<docTitle>Baku Joint Statement/);
  }
  // The check itself works: an element the schema does not know is refused.
  const broken = statementAkomaNtoso(buildExportModel(demoDoc(), { final: true }), context).replace("<num>1.</num>", "<number>1.</number>");
  expect((await validate(broken)).ok).toBe(false);
});

it("keeps an adopted statement, with its adoption line and annexed explanations of position, valid Akoma Ntoso", async () => {
  const adopted = statementAkomaNtoso(adoptedDemo(), context);
  expect(adopted).toContain("<conclusions ");
  expect(adopted).toContain("<attachments>");
  const result = await validate(adopted);
  expect(result.output).toContain("validates");
  expect(result.ok).toBe(true);
  const withoutExplanations = withAdoptionAnnex(buildExportModel(demoDoc(), { final: true }), { line: "Adopted.", explanations: [] });
  expect((await validate(statementAkomaNtoso(withoutExplanations, context))).ok).toBe(true);
});

it("writes one self-contained, print-ready HTML file", () => {
  const html = statementHtml(buildExportModel(demoDoc(), { final: true }));
  expect(html).toMatch(/^<!DOCTYPE html>/);
  expect(html).toContain("<style>");
  expect(html).toContain("@page");
  expect(html).not.toMatch(/<link |<script|src=/);
  expect(html).toContain("<h1>Baku Joint Statement on Humanitarian Demining for Urban Recovery</h1>");
  expect(html).toMatch(/<span class="num">1\.<\/span><div class="body"><p><em>Reaffirm<\/em> that/);
  expect(html).not.toContain("DRAFT");
  expect(statementHtml(buildExportModel(demoDoc(), { final: false }))).toContain('class="draft-mark"');
});

it("writes Markdown with the title, italic opening words and numbered operative clauses", () => {
  const md = statementMarkdown(buildExportModel(demoDoc(), { final: true }));
  const lines = md.split("\n");
  expect(lines[0]).toBe("# Baku Joint Statement on Humanitarian Demining for Urban Recovery");
  expect(md).toContain("*Noting with concern* that some 11,667 km²");
  expect(md).toMatch(/^1\. \*Reaffirm\* that .*environments;$/m);
  // The editor's bulleted sub-items are lettered, as UN documents letter them.
  expect(md).toMatch(/^ {4}\(a\) artificial intelligence–assisted data analysis;$/m);
  expect(md).toMatch(/^ {4}\(d\) modern mechanical clearance assets;$/m);
  expect(md).not.toMatch(/^ *[-•] /m);
  expect(md).toMatch(/^7\. \*Decide\* .*planning\.$/m);
});

it("names files after the conference, document and version, in ASCII", () => {
  const name = exportFilename(
    { conference: "4th International Mine Action Conference", document: "Joint Statement", version: "Rev. 1" },
    "docx",
  );
  expect(name).toBe("4th-international-mine-action-conference_joint-statement_rev-1.docx");
  expect(exportFilename({ conference: "Conférence de Genève", document: "Déclaration «finale»", version: "current" }, "pdf")).toBe(
    "conference-de-geneve_declaration-finale_current.pdf",
  );
  expect(contentDisposition(name)).toBe(`attachment; filename="${name}"; filename*=UTF-8''${name}`);
});
