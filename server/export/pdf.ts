import { runsText, type Block, type ExportClause, type ExportStatement, type Run } from "./model";
import { pdfFonts } from "./pdf-fonts";
import { languageOf } from "../../app/statement/languages";
import { annexTitle, explanationHeading, explanationNote, explanationsTitle, type AdoptionAnnex } from "./adoption-annex";
import type { TitleBlock } from "./title-block";

/**
 * The statement as a PDF, drawn directly with pdfkit (no browser): the same layout as the Word
 * export, in the standard Times fonts (built into every PDF reader, so nothing is embedded) or,
 * for a text in another script, the language's Noto fonts embedded (pdf-fonts.ts), the title
 * block above the title on the first page, page numbers at the foot of each page and, for drafts,
 * a diagonal "DRAFT" across each page. A right-to-left text (Arabic) is set from the right margin,
 * numbers and sub-item letters on the right; fontkit shapes its letters and orders them right to
 * left.
 */

/** How a PDF's text is set: its language's fonts, and whether right to left (the title block and the annex are English, in Times). */
interface Setting {
  font: (r: Pick<Run, "italic" | "bold">) => string;
  rtl: boolean;
}
const settings = new WeakMap<PDFKit.PDFDocument, Setting>();
const settingOf = (doc: PDFKit.PDFDocument) => settings.get(doc)!;

/**
 * Right-to-left text as pdfkit sets it correctly: it loses the space before the last word of a
 * paragraph that does not end with one (measured here: "البيان المشترك" drawn without its space).
 */
const rtlText = (text: string) => `${text} `;

const size = 12;
const hang = 36;
const gap = 12;

type Doc = PDFKit.PDFDocument;

/** Writes runs as one paragraph starting at x, wrapping within the right margin. */
function writeRuns(doc: Doc, runs: Run[], x: number, y: number | undefined, firstLineIndent = 0) {
  const { font: fontFor, rtl } = settingOf(doc);
  if (rtl) {
    // From the right margin back to x, as one run: pdfkit lays continued runs left to right.
    const width = doc.page.width - doc.page.margins.right - x;
    const bold = runs.length > 0 && runs.every((r) => r.bold || !r.text.trim());
    doc.font(fontFor({ bold })).fontSize(size);
    doc.text(rtlText(runsText(runs)), doc.page.margins.left, y, { width: width - (x - doc.page.margins.left), align: "right", lineGap: 1 });
    return;
  }
  const width = doc.page.width - doc.page.margins.right - x;
  const parts = runs.filter((r) => r.break || r.text);
  if (parts.length === 0) parts.push({ text: " " });
  parts.forEach((r, i) => {
    const options = {
      width,
      continued: i < parts.length - 1,
      underline: !!r.underline,
      lineGap: 1,
      ...(i === 0 && firstLineIndent ? { indent: firstLineIndent } : {}),
    };
    doc.font(fontFor(r)).fontSize(size);
    if (i === 0) doc.text(r.break ? "\n" : r.text, x, y, options);
    else doc.text(r.break ? "\n" : r.text, options);
  });
}

/** Starts a new page when not even one line fits any more, so a number never stays behind alone. */
function ensureRoom(doc: Doc) {
  if (doc.y + size * 2 > doc.page.height - doc.page.margins.bottom) doc.addPage();
}

function writeLabelled(doc: Doc, label: string, runs: Run[], x: number) {
  ensureRoom(doc);
  const y = doc.y;
  const { font: fontFor, rtl } = settingOf(doc);
  // Right to left, the label stands at the right, as far in from the right margin as x is from the left one.
  const labelX = rtl ? doc.page.width - x - hang + (doc.page.margins.left - doc.page.margins.right) : x;
  doc
    .font(fontFor({}))
    .fontSize(size)
    .text(label, labelX, y, { width: hang, lineBreak: false, align: rtl ? "right" : "left" });
  writeRuns(doc, runs, x + hang, y);
  doc.moveDown(gap / size);
}

function writeBlocks(doc: Doc, blocks: Block[], x: number) {
  for (const b of blocks) {
    if (b.kind === "paragraph") {
      ensureRoom(doc);
      writeRuns(doc, b.runs, x, doc.y);
      doc.moveDown(gap / size);
      continue;
    }
    for (const item of b.items) {
      const [first, ...rest] = item.blocks;
      writeLabelled(doc, item.marker, first?.kind === "paragraph" ? first.runs : [], x);
      writeBlocks(doc, first?.kind === "paragraph" ? rest : item.blocks, x + hang);
    }
  }
}

function writeClause(doc: Doc, c: ExportClause) {
  if (!c.language) return writeClauseBody(doc, c);
  // A clause not translated yet: in its original's fonts and direction.
  const setting = settingOf(doc);
  settings.set(doc, { font: pdfFonts(doc, c.language), rtl: languageOf(c.language).rtl });
  writeClauseBody(doc, c);
  settings.set(doc, setting);
}

function writeClauseBody(doc: Doc, c: ExportClause) {
  const left = doc.page.margins.left;
  const [first, ...rest] = c.blocks;
  const runs = first?.kind === "paragraph" ? first.runs : [];
  if (c.part === "op") writeLabelled(doc, c.num, runs, left);
  else {
    ensureRoom(doc);
    // The first line indented, as Word's first-line indent does.
    writeRuns(doc, runs, left, doc.y, hang);
    doc.moveDown(gap / size);
  }
  writeBlocks(doc, first?.kind === "paragraph" ? rest : c.blocks, left + hang);
}

/** The adoption line after the text, and the explanations of position as its annex, from a new page. */
function writeAdoption(doc: Doc, { line, explanations }: AdoptionAnnex) {
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  doc.moveDown(1);
  writeRuns(doc, [{ text: line, italic: true }], left, doc.y);
  if (explanations.length === 0) return;
  doc.addPage();
  for (const title of [annexTitle, explanationsTitle]) {
    doc.font("Times-Bold").fontSize(size).text(title, left, doc.y, { width, align: "center" });
    doc.moveDown(gap / size);
  }
  for (const e of explanations) {
    ensureRoom(doc);
    doc.moveDown(gap / size);
    writeRuns(doc, [{ text: explanationHeading(e), bold: true }], left, doc.y);
    writeRuns(doc, [{ text: explanationNote(e), italic: true }], left, doc.y);
    doc.moveDown(gap / size);
    for (const p of e.paragraphs) {
      ensureRoom(doc);
      writeRuns(doc, [{ text: p }], left, doc.y);
      doc.moveDown(gap / size);
    }
  }
}

/** The title block: the conference on the left, the symbol and the rest on the right, ruled off below. */
function writeTitleBlock(doc: Doc, block: TitleBlock) {
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const half = width / 2;
  const top = doc.y;
  doc
    .font("Times-Bold")
    .fontSize(size)
    .text(block.conference, left, top, { width: half - 6 });
  if (block.venueAndDates)
    doc
      .font("Times-Roman")
      .fontSize(size)
      .text(block.venueAndDates, left, doc.y, { width: half - 6 });
  const leftBottom = doc.y;
  doc.y = top;
  if (block.symbol)
    doc
      .font("Times-Bold")
      .fontSize(14)
      .text(block.symbol, left + half, top, { width: half, align: "right" });
  for (const line of [block.distribution, block.date, ...block.languageLines])
    doc
      .font("Times-Roman")
      .fontSize(size)
      .text(line, left + half, doc.y, { width: half, align: "right" });
  const bottom = Math.max(doc.y, leftBottom) + 4;
  doc
    .moveTo(left, bottom)
    .lineTo(left + width, bottom)
    .lineWidth(1)
    .stroke();
  doc.y = bottom + 24;
}

export async function statementPdf(statement: ExportStatement): Promise<Buffer> {
  // pdfkit and its fonts weigh about 30 MB: loaded by the first PDF, not by every server.
  const { default: PDFDocument } = await import("pdfkit");
  const doc = new PDFDocument({
    size: "A4",
    margins: { top: 72, bottom: 72, left: 72, right: 72 },
    bufferPages: true,
    info: { Title: statement.title, Creator: "Concord" },
    lang: statement.language,
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("data", (c: Buffer) => chunks.push(c));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });

  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  settings.set(doc, { font: pdfFonts(doc, statement.language), rtl: languageOf(statement.language).rtl });
  if (statement.titleBlock) writeTitleBlock(doc, statement.titleBlock);
  doc
    .font(settingOf(doc).font({ bold: true }))
    .fontSize(size)
    .text(settingOf(doc).rtl ? rtlText(statement.title) : statement.title, left, doc.y, { width, align: "center" });
  doc.moveDown(2);
  for (const c of statement.preamble) writeClause(doc, c);
  for (const c of statement.operative) writeClause(doc, c);
  // The adoption line and the annex are in English.
  settings.set(doc, { font: pdfFonts(doc, "en"), rtl: false });
  if (statement.adoption) writeAdoption(doc, statement.adoption);

  const pages = doc.bufferedPageRange();
  for (let i = pages.start; i < pages.start + pages.count; i++) {
    doc.switchToPage(i);
    const { width: w, height: h, margins } = doc.page;
    // Writing inside the bottom margin would otherwise start a new page.
    const bottom = margins.bottom;
    margins.bottom = 0;
    doc
      .font("Times-Roman")
      .fontSize(10)
      .fillColor("black")
      .text(`${i + 1}`, 0, h - 45, { width: w, align: "center", lineBreak: false });
    if (!statement.final) {
      doc.save();
      doc.rotate(-45, { origin: [w / 2, h / 2] });
      doc.font("Times-Bold").fontSize(110).fillColor("#999999", 0.25);
      doc.text("DRAFT", 0, h / 2 - 55, { width: w, align: "center", lineBreak: false });
      doc.restore();
    }
    margins.bottom = bottom;
  }
  doc.end();
  return done;
}
