import { escapeXml } from "./escape";
import type { Block, ExportClause, ExportStatement, Run } from "./model";
import { annexTitle, explanationHeading, explanationNote, explanationsTitle, type AdoptionAnnex } from "./adoption-annex";
import type { TitleBlock } from "./title-block";
import { languageOf } from "../../app/statement/languages";

/**
 * The statement as one self-contained HTML file (styles embedded, nothing fetched), laid out
 * for printing on A4 with the browser's own print: the title block above the title, numbers hang
 * in the margin, page margins and a "DRAFT" mark on every printed page of a draft.
 */

const css = `
@page { size: A4; margin: 2.5cm 2.5cm 2.5cm 2.5cm; }
html { font-family: "Times New Roman", Times, serif; font-size: 12pt; line-height: 1.35; color: #000; background: #fff; }
body { max-width: 16cm; margin: 2cm auto; }
.title-block { display: grid; grid-template-columns: 1fr 1fr; border-bottom: 1.5pt solid #000; padding-bottom: 6pt; margin-bottom: 24pt; }
.title-block p { margin: 0; text-align: left; }
.title-block .document { text-align: right; }
.title-block .document p { text-align: right; }
.title-block .conference-name, .title-block .symbol { font-weight: bold; }
.title-block .symbol { font-size: 14pt; }
h1 { font-size: 12pt; font-weight: bold; text-align: center; margin: 0 0 2em; }
p { margin: 0 0 12pt; text-align: justify; }
.pp > p:first-child { text-indent: 1.27cm; }
.op { display: grid; grid-template-columns: 1.27cm 1fr; }
.op > .num { grid-column: 1; }
.op > .body { grid-column: 2; }
.item { display: grid; grid-template-columns: 1.27cm 1fr; margin-left: 1.27cm; }
.clause, .item { break-inside: avoid-page; }
.adoption-line { margin-top: 2em; font-style: italic; }
.annex { break-before: page; }
h2, h3 { font-size: 12pt; font-weight: bold; margin: 0 0 12pt; }
h2 { text-align: center; }
.draft-mark { position: fixed; top: 45%; left: 0; right: 0; text-align: center; transform: rotate(-35deg);
  font-size: 96pt; font-weight: bold; color: rgba(0, 0, 0, 0.08); pointer-events: none; z-index: -1; }
@media print { body { margin: 0; max-width: none; } }
`;

function runsHtml(runs: Run[]): string {
  return runs
    .map((r) => {
      if (r.break) return "<br>";
      let t = escapeXml(r.text);
      if (r.underline) t = `<u>${t}</u>`;
      if (r.bold) t = `<strong>${t}</strong>`;
      if (r.italic) t = `<em>${t}</em>`;
      return t;
    })
    .join("");
}

function blocksHtml(blocks: Block[]): string {
  return blocks
    .map((b) =>
      b.kind === "paragraph"
        ? `<p>${runsHtml(b.runs)}</p>`
        : b.items
            .map((i) => `<div class="item"><span class="marker">${escapeXml(i.marker)}</span><div>${blocksHtml(i.blocks)}</div></div>`)
            .join("\n"),
    )
    .join("\n");
}

function clauseHtml(c: ExportClause): string {
  // A clause not translated yet is in the original's language and direction.
  const id =
    (c.id ? ` id="${escapeXml(c.id)}"` : "") +
    (c.language ? ` lang="${c.language}" dir="${languageOf(c.language).rtl ? "rtl" : "ltr"}"` : "");
  if (c.part === "pp") return `<div class="clause pp"${id}>${blocksHtml(c.blocks)}</div>`;
  return `<div class="clause op"${id}><span class="num">${escapeXml(c.num)}</span><div class="body">${blocksHtml(c.blocks)}</div></div>`;
}

/** The adoption line after the text, and the explanations of position as its annex. */
function adoptionHtml(adoption: AdoptionAnnex): string {
  const explanations = adoption.explanations.map(
    (e) =>
      `<div class="explanation"><h3>${escapeXml(explanationHeading(e))}</h3><p><em>${escapeXml(explanationNote(e))}</em></p>${e.paragraphs
        .map((p) => `<p>${escapeXml(p)}</p>`)
        .join("")}</div>`,
  );
  return `<p class="adoption-line">${escapeXml(adoption.line)}</p>
${
  explanations.length
    ? `<section class="annex" aria-label="${annexTitle}"><h2>${annexTitle}</h2><h2>${explanationsTitle}</h2>
${explanations.join("\n")}
</section>
`
    : ""
}`;
}

function titleBlockHtml(block: TitleBlock): string {
  const p = (cls: string, text: string) => (text ? `<p class="${cls}">${escapeXml(text)}</p>` : "");
  return `<header class="title-block">
<div class="conference">${p("conference-name", block.conference)}${p("venue", block.venueAndDates)}</div>
<div class="document">${p("symbol", block.symbol)}${p("distribution", block.distribution)}${p("date", block.date)}${block.languageLines.map((l) => p("original", l)).join("")}</div>
</header>
`;
}

export function statementHtml(statement: ExportStatement): string {
  const language = languageOf(statement.language);
  return `<!DOCTYPE html>
<html lang="${language.code}"${language.rtl ? ' dir="rtl"' : ""}>
<head>
<meta charset="utf-8">
<title>${escapeXml(statement.title)}</title>
<style>${css}</style>
</head>
<body>
${statement.final ? "" : '<div class="draft-mark" aria-hidden="true">DRAFT</div>\n'}${
    statement.titleBlock ? titleBlockHtml(statement.titleBlock) : ""
  }<h1>${runsHtml(statement.titleRuns)}</h1>
<section class="preamble" aria-label="Preambular part">
${statement.preamble.map(clauseHtml).join("\n")}
</section>
<section class="operative" aria-label="Operative part">
${statement.operative.map(clauseHtml).join("\n")}
</section>
${statement.adoption ? adoptionHtml(statement.adoption) : ""}</body>
</html>
`;
}
