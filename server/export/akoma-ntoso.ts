import { escapeXml } from "./escape";
import type { Block, ExportClause, ExportStatement, Run } from "./model";
import { annexTitle, explanationHeading, explanationNote, explanationsTitle, type AdoptionAnnex } from "./adoption-annex";

/**
 * The statement in Akoma Ntoso 3.0 (OASIS LegalDocML): a `statement` document whose preamble
 * holds the preambular clauses as recitals and whose main body holds the operative clauses as
 * numbered paragraphs. An adopted statement's adoption line is its `conclusions`; its explanations of
 * position are an attachment, a `doc` of their own (one `hcontainer` each). The FRBR identification names the work after the conference and the
 * document, the expression after the version (and its language), the manifestation after this
 * XML file.
 */

export interface AknContext {
  conferenceSlug: string;
  documentSlug: string;
  /** e.g. "current", "rev-1" */
  versionSlug: string;
  /** The date of the text (YYYY-MM-DD). */
  date: string;
}

const ns = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0";

function inline(runs: Run[]): string {
  return runs
    .map((r) => {
      if (r.break) return "<eol/>";
      let t = escapeXml(r.text);
      if (r.underline) t = `<u>${t}</u>`;
      if (r.bold) t = `<b>${t}</b>`;
      if (r.italic) t = `<i>${t}</i>`;
      return t;
    })
    .join("");
}

function blocks(bs: Block[], eId: string): string {
  return bs
    .map((b, bi) =>
      b.kind === "paragraph"
        ? `<p>${inline(b.runs)}</p>`
        : `<blockList eId="${eId}__list_${bi + 1}">${b.items
            .map(
              (item, ii) =>
                `<item eId="${eId}__list_${bi + 1}__item_${ii + 1}"><num>${escapeXml(item.marker)}</num>${blocks(item.blocks, `${eId}__list_${bi + 1}__item_${ii + 1}`)}</item>`,
            )
            .join("")}</blockList>`,
    )
    .join("");
}

const recital = (c: ExportClause) =>
  `<recital eId="rec_${c.index}"${c.id ? ` GUID="${escapeXml(c.id)}"` : ""}>${blocks(c.blocks, `rec_${c.index}`)}</recital>`;

const paragraph = (c: ExportClause) =>
  `<paragraph eId="para_${c.index}"${c.id ? ` GUID="${escapeXml(c.id)}"` : ""}><num>${escapeXml(c.num)}</num><content>${blocks(c.blocks, `para_${c.index}`)}</content></paragraph>`;

const explanationAkn = (e: AdoptionAnnex["explanations"][number], i: number) =>
  `<hcontainer eId="hcontainer_${i + 1}" name="explanationOfPosition"${e.reservation ? ' class="reservation"' : ""}><heading>${escapeXml(
    explanationHeading(e),
  )}</heading><content><p><i>${escapeXml(explanationNote(e))}</i></p>${e.paragraphs.map((p) => `<p>${escapeXml(p)}</p>`).join("")}</content></hcontainer>`;

/** The adoption line as the statement's conclusions; its explanations of position as its first attachment. */
function adoptionAkn(
  { line, explanations }: AdoptionAnnex,
  frbr: (tag: string, uri: string, extra: string) => string,
  uris: { work: string; expression: string; manifestation: string },
): string {
  const conclusions = `<conclusions><p class="adoption">${escapeXml(line)}</p></conclusions>\n`;
  if (explanations.length === 0) return conclusions;
  return `${conclusions}<attachments><attachment eId="att_1"><doc name="explanationsOfPosition">
<meta>
<identification source="#concord">
${frbr("FRBRWork", uris.work, `<FRBRcountry value="un"/><FRBRname value="${explanationsTitle}"/>`)}
${frbr("FRBRExpression", uris.expression, `<FRBRlanguage language="eng"/>`)}
${frbr("FRBRManifestation", uris.manifestation, "")}
</identification>
</meta>
<preface><p class="title"><docTitle>${annexTitle}: ${explanationsTitle}</docTitle></p></preface>
<mainBody>
${explanations.map(explanationAkn).join("\n")}
</mainBody>
</doc></attachment></attachments>
`;
}

export function statementAkomaNtoso(statement: ExportStatement, context: AknContext): string {
  const work = `/akn/un/statement/${context.conferenceSlug}/${context.date}/${context.documentSlug}`;
  const expression = `${work}/eng@${context.versionSlug}`;
  const manifestation = `${expression}/main.xml`;
  const frbr = (tag: string, uri: string, extra: string, component = "main") =>
    `<${tag}><FRBRthis value="${escapeXml(uri)}/!${component}"/><FRBRuri value="${escapeXml(uri)}"/><FRBRdate date="${context.date}" name="${
      tag === "FRBRManifestation" ? "generation" : "text"
    }"/><FRBRauthor href="#conference"/>${extra}</${tag}>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<akomaNtoso xmlns="${ns}">
<statement name="jointStatement" contains="${statement.final ? "originalVersion" : "singleVersion"}">
<meta>
<identification source="#concord">
${frbr("FRBRWork", work, `<FRBRcountry value="un"/><FRBRname value="${escapeXml(statement.title)}"/>`)}
${frbr("FRBRExpression", expression, `<FRBRlanguage language="eng"/>`)}
${frbr("FRBRManifestation", manifestation, "")}
</identification>
<references source="#concord">
<TLCOrganization eId="conference" href="/ontology/organization/${escapeXml(context.conferenceSlug)}" showAs="${escapeXml(context.conferenceSlug)}"/>
<TLCOrganization eId="concord" href="/ontology/organization/concord" showAs="Concord"/>
</references>
</meta>
<preface><p class="title"><docTitle>${inline(statement.titleRuns)}</docTitle></p>${statement.final ? "" : `<p class="status"><docStatus>Draft</docStatus></p>`}</preface>
<preamble><recitals>
${statement.preamble.map(recital).join("\n")}
</recitals></preamble>
<mainBody>
${statement.operative.map(paragraph).join("\n")}
</mainBody>
${statement.adoption ? adoptionAkn(statement.adoption, (tag, uri, extra) => frbr(tag, uri, extra, "annex_1"), { work, expression, manifestation }) : ""}</statement>
</akomaNtoso>
`;
}
