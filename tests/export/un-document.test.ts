import { describe, expect, it } from "vitest";
import type { JSONContent } from "@tiptap/core";
import { getDocumentProxy } from "unpdf";
import { buildExportModel, clauseText } from "../../server/export/model";
import { statementDocx } from "../../server/export/docx";
import { statementPdf } from "../../server/export/pdf";
import { statementHtml } from "../../server/export/html";
import { statementMarkdown } from "../../server/export/markdown";
import { compilationDocx, entriesOf } from "../../server/export/compilation-docx";
import { redlineStatements } from "../../server/export/redline";
import { redlineDocx } from "../../server/export/redline-docx";
import { exportFilename } from "../../server/export/filename";
import { conferenceDates, titleBlock } from "../../server/export/title-block";
import { documentSymbol, revisionNumber } from "../../app/statement/document-symbol";
import { wordParagraphs, zipText } from "../support/zip";
import { paragraphsFromDocx } from "../../server/import/docx";
import { recogniseStatement } from "../../server/import/zero-draft";
import { adoptedDemo, clause, demoDoc, docOf, numberedOf, statementJSONOf } from "./fixtures";

describe("document symbols", () => {
  it("are the prefix, the statement's part, its addendum and the revision the version's name says", () => {
    expect(documentSymbol({ prefix: "IMAC4/2026", part: "L.1" })).toBe("IMAC4/2026/L.1");
    expect(documentSymbol({ prefix: "IMAC4/2026", part: "L.1", addendum: 2, revision: 1 })).toBe("IMAC4/2026/L.1/Add.2/Rev.1");
    expect(documentSymbol({ prefix: "", part: "" })).toBe("");
    expect(
      ["Rev.1", "rev 2", "Rev. 3", "Zero draft", "Before restoring Rev.1", "Rev.1 with changes 2026-12-05"].map(revisionNumber),
    ).toEqual([1, 2, 3, null, null, null]);
  });

  it("name files without slashes, with the version only when the symbol does not say it", () => {
    const names = { conference: "Conf", document: "Doc", kind: "draft" };
    expect(exportFilename({ ...names, version: "Rev.1", symbol: "IMAC4/2026/L.1/Rev.1" }, "docx")).toBe("IMAC4-2026-L.1-Rev.1_draft.docx");
    expect(exportFilename({ ...names, version: "Rev.1 with changes 2026-12-05", symbol: "IMAC4/2026/L.1" }, "pdf")).toBe(
      "IMAC4-2026-L.1_rev-1-with-changes-2026-12-05_draft.pdf",
    );
    expect(exportFilename({ ...names, version: "Rev.1" }, "docx")).toBe("conf_doc_rev-1_draft.docx");
  });

  it("date the conference as UN documents do", () => {
    expect(conferenceDates("2026-05-12", "2026-05-15")).toBe("12–15 May 2026");
    expect(conferenceDates("2026-05-30", "2026-06-02")).toBe("30 May–2 June 2026");
    expect(conferenceDates("2026-12-30", "2027-01-02")).toBe("30 December 2026–2 January 2027");
    expect(conferenceDates("2026-05-12", null)).toBe("12 May 2026");
    expect(conferenceDates(null, null)).toBe("");
  });
});

/** OP1 with a bulleted list, one of whose items has a numbered list of its own. */
function nestedDoc() {
  const p = (t: string): JSONContent => ({ type: "paragraph", content: [{ type: "text", text: t }] });
  const item = (t: string, ...rest: JSONContent[]): JSONContent => ({ type: "listItem", content: [p(t), ...rest] });
  const op: JSONContent = {
    type: "clause",
    attrs: { id: "o1" },
    content: [
      p("Decide to act on:"),
      {
        type: "bulletList",
        content: [
          item("the first;"),
          item("the second, namely:", { type: "orderedList", content: [item("this;"), item("that;")] }),
          item("the third"),
        ],
      },
    ],
  };
  return docOf(statementJSONOf("Nested", [clause("p1", "Recalling", " the past")], [op]));
}

describe("sub-items", () => {
  const model = buildExportModel(nestedDoc(), { final: true });

  it("are lettered (a), (b) and theirs (i), (ii), bulleted or not, never bullets", async () => {
    expect(clauseText(model.operative[0])).toBe(
      ["Decide to act on:", "(a) the first;", "(b) the second, namely:", "(i) this;", "(ii) that;", "(c) the third."].join("\n"),
    );
    const word = wordParagraphs(await zipText(await statementDocx(model), "word/document.xml"));
    expect(word.filter((p) => /^\(/.test(p))).toEqual([
      "(a)\tthe first;",
      "(b)\tthe second, namely:",
      "(i)\tthis;",
      "(ii)\tthat;",
      "(c)\tthe third.",
    ]);
    const html = statementHtml(model);
    expect([...html.matchAll(/<span class="marker">([^<]*)<\/span>/g)].map((m) => m[1])).toEqual(["(a)", "(b)", "(i)", "(ii)", "(c)"]);
    expect(statementMarkdown(model)).toMatch(/^ {8}\(ii\) that;$/m);
    for (const text of [word.join("\n"), html, statementMarkdown(model)]) expect(text).not.toMatch(/•|^\s*- /m);
  });
});

describe("the title block and language", () => {
  const heading = {
    conference: {
      title: "4th International Mine Action Conference",
      venue: "Baku",
      symbolPrefix: "IMAC4/2026",
      startsOn: "2026-05-12",
      endsOn: "2026-05-15",
    },
    document: { symbol: "L.1", addendum: null, distribution: "limited" as const },
    version: "Rev.2",
    at: new Date("2026-05-14T09:00:00Z"),
  };
  const block = titleBlock({ ...heading, language: "en", original: "en" });
  const model = { ...buildExportModel(demoDoc(), { final: false }), titleBlock: block };

  it("says which conference, symbol, distribution, date and original language", () => {
    expect(block).toEqual({
      conference: "4th International Mine Action Conference",
      venueAndDates: "Baku, 12–15 May 2026",
      symbol: "IMAC4/2026/L.1/Rev.2",
      distribution: "Distr.: Limited",
      date: "14 May 2026",
      languageLines: ["Original: English"],
    });
    expect([model.language, model.originalLanguage]).toEqual(["en", "en"]);
  });

  it("is in French and Spanish in those languages' translations, and names the language of a translation", () => {
    const lines = (language: string) => {
      const b = titleBlock({ ...heading, language, original: "en" });
      return [b.distribution, b.date, ...b.languageLines];
    };
    expect(lines("fr")).toEqual(["Distr. limitée", "14 mai 2026", "Français", "Original : anglais"]);
    expect(lines("es")).toEqual(["Distr. limitada", "14 de mayo de 2026", "Español", "Original: inglés"]);
    // Arabic, Chinese and Russian documents keep these lines in English.
    expect(lines("ar")).toEqual(["Distr.: Limited", "14 May 2026", "Arabic", "Original: English"]);
  });

  it("is the first page's header in Word, the text's language is w:lang, and the body starts with the title", async () => {
    const docx = await statementDocx(model);
    const document = await zipText(docx, "word/document.xml");
    expect(document).toMatch(/<w:headerReference w:type="first" r:id="(rId\d+)"\/>/);
    const rels = await zipText(docx, "word/_rels/document.xml.rels");
    const first = new RegExp(`Id="${/<w:headerReference w:type="first" r:id="(rId\d+)"\/>/.exec(document)![1]}"[^>]*Target="([^"]+)"`).exec(
      rels,
    )![1];
    const header = await zipText(docx, `word/${first}`);
    expect(wordParagraphs(header).join("|")).toBe(
      "4th International Mine Action ConferenceBaku, 12–15 May 2026|IMAC4/2026/L.1/Rev.2Distr.: Limited14 May 2026Original: English|",
    );
    // The watermark is on the first page too.
    expect(header).toContain('string="DRAFT"');
    expect(wordParagraphs(document)[0]).toBe("Baku Joint Statement on Humanitarian Demining for Urban Recovery");
    expect(await zipText(docx, "word/styles.xml")).toMatch(/<w:rPrDefault><w:rPr>.*<w:lang w:val="en"\/>/);
    // Imported back, the file is the statement alone: the title block is not part of its text.
    const imported = recogniseStatement(await paragraphsFromDocx(docx));
    expect(imported.title).toBe(model.title);
    expect(imported.preamble.length + imported.operative.length).toBe(model.preamble.length + model.operative.length);
  });

  it("opens the PDF and the HTML file, whose language is the text's", async () => {
    const pdf = await getDocumentProxy(new Uint8Array(await statementPdf(model)));
    const page = await pdf.getPage(1);
    const items = (await page.getTextContent()).items as { str: string; transform: number[] }[];
    const strings = items.map((i) => i.str).filter((s) => s.trim());
    expect(strings.slice(0, 7)).toEqual([
      "4th International Mine Action Conference",
      "Baku, 12–15 May 2026",
      "IMAC4/2026/L.1/Rev.2",
      "Distr.: Limited",
      "14 May 2026",
      "Original: English",
      "Baku Joint Statement on Humanitarian Demining for Urban Recovery",
    ]);
    // The PDF's DRAFT runs diagonally across the page (turned 45°: its text matrix has equal sine and cosine).
    const draft = items.find((i) => i.str === "DRAFT")!;
    const [a, b] = draft.transform;
    expect(Math.abs(b)).toBeGreaterThan(10);
    expect(Math.abs(Math.abs(a) - Math.abs(b))).toBeLessThan(0.01 * Math.abs(a));
    expect((await pdf.getMetadata()).info).toMatchObject({ Language: "en" });

    const html = statementHtml(model);
    expect(html).toContain('<html lang="en">');
    expect(html.indexOf('<header class="title-block">')).toBeLessThan(html.indexOf("<h1>"));
    expect(html).toContain('<p class="distribution">Distr.: Limited</p>');
  });
});

describe("the adoption line", () => {
  it("closes every format of an adopted text, the compilation too", async () => {
    const adopted = adoptedDemo();
    const line = adopted.adoption!.line;
    const shows = (s: string) => s.replace(/\s+/g, " ").includes(line);
    expect(shows(wordParagraphs(await zipText(await statementDocx(adopted), "word/document.xml")).join(" "))).toBe(true);
    expect(shows(statementHtml(adopted))).toBe(true);
    expect(shows(statementMarkdown(adopted))).toBe(true);
    const compilation = await compilationDocx({ statement: adopted, conferenceTitle: "C", entries: entriesOf(adopted), at: new Date() });
    expect(wordParagraphs(await zipText(compilation, "word/document.xml"))).toContain(line);
  });
});

describe("the redline as Word", () => {
  const before = docOf(
    statementJSONOf("T", [], [clause("o1", "Decide", " to act;"), clause("o2", "Urge", " all;"), clause("o3", "Note", " it.")]),
  );
  const after = docOf(
    statementJSONOf(
      "T",
      [],
      [
        clause("new", "Welcome", " the centre;"),
        clause("o1", "Decide", " to act;"),
        clause("o2", "Urge", " all States;"),
        clause("o3", "Note", " it."),
      ],
    ),
  );
  const redline = redlineStatements(numberedOf(before), numberedOf(after));
  const source = (clauseId: string, delegationName: string | null) => ({ clauseId, proposalId: clauseId, number: 1, delegationName });

  it("names each change after the delegation whose proposal made it, the chair's compromise and direct edits after the chair", async () => {
    const sources = new Map([
      ["new", [source("new", "Norway")]],
      ["o2", [source("o2", "Japan"), source("o2", null)]],
    ]);
    const xml = await zipText(await redlineDocx(redline, { date: new Date("2026-05-01T10:00:00Z"), sources }), "word/document.xml");
    const paragraphs = [...xml.matchAll(/<w:p>[\s\S]*?<\/w:p>/g)].map((m) => m[0]);
    const authors = (p: string) => [...new Set([...p.matchAll(/w:author="([^"]*)"/g)].map((m) => m[1]))];
    expect(paragraphs.map(authors)).toEqual([[], ["Norway"], [], ["Japan, Chair"], []]);
    const unattributed = await zipText(await redlineDocx(redline, { date: new Date("2026-05-01T10:00:00Z") }), "word/document.xml");
    expect([...new Set([...unattributed.matchAll(/w:author="([^"]*)"/g)].map((m) => m[1]))]).toEqual(["Chair"]);
  });

  it("does not mark a renumbered clause: its new number stands, only an added clause's number is inserted", async () => {
    const xml = await zipText(await redlineDocx(redline, { date: new Date("2026-05-01T10:00:00Z") }), "word/document.xml");
    const paragraphs = [...xml.matchAll(/<w:p>[\s\S]*?<\/w:p>/g)].map((m) => m[0]);
    // OP1 became OP2 and OP3 became OP4, unchanged: no tracked change in them.
    expect(wordParagraphs(paragraphs[2])).toEqual(["2.\tDecide to act;"]);
    expect(wordParagraphs(paragraphs[4])).toEqual(["4.\tNote it."]);
    for (const p of [paragraphs[2], paragraphs[4]]) expect(p).not.toMatch(/<w:(ins|del) /);
    // A changed clause keeps its new number plain; its words are tracked.
    expect(paragraphs[3]).toMatch(/^<w:p>.*?<w:r><w:t xml:space="preserve">3\.\t<\/w:t><\/w:r>/);
    expect(paragraphs[3]).toMatch(/<w:ins [^>]*><w:r><w:t xml:space="preserve"> States<\/w:t>/);
    // The added clause's number and words are inserted, its opening word italic.
    expect(paragraphs[1]).toMatch(/<w:ins [^>]*><w:r><w:t xml:space="preserve">1\.<\/w:t><\/w:r><\/w:ins>/);
    expect(paragraphs[1]).toMatch(/<w:ins [^>]*><w:r><w:rPr><w:i\/><w:iCs\/><\/w:rPr><w:t xml:space="preserve">Welcome<\/w:t>/);
  });
});
