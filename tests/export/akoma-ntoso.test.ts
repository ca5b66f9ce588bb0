import type { JSONContent } from "@tiptap/core";
import { expect, it } from "vitest";
import { buildExportModel, type ExportStatement } from "../../server/export/model";
import { statementAkomaNtoso, type AknContext } from "../../server/export/akoma-ntoso";
import { escapeXml } from "../../server/export/escape";
import { languages } from "../../app/statement/languages";
import { listClauses } from "../../app/statement/numbering";
import { adoptedDemo, clause, demoDoc, docOf, silenceLine, statementJSONOf } from "./fixtures";
import { validateAkn } from "./akn-schema";

// AKN4UN's identification, element ids and drafting marks; every file written here is checked against the OASIS schema.

const context: AknContext = {
  conferenceTitle: "4th International Mine Action Conference",
  documentSlug: "joint-statement",
  versionSlug: "rev-1",
  workDate: "2026-04-20",
  date: "2026-05-12",
};
const work = "/akn/un/statement/deliberation/4th-international-mine-action-conference/2026-04-20/joint-statement";

async function expectValid(...xmls: string[]) {
  for (const result of await Promise.all(xmls.map(validateAkn))) {
    expect(result.output).toContain("validates");
    expect(result.ok).toBe(true);
  }
}

const translated = (statement: ExportStatement, language: string): ExportStatement => ({ ...statement, language, originalLanguage: "en" });

const para = (t: string): JSONContent => ({ type: "paragraph", content: [{ type: "text", text: t }] });
const item = (...content: JSONContent[]): JSONContent => ({ type: "listItem", content });
/** "Requests … on: (a) clearance, including: (i) survey; (ii) release; (b) funding". */
const listClause = (id: string): JSONContent => ({
  type: "clause",
  attrs: { id },
  content: [
    {
      type: "paragraph",
      content: [
        { type: "text", text: "Requests", marks: [{ type: "italic" }] },
        { type: "text", text: " a report on:" },
      ],
    },
    {
      type: "orderedList",
      content: [
        item(para("clearance, including:"), { type: "orderedList", content: [item(para("survey;")), item(para("release;"))] }),
        item(para("funding")),
      ],
    },
  ],
});
const ops = [
  clause("op1", "Decides", " to meet again"),
  clause("op2b", "Invites", " observers"),
  listClause("op3"),
  clause("op4", "Calls", " for support"),
];
const doc = docOf(statementJSONOf("Joint Statement", [clause("pp1", "Recalling", " its work")], ops));

it("names the Work, the Expression and the Manifestation as AKN4UN does, for the original", async () => {
  const xml = statementAkomaNtoso(buildExportModel(doc, { final: true }), context);
  expect(xml).toContain(
    `<FRBRWork><FRBRthis value="${work}/!main"/><FRBRuri value="${work}"/><FRBRdate date="2026-04-20" name="creation"/><FRBRauthor href="#conference"/>` +
      `<FRBRcountry value="un"/><FRBRsubtype value="deliberation"/><FRBRnumber value="joint-statement" showAs="joint-statement"/><FRBRname value="Joint Statement"/></FRBRWork>`,
  );
  expect(xml).toContain(
    `<FRBRExpression><FRBRthis value="${work}/eng@rev-1/!main"/><FRBRuri value="${work}/eng@rev-1"/><FRBRdate date="2026-05-12" name="version"/>` +
      `<FRBRauthor href="#conference"/><FRBRversionNumber value="rev-1"/><FRBRlanguage language="eng"/></FRBRExpression>`,
  );
  expect(xml).toContain(`<FRBRManifestation><FRBRthis value="${work}/eng@rev-1/!main.xml"/><FRBRuri value="${work}/eng@rev-1/.xml"/>`);
  expect(xml).not.toContain("FRBRtranslation");
  // The conference is the Work's author and the actor its IRI names.
  expect(xml).toContain(
    '<TLCOrganization eId="conference" href="/akn/ontology/organization/un/4th-international-mine-action-conference" showAs="4th International Mine Action Conference"/>',
  );
  expect(xml).toContain('<mainBody xml:lang="en">');
  await expectValid(xml);
});

it("writes a translation as its own expression, translated from the original's by the secretariat", async () => {
  const french = statementAkomaNtoso(translated(buildExportModel(doc, { final: true }), "fr"), context);
  expect(french).toContain(
    `<FRBRExpression><FRBRthis value="${work}/fra@rev-1/!main"/><FRBRuri value="${work}/fra@rev-1"/><FRBRdate date="2026-05-12" name="version"/>` +
      `<FRBRauthor href="#secretariat"/><FRBRversionNumber value="rev-1"/><FRBRlanguage language="fra"/>` +
      `<FRBRtranslation href="${work}/eng@rev-1" fromLanguage="eng" by="#secretariat"/></FRBRExpression>`,
  );
  expect(french).toContain(`<FRBRuri value="${work}/fra@rev-1/.xml"/>`);
  expect(french).toContain('<TLCOrganization eId="secretariat" ');
  expect(french).toContain('<preface eId="preface" xml:lang="fr">');
  // The Work is the same in every language.
  expect(french).toContain(`<FRBRWork><FRBRthis value="${work}/!main"/>`);
  for (const l of languages.filter((l) => l.code !== "en")) {
    const xml = statementAkomaNtoso(translated(buildExportModel(doc, { final: true }), l.code), context);
    expect(xml).toContain(`<FRBRlanguage language="${l.iso6392}"/><FRBRtranslation href="${work}/eng@rev-1" fromLanguage="eng"`);
  }
  const arabic = statementAkomaNtoso(translated(buildExportModel(doc, { final: true }), "ar"), context);
  await expectValid(french, arabic);
});

it("gives clauses eIds by their place and number, and wIds by their ids that survive renumbering", async () => {
  const rev1 = statementAkomaNtoso(buildExportModel(doc, { final: true }), context);
  expect(rev1).toContain('<preface eId="preface"');
  expect(rev1).toContain('<recital eId="preamble__rec_1" wId="preamble__rec_pp1">');
  expect(rev1).toContain(
    '<paragraph eId="para_3" wId="para_op3"><num>3.</num><list eId="para_3__list_1"><intro eId="para_3__list_1__intro">',
  );
  expect(rev1).toContain('<point eId="para_3__list_1__point_a"><num>(a)</num><list eId="para_3__list_1__point_a__list_1">');
  // A second level is lettered (i), (ii) in every export, and named by its number.
  expect(rev1).toContain(
    '<point eId="para_3__list_1__point_a__list_1__point_ii"><num>(ii)</num><content><p>release;</p></content></point>',
  );
  expect(rev1).toContain('<point eId="para_3__list_1__point_b"><num>(b)</num><content><p>funding;</p></content></point>');
  // A clause put before it: the same clause is para_4 of the next revision, with the same wId.
  const rev2 = statementAkomaNtoso(
    buildExportModel(
      docOf(statementJSONOf("Joint Statement", [clause("pp1", "Recalling", " its work")], [clause("op0", "Welcomes", " all"), ...ops])),
      {
        final: true,
      },
    ),
    { ...context, versionSlug: "rev-2" },
  );
  expect(rev2).toContain('<paragraph eId="para_4" wId="para_op3">');
  expect(rev2).toContain('<paragraph eId="para_1" wId="para_op0">');
  expect(new Set(rev2.match(/eId="[^"]+"/g)).size).toBe(rev2.match(/eId="[^"]+"/g)!.length);
  // A fresh statement, its clauses still empty, is valid too.
  const fresh = statementAkomaNtoso(
    buildExportModel(docOf(statementJSONOf("New", [clause("p", "", "")], [clause("o", "", "")])), { final: false }),
    context,
  );
  expect(fresh).not.toContain("<preamble");
  await expectValid(rev1, rev2, fresh);
});

it("marks a draft's bis numbers and brackets as inline elements, a bracket enclosing sub-paragraphs in each", async () => {
  const draft = buildExportModel(doc, { final: false, numbering: listClauses(doc, new Set(["op2b"])), bracketed: new Set(["op3"]) });
  const xml = statementAkomaNtoso(draft, context);
  expect(xml).toContain('<paragraph eId="para_1bis" wId="para_op2b"><num>1 <inline name="bis">bis</inline>.</num>');
  expect(xml).toContain(
    '<paragraph eId="para_2" wId="para_op3"><num>2.</num><list eId="para_2__list_1"><intro eId="para_2__list_1__intro">' +
      '<p><inline name="brackets">[<i>Requests</i> a report on:</inline></p></intro>',
  );
  expect(xml).toContain('<content><p><inline name="brackets">survey;</inline></p></content>');
  expect(xml).toContain('<content><p><inline name="brackets">funding;]</inline></p></content>');
  // Outside the bracketed clause, no bracket.
  expect(xml).toContain(
    '<paragraph eId="para_3" wId="para_op4"><num>3.</num><content><p><i>Calls</i> for support.</p></content></paragraph>',
  );
  expect(xml.match(/<inline name="brackets">\[/g)).toHaveLength(1);
  expect(xml.match(/\]<\/inline>/g)).toHaveLength(1);
  // In French too, and the demo statement's draft.
  await expectValid(
    xml,
    statementAkomaNtoso(translated(draft, "fr"), context),
    statementAkomaNtoso(buildExportModel(demoDoc(), { final: false }), context),
  );
});

it("lists the delegations that explained their position, and puts the adoption in the conclusions, in every language", async () => {
  const english = statementAkomaNtoso(adoptedDemo(), context);
  const french = statementAkomaNtoso(translated(adoptedDemo(), "fr"), context);
  for (const xml of [english, french]) {
    expect(xml).toContain('<TLCOrganization eId="delegation-norway" href="/akn/ontology/organization/un/norway" showAs="Norway"/>');
    expect(xml).toContain('<TLCOrganization eId="delegation-colombia" href="/akn/ontology/organization/un/colombia" showAs="Colombia"/>');
    expect(xml).toContain('refersTo="#delegation-norway"><heading>Norway, on OP3</heading>');
    expect(xml).toContain(
      `<container eId="conclusions__adoption" name="adoption"><p>${escapeXml(silenceLine)}</p></container></conclusions>`,
    );
  }
  // Concord words the adoption line and the annex in English only.
  expect(french).toContain('<conclusions eId="conclusions" xml:lang="en">');
  expect(french).toContain('<mainBody xml:lang="fr">');
  // The annex is a component of the same expression.
  expect(french).toContain(`<FRBRthis value="${work}/fra@rev-1/!annex_1"/>`);
  expect(statementAkomaNtoso(buildExportModel(demoDoc(), { final: true }), context)).not.toContain("delegation-");
  await expectValid(english, french);
});
