import * as Y from "yjs";
import { extractText, getDocumentProxy } from "unpdf";
import { describe, expect, it } from "../support/fixtures";
import { createNegotiation, type NegotiationFixture } from "../support/negotiation";
import { zipText, wordParagraphs } from "../support/zip";
import { validateAkn } from "../export/akn-schema";
import { setConferenceLanguages } from "../../server/queries/conferences";
import { findTranslation } from "../../server/queries/translations";
import { appendUpdates, loadUpdates } from "../../server/queries/document-state";
import { proposalField } from "../../app/statement/proposal-schema";
import type { Sql } from "../../server/db/sql";

let n: NegotiationFixture;
let op1: NegotiationFixture["clauses"][number];
/** Not translated in any language. */
let op2: NegotiationFixture["clauses"][number];

const translations = {
  fr: "Appellent les États à intégrer le déminage",
  ar: "تدعو الدول إلى إدماج إزالة الألغام",
  zh: "呼吁各国将排雷纳入城市恢复",
  ru: "Призывают государства включить разминирование",
};

/** A clause's translation as stored: started through the page's action, its text written as an editor's update. */
async function translate(sql: Sql, language: string, key: string, text: string) {
  const res = await n.secretariat.post(`/documents/${n.documentId}/translations/${language}`, { intent: "start", key });
  expect(res.status).toBe(200);
  const { textDocumentId } = (await findTranslation(sql, n.documentId, language, key))!;
  const doc = new Y.Doc();
  for (const u of await loadUpdates(sql, textDocumentId)) Y.applyUpdate(doc, u);
  const before = Y.encodeStateVector(doc);
  const paragraph = doc.getXmlFragment(proposalField).get(0) as Y.XmlElement;
  doc.transact(() => {
    paragraph.delete(0, paragraph.length);
    paragraph.insert(0, [new Y.XmlText(text)]);
  });
  await appendUpdates(sql, textDocumentId, [Y.encodeStateAsUpdate(doc, before)]);
  doc.destroy();
}

const download = async (query: string) => {
  const res = await n.delegateA.get(`/documents/${n.documentId}/export?${query}`);
  return { res, body: Buffer.from(await res.arrayBuffer()) };
};
const filenameOf = (res: Response) => /filename="([^"]+)"/.exec(res.headers.get("content-disposition") ?? "")?.[1];

it.beforeAll(async ({ db, server }) => {
  n = await createNegotiation(db.sql, server.url);
  op1 = n.clauses.find((c) => c.label === "OP1")!;
  op2 = n.clauses.find((c) => c.label === "OP2")!;
  await setConferenceLanguages(db.sql, n.conferenceId, ["en", "fr", "ru", "ar", "zh"]);
  for (const [language, text] of Object.entries(translations)) await translate(db.sql, language, op1.id, text);
});

describe("the statement exported in each language", () => {
  it("Word in French: the original's numbering, the clause as translated, the others in the original until translated; named so", async () => {
    const { res, body } = await download("format=docx&language=fr");
    expect(res.status).toBe(200);
    expect(filenameOf(res)).toMatch(/_fr_clean\.docx$/);
    const paragraphs = wordParagraphs(await zipText(body, "word/document.xml"));
    const first = paragraphs.find((p) => p.includes("Appellent les États"))!;
    expect(first).toMatch(/^1\.\t/);
    // OP2 is not translated yet: its original words, numbered as in the original.
    expect(paragraphs.some((p) => p.startsWith("2.\t") && p.includes(op2.text.slice(0, 20)))).toBe(true);
    // The title block in French, as a UN French document prints it.
    const html = (await download("format=html&language=fr")).body.toString("utf8");
    expect(html).toMatch(
      /<p class="distribution">Distr\. limitée<\/p>[\s\S]*<p class="original">Français<\/p><p class="original">Original : anglais<\/p>/,
    );
  });

  it("Arabic reads right to left in Word and HTML; Arabic, Chinese and Cyrillic survive into the PDF", async () => {
    const word = await zipText((await download("format=docx&language=ar")).body, "word/document.xml");
    const arabicParagraph = [...word.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((m) => m[0]).find((p) => p.includes("تدعو الدول"))!;
    expect(arabicParagraph).toContain("<w:bidi/>");
    expect(arabicParagraph).toMatch(/<w:rtl\/>/);
    const paragraphs = [...word.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((m) => m[0]);
    const english = paragraphs[wordParagraphs(word).findIndex((p) => p.startsWith("2.\t"))];
    expect(english).not.toContain("<w:bidi/>");

    const html = (await download("format=html&language=ar")).body.toString("utf8");
    expect(html).toMatch(/<html lang="ar" dir="rtl">/);
    expect(html).toContain(`id="${op2.id}" lang="en" dir="ltr"`);

    for (const [language, text] of Object.entries(translations)) {
      const { res, body } = await download(`format=pdf&language=${language}`);
      expect(res.status).toBe(200);
      const pdf = await getDocumentProxy(new Uint8Array(body));
      const { text: pages } = await extractText(pdf, { mergePages: true });
      // Arabic is laid out right to left: read off the page from its left, the words come last to first, each one whole
      // (the last, which the export ends with its mark, aside).
      const onPage = language === "ar" ? text.split(" ").slice(0, -1).reverse().join(" ") : text;
      expect(pages.normalize("NFKC")).toContain(onPage);
      // A clause not translated yet is printed in the original's words and fonts, left to right.
      expect(pages).toContain(op2.text.split(" ").slice(0, 4).join(" "));
    }
  });

  it("Akoma Ntoso in French is a translation of the English expression, valid against the schema", async () => {
    const xml = (await download("format=akn&language=fr")).body.toString("utf8");
    // "Appellent" is the clause's opening word, in <i>.
    expect(xml).toContain("Appellent</i> les États à intégrer");
    expect(xml).toContain('xml:lang="fr"');
    expect(xml).toMatch(/<FRBRlanguage [^>]*language="fra"/);
    expect(xml).toMatch(/<FRBRtranslation [^>]*fromLanguage="eng"/);
    expect((await validateAkn(xml)).ok).toBe(true);
  });

  it("a version holds the translation as it was; a redline in French shows what changed since", async ({ db }) => {
    const saved = await n.chair.post(`/documents/${n.documentId}/history`, { intent: "create", name: "Rev.1" });
    expect(saved.status).toBe(200);
    const [{ id: versionId }] = await db.sql<
      { id: string }[]
    >`select id from versions where document_id = ${n.documentId} and name = 'Rev.1'`;
    await translate(db.sql, "fr", op1.id, "Appellent tous les États à intégrer le déminage");

    const atVersion = wordParagraphs(
      await zipText((await download(`format=docx&language=fr&version=${versionId}`)).body, "word/document.xml"),
    );
    expect(atVersion.some((p) => p.includes("Appellent les États"))).toBe(true);
    expect(atVersion.some((p) => p.includes("tous les États"))).toBe(false);

    const { res, body } = await download(`format=redline&language=fr&from=${versionId}&to=current`);
    expect(res.status).toBe(200);
    expect(filenameOf(res)).toMatch(/_fr_redline\.docx$/);
    const redline = await zipText(body, "word/document.xml");
    expect(redline).toMatch(/<w:ins [^>]*>[\s\S]*?tous/);

    // The redline page in French, as the history links it.
    const page = await (await n.observer.get(`/documents/${n.documentId}/redline?from=${versionId}&to=current&language=fr`)).text();
    expect(page).toMatch(/<ins><span class="visually-hidden">\[inserted: <\/span>tous/);
    expect(page).toContain(`format=redline&amp;from=${versionId}&amp;to=current&amp;language=fr`);
    expect((await n.observer.get(`/documents/${n.documentId}/redline?from=${versionId}&to=current&language=es`)).status).toBe(404);
  });

  it("the compilation and the rolling text are in the original language only; a language the conference lacks is refused", async () => {
    expect((await download("format=compilation&language=fr")).res.status).toBe(400);
    expect((await download("format=docx&rolling=1&language=fr")).res.status).toBe(400);
    expect((await download("format=docx&language=es")).res.status).toBe(404);
    expect((await download("format=docx&language=en")).res.status).toBe(200);
  });
});
