import { escapeXml } from "./escape";
import { slug } from "./filename";
import type { Block, ExportClause, ExportStatement, ListItem, Run } from "./model";
import { annexTitle, explanationHeading, explanationNote, explanationsTitle, type AdoptionAnnex } from "./adoption-annex";
import { languageOf } from "../../app/statement/languages";
import { ordinals } from "../../app/statement/numbering";

/**
 * The statement in Akoma Ntoso 3.0 (OASIS LegalDocML), following AKN4UN, the UN system's guidelines
 * for it: a `statement` of the deliberative class whose preamble holds the preambular clauses as
 * recitals and whose main body holds the operative clauses as numbered paragraphs (their
 * sub-paragraphs as lists of points). An adopted statement's adoption line is its `conclusions`;
 * its explanations of position are an attachment, a `doc` of their own (one `hcontainer` each, which
 * refers to the delegation that filed it).
 *
 * Identification, in AKN4UN's pattern:
 * - Work: /akn/un/statement/deliberation/{actor}/{date}/{number}: the conference is the actor (the
 *   slug of its title), the date is the statement's creation, the number is workNumber's.
 * - Expression: {work}/{language}@{version}: the language in ISO 639-2 ("eng", "fra"), the version's
 *   slug ("rev-1", "current") as its disambiguating string, repeated in FRBRversionNumber. A text in
 *   another language than the one negotiated is a translation (FRBRtranslation) of the original's
 *   expression of the same version, by the conference's secretariat.
 * - Manifestation: {expression}/.xml; each FRBRthis names its component (!main, !annex_1).
 *
 * Element ids follow the Akoma Ntoso naming convention: `preface`, `preamble__rec_2`, `para_3`,
 * `para_3bis`, `para_3__list_1__point_a__list_1__point_i`. The eId says where a clause stands in this
 * text; its wId is made from the clause's id, so a clause keeps its wId across revisions, renumbering
 * and languages. Drafting marks are inline elements: `bis` (and the other Latin ordinals) in a
 * number, `brackets` around a draft's bracketed text (with its square brackets). (AKN4UN names
 * neither; the rolling text, whose alternatives would be `alt`, is not exported in Akoma Ntoso.)
 */

export interface AknContext {
  conferenceTitle: string;
  documentSlug: string;
  /** e.g. "current", "rev-1" */
  versionSlug: string;
  /** When the statement was created (YYYY-MM-DD): the Work's date, the same in every version and language. */
  workDate: string;
  /** The date of the text (YYYY-MM-DD): the Expression's. */
  date: string;
  /** The statement's symbol without its revision ("IMAC4/2026/L.1"), when the conference has a symbol prefix. */
  symbol?: string;
}

const ns = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0";

/**
 * The Work's number, AKN4UN's {docNumber}: the statement's symbol ("IMAC4/2026/L.1": its revisions
 * are expressions of the same Work), or the document's slug while the conference has no symbols.
 */
export const workNumber = (context: AknContext): string => context.symbol || context.documentSlug;

/** AKN4UN writes a number's "/" as "-" and its spaces as "_" in an IRI ("IMAC4-2026-L.1"). */
const numberInIri = (n: string) => n.replace(/\//g, "-").replace(/\s/g, "_");

/** Open brackets carried from one paragraph of a clause to the next (a bracket may enclose several). */
interface Brackets {
  open: number;
}

function formatted(r: Run): string {
  let t = escapeXml(r.text);
  if (r.underline) t = `<u>${t}</u>`;
  if (r.bold) t = `<b>${t}</b>`;
  if (r.italic) t = `<i>${t}</i>`;
  return t;
}

/** A paragraph's runs; a bracket spanning paragraphs is closed at the end of each and reopened at the start of the next. */
function inline(runs: Run[], brackets: Brackets): string {
  let out = '<inline name="brackets">'.repeat(brackets.open);
  for (const r of runs) {
    if (r.break) out += "<eol/>";
    else if (r.bracket && r.text === "[") {
      out += '<inline name="brackets">[';
      brackets.open += 1;
    } else if (r.bracket && r.text === "]" && brackets.open > 0) {
      out += "]</inline>";
      brackets.open -= 1;
    } else out += formatted(r);
  }
  return out + "</inline>".repeat(brackets.open);
}

const paragraphs = (bs: Block[], brackets: Brackets) =>
  bs.map((b) => (b.kind === "paragraph" ? `<p>${inline(b.runs, brackets)}</p>` : "")).join("");

/** "(a)" → "a", "(ii)" → "ii"; a bullet has no designation and is counted. */
const designation = (item: ListItem, i: number) => item.marker.replace(/[^\p{L}\p{N}]/gu, "") || String(i + 1);

/** A recital's blocks: block elements only, its sub-paragraphs a blockList of items. */
function recitalBlocks(bs: Block[], eId: string, brackets: Brackets): string {
  let lists = 0;
  return bs
    .map((b) => {
      if (b.kind === "paragraph") return `<p>${inline(b.runs, brackets)}</p>`;
      const listId = `${eId}__list_${++lists}`;
      return `<blockList eId="${listId}">${b.items
        .map((item, i) => {
          const itemId = `${listId}__item_${designation(item, i)}`;
          return `<item eId="${itemId}"><num>${escapeXml(item.marker)}</num>${recitalBlocks(item.blocks, itemId, brackets) || "<p/>"}</item>`;
        })
        .join("")}</blockList>`;
    })
    .join("");
}

/**
 * An operative clause's (or a point's) content: its text when it has no sub-paragraphs; otherwise
 * its lists of points, each with the text before it as its intro, the text after the last as a wrap-up.
 */
function hierarchy(bs: Block[], eId: string, brackets: Brackets): string {
  if (!bs.some((b) => b.kind === "list" && b.items.length > 0)) return `<content>${paragraphs(bs, brackets) || "<p/>"}</content>`;
  let out = "";
  let before: Block[] = [];
  let lists = 0;
  for (const b of bs) {
    if (b.kind === "paragraph" || b.items.length === 0) {
      before.push(b);
      continue;
    }
    const listId = `${eId}__list_${++lists}`;
    const intro = before.length ? `<intro eId="${listId}__intro">${paragraphs(before, brackets)}</intro>` : "";
    const points = b.items.map((item, i) => {
      const pointId = `${listId}__point_${designation(item, i)}`;
      return `<point eId="${pointId}"><num>${escapeXml(item.marker)}</num>${hierarchy(item.blocks, pointId, brackets)}</point>`;
    });
    out += `<list eId="${listId}">${intro}${points.join("")}</list>`;
    before = [];
  }
  const wrapUp = paragraphs(before, brackets);
  return wrapUp ? `${out}<wrapUp eId="${eId}__wrapup">${wrapUp}</wrapUp>` : out;
}

const ordinal = new RegExp(`\\b(${ordinals.join("|")})\\b`, "g");
/** "2 bis." with its Latin ordinal marked. */
const numMarkup = (num: string) => escapeXml(num).replace(ordinal, '<inline name="bis">$1</inline>');

const wIdOf = (prefix: string, c: ExportClause) => (c.id ? ` wId="${prefix}${escapeXml(c.id)}"` : "");

const recital = (c: ExportClause) => {
  const eId = `preamble__rec_${c.index}`;
  return `<recital eId="${eId}"${wIdOf("preamble__rec_", c)}>${recitalBlocks(c.blocks, eId, { open: 0 })}</recital>`;
};

/** Operative clauses' eIds: their printed numbers ("2 bis." → para_2bis), kept unique should a draft's labels repeat one. */
function paragraphIds(clauses: ExportClause[]): string[] {
  const used = new Set<string>();
  return clauses.map((c) => {
    const printed = (c.num || String(c.index)).replace(/\.$/, "").replace(/\s+/g, "");
    let eId = `para_${printed}`;
    for (let k = 2; used.has(eId); k++) eId = `para_${printed}-${k}`;
    used.add(eId);
    return escapeXml(eId);
  });
}

const paragraph = (c: ExportClause, eId: string) =>
  `<paragraph eId="${eId}"${wIdOf("para_", c)}>${c.num ? `<num>${numMarkup(c.num)}</num>` : ""}${hierarchy(c.blocks, eId, { open: 0 })}</paragraph>`;

const delegationId = (name: string) => `delegation-${slug(name)}`;

const explanationAkn = (e: AdoptionAnnex["explanations"][number], i: number) =>
  `<hcontainer eId="hcontainer_${i + 1}" name="explanationOfPosition"${e.reservation ? ' class="reservation"' : ""} refersTo="#${escapeXml(
    delegationId(e.delegation),
  )}"><heading>${escapeXml(explanationHeading(e))}</heading><content><p><i>${escapeXml(explanationNote(e))}</i></p>${e.paragraphs
    .map((p) => `<p>${escapeXml(p)}</p>`)
    .join("")}</content></hcontainer>`;

/**
 * Concord words the adoption line and the annex's headings in English (app/statement/adoption-line.ts,
 * server/export/adoption-annex.ts), and explanations are as filed: whatever the text's language, these
 * parts say they are English.
 */
const lang = 'xml:lang="en"';

/** The adoption line as the statement's conclusions; its explanations of position as its first attachment. */
function adoptionAkn({ line, explanations }: AdoptionAnnex, identification: (component: string, name: string) => string): string {
  const conclusions = `<conclusions eId="conclusions" ${lang}><container eId="conclusions__adoption" name="adoption"><p>${escapeXml(line)}</p></container></conclusions>\n`;
  if (explanations.length === 0) return conclusions;
  return `${conclusions}<attachments><attachment eId="att_1"><doc name="explanationsOfPosition">
<meta>
${identification("annex_1", explanationsTitle)}
</meta>
<preface ${lang}><p class="title"><docTitle>${annexTitle}: ${explanationsTitle}</docTitle></p></preface>
<mainBody ${lang}>
${explanations.map(explanationAkn).join("\n")}
</mainBody>
</doc></attachment></attachments>
`;
}

export function statementAkomaNtoso(statement: ExportStatement, context: AknContext): string {
  const actor = slug(context.conferenceTitle);
  const number = workNumber(context);
  const work = `/akn/un/statement/deliberation/${actor}/${context.workDate}/${numberInIri(number)}`;
  const expressionIn = (code: string) => `${work}/${languageOf(code).iso6392}@${context.versionSlug}`;
  const expression = expressionIn(statement.language);
  const translation = statement.language !== statement.originalLanguage;
  const iri = (s: string) => escapeXml(s);
  const identification = (component: string, name: string) => `<identification source="#concord">
<FRBRWork><FRBRthis value="${iri(`${work}/!${component}`)}"/><FRBRuri value="${iri(work)}"/><FRBRdate date="${context.workDate}" name="creation"/><FRBRauthor href="#conference"/><FRBRcountry value="un"/><FRBRsubtype value="deliberation"/><FRBRnumber value="${iri(numberInIri(number))}" showAs="${escapeXml(number)}"/><FRBRname value="${escapeXml(name)}"/></FRBRWork>
<FRBRExpression><FRBRthis value="${iri(`${expression}/!${component}`)}"/><FRBRuri value="${iri(expression)}"/><FRBRdate date="${context.date}" name="version"/><FRBRauthor href="#${translation ? "secretariat" : "conference"}"/><FRBRversionNumber value="${escapeXml(context.versionSlug)}"/><FRBRlanguage language="${languageOf(statement.language).iso6392}"/>${
    translation
      ? `<FRBRtranslation href="${iri(expressionIn(statement.originalLanguage))}" fromLanguage="${languageOf(statement.originalLanguage).iso6392}" by="#secretariat"/>`
      : ""
  }</FRBRExpression>
<FRBRManifestation><FRBRthis value="${iri(`${expression}/!${component}.xml`)}"/><FRBRuri value="${iri(`${expression}/.xml`)}"/><FRBRdate date="${context.date}" name="generation"/><FRBRauthor href="#concord"/><FRBRformat value="application/akn+xml"/></FRBRManifestation>
</identification>`;
  const delegations = [...new Set((statement.adoption?.explanations ?? []).map((e) => e.delegation))];
  const paraIds = paragraphIds(statement.operative);
  // A statement without operative clauses yet (a fresh one) has an empty paragraph as its main
  // body, which the schema requires; without preambular clauses it has no preamble.
  // The document type takes no xml:lang: each part of the text says its language.
  const textLang = `xml:lang="${escapeXml(statement.language)}"`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<akomaNtoso xmlns="${ns}">
<statement name="jointStatement" contains="${statement.final ? "originalVersion" : "singleVersion"}">
<meta>
${identification("main", statement.title)}
<references source="#concord">
<TLCOrganization eId="conference" href="/akn/ontology/organization/un/${actor}" showAs="${escapeXml(context.conferenceTitle)}"/>
<TLCOrganization eId="secretariat" href="/akn/ontology/organization/un/${actor}-secretariat" showAs="${escapeXml(`Secretariat of the ${context.conferenceTitle}`)}"/>
<TLCOrganization eId="concord" href="/akn/ontology/organization/concord" showAs="Concord"/>
${delegations.map((d) => `<TLCOrganization eId="${escapeXml(delegationId(d))}" href="/akn/ontology/organization/un/${slug(d)}" showAs="${escapeXml(d)}"/>\n`).join("")}</references>
</meta>
<preface eId="preface" ${textLang}><p class="title"><docTitle>${inline(statement.titleRuns, { open: 0 })}</docTitle></p>${statement.final ? "" : `<p class="status"><docStatus>Draft</docStatus></p>`}</preface>
${statement.preamble.length ? `<preamble eId="preamble" ${textLang}><recitals>\n${statement.preamble.map(recital).join("\n")}\n</recitals></preamble>\n` : ""}<mainBody ${textLang}>
${statement.operative.map((c, i) => paragraph(c, paraIds[i])).join("\n") || "<p/>"}
</mainBody>
${statement.adoption ? adoptionAkn(statement.adoption, identification) : ""}</statement>
</akomaNtoso>
`;
}
