import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  Header,
  HeadingLevel,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableBorders,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  type IRunOptions,
  type ParagraphChild,
} from "docx";
import { TextWatermark } from "docx/watermarks";
import type { Block, ExportClause, ExportStatement, Run } from "./model";
import { annexTitle, explanationHeading, explanationNote, explanationsTitle, type AdoptionAnnex } from "./adoption-annex";
import type { TitleBlock } from "./title-block";
import { languageOf } from "../../app/statement/languages";

/**
 * A statement as a Word document in UN style: Times New Roman 12, the title block (conference,
 * venue and dates; symbol, distribution, date, original language) in the first page's header,
 * the title centred in bold, preambular clauses indented and unnumbered, operative clauses with
 * their number hanging in the margin, page numbers in the footer and, for drafts, a diagonal
 * "DRAFT" watermark behind every page, the WordArt shape Word's own Design > Watermark writes (so
 * Word can remove or replace it). Numbers are written as text (not Word auto-numbering) so they
 * read the same everywhere the file is opened, and come back unchanged when the file is imported
 * (headers are not part of the text an import reads).
 */

export const font = "Times New Roman";
/** Half-points. */
export const fontSize = 24;
/** Twentieths of a point: half an inch. */
export const indent = 720;

export const runOptions = (r: Run): IRunOptions =>
  r.break ? { break: 1 } : { text: r.text, italics: r.italic, bold: r.bold, underline: r.underline ? {} : undefined };

export const textRuns = (runs: Run[]): ParagraphChild[] => runs.map((r) => new TextRun(runOptions(r)));

/** Runs of a right-to-left language (Arabic): each marked so (`w:rtl`), for Word's bidirectional layout. */
const rtlRuns = (runs: Run[]): ParagraphChild[] => runs.map((r) => new TextRun({ ...runOptions(r), rightToLeft: true }));

const spacing = { after: 240 };

/** The paragraphs of a list inside a clause: each item led by its marker, hanging one indent further in. */
function listParagraphs(blocks: Block[], level: number, children: (runs: Run[]) => ParagraphChild[], bidirectional: boolean): Paragraph[] {
  const out: Paragraph[] = [];
  for (const b of blocks) {
    if (b.kind === "paragraph") {
      out.push(new Paragraph({ spacing, bidirectional, indent: { left: indent * (level + 1) }, children: children(b.runs) }));
      continue;
    }
    for (const item of b.items) {
      const [first, ...rest] = item.blocks;
      const firstRuns = first?.kind === "paragraph" ? first.runs : [];
      out.push(
        new Paragraph({
          spacing,
          bidirectional,
          indent: { left: indent * (level + 2), hanging: indent },
          children: [new TextRun({ text: `${item.marker}\t`, rightToLeft: bidirectional }), ...children(firstRuns)],
        }),
      );
      out.push(...listParagraphs(first?.kind === "list" ? item.blocks : rest, level + 1, children, bidirectional));
    }
  }
  return out;
}

/**
 * A clause as Word paragraphs; `children` turns runs into paragraph content (plain, or tracked
 * changes). A right-to-left language's paragraphs are bidirectional (`w:bidi`): Word lays them out
 * from the right, number and indents mirrored.
 */
export function clauseParagraphs(
  clause: Pick<ExportClause, "part" | "num" | "blocks">,
  children = textRuns,
  bidirectional = false,
): Paragraph[] {
  const [first, ...rest] = clause.blocks;
  const firstRuns = first?.kind === "paragraph" ? first.runs : [];
  const lead =
    clause.part === "op"
      ? new Paragraph({
          spacing,
          bidirectional,
          alignment: AlignmentType.JUSTIFIED,
          indent: { left: indent, hanging: indent },
          children: [new TextRun({ text: `${clause.num}\t`, rightToLeft: bidirectional }), ...children(firstRuns)],
        })
      : new Paragraph({
          spacing,
          bidirectional,
          alignment: AlignmentType.JUSTIFIED,
          indent: { firstLine: indent },
          children: children(firstRuns),
        });
  return [lead, ...listParagraphs(first?.kind === "paragraph" ? rest : clause.blocks, 0, children, bidirectional)];
}

export const titleParagraph = (children: ParagraphChild[], bidirectional = false) =>
  new Paragraph({ heading: HeadingLevel.TITLE, alignment: AlignmentType.CENTER, bidirectional, spacing: { after: 480 }, children });

/** The title block as a borderless two-column table, ruled off below as UN documents are. */
export function titleBlockTable(block: TitleBlock): Table {
  const line = (text: string, options: IRunOptions = {}) => new TextRun({ text, ...options });
  const cell = (alignment: (typeof AlignmentType)[keyof typeof AlignmentType], lines: ParagraphChild[]) =>
    new TableCell({
      width: { size: 50, type: WidthType.PERCENTAGE },
      borders: { ...TableBorders.NONE, bottom: { style: BorderStyle.SINGLE, size: 12, color: "000000" } },
      children: [new Paragraph({ alignment, spacing: { after: 120 }, children: lines })],
    });
  const breakAfter = (runs: TextRun[]) => runs.flatMap((r, i) => (i === 0 ? [r] : [new TextRun({ break: 1 }), r]));
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    borders: TableBorders.NONE,
    rows: [
      new TableRow({
        children: [
          cell(
            AlignmentType.LEFT,
            breakAfter([line(block.conference, { bold: true }), ...(block.venueAndDates ? [line(block.venueAndDates)] : [])]),
          ),
          cell(
            AlignmentType.RIGHT,
            breakAfter([
              ...(block.symbol ? [line(block.symbol, { bold: true, size: 28 })] : []),
              line(block.distribution),
              line(block.date),
              ...block.languageLines.map((l) => line(l)),
            ]),
          ),
        ],
      }),
    ],
  });
}

/** Word's language of the text: w:lang's val, and its East Asian or right-to-left slot where the language needs it. */
const wordLanguage = (code: string) => ({
  value: code,
  ...(code === "zh" ? { eastAsia: code } : {}),
  ...(code === "ar" ? { bidirectional: code } : {}),
});

/**
 * Document, styles, page numbers, the title block and the optional watermark shared by every
 * Word export; `language` is the text's ISO 639-1 code.
 */
export function unDocument(
  children: (Paragraph | Table)[],
  options: { title: string; draft: boolean; language: string; titleBlock?: Table },
): Document {
  const footer = () =>
    new Footer({
      children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: [PageNumber.CURRENT] })] })],
    });
  // A watermark is anchored in a header and drawn behind every page that header is on.
  const watermark = () =>
    options.draft
      ? [new Paragraph({ children: [new TextWatermark({ text: "DRAFT", font, bold: true, color: "B0B0B0", opacity: 0.5 })] })]
      : [];
  const headers = {
    ...(options.draft ? { default: new Header({ children: watermark() }) } : {}),
    ...(options.titleBlock ? { first: new Header({ children: [options.titleBlock, ...watermark()] }) } : {}),
  };
  return new Document({
    title: options.title,
    creator: "Concord",
    styles: {
      default: { document: { run: { font, size: fontSize, language: wordLanguage(options.language) } } },
      paragraphStyles: [
        {
          // Word's own Title style, restyled: importers (and Word's navigation pane) recognise the title by it.
          id: "Title",
          name: "Title",
          basedOn: "Normal",
          next: "Normal",
          run: { font, size: fontSize, bold: true, color: "000000" },
          paragraph: { alignment: AlignmentType.CENTER },
        },
      ],
    },
    sections: [
      {
        properties: { titlePage: !!options.titleBlock },
        headers,
        footers: { default: footer(), ...(options.titleBlock ? { first: footer() } : {}) },
        children,
      },
    ],
  });
}

/** The adoption line after the text, and the explanations of position as its annex, on a page of its own. */
function adoptionParagraphs({ line, explanations }: AdoptionAnnex): Paragraph[] {
  const out = [new Paragraph({ spacing: { before: 480, after: 240 }, children: [new TextRun({ text: line, italics: true })] })];
  if (explanations.length === 0) return out;
  const centred = (text: string, pageBreakBefore = false) =>
    new Paragraph({ spacing, alignment: AlignmentType.CENTER, pageBreakBefore, children: [new TextRun({ text, bold: true })] });
  out.push(centred(annexTitle, true), centred(explanationsTitle));
  for (const e of explanations) {
    out.push(
      new Paragraph({ spacing, keepNext: true, children: [new TextRun({ text: explanationHeading(e), bold: true })] }),
      new Paragraph({ spacing, children: [new TextRun({ text: explanationNote(e), italics: true })] }),
      ...e.paragraphs.map((p) => new Paragraph({ spacing, alignment: AlignmentType.JUSTIFIED, children: [new TextRun(p)] })),
    );
  }
  return out;
}

export async function statementDocx(statement: ExportStatement): Promise<Buffer> {
  const rtl = languageOf(statement.language).rtl;
  const runs = rtl ? rtlRuns : textRuns;
  const children = [
    titleParagraph(runs(statement.titleRuns.map((r) => ({ ...r, bold: true }))), rtl),
    // A clause not translated yet keeps its original's direction.
    ...[...statement.preamble, ...statement.operative].flatMap((c) =>
      c.language && languageOf(c.language).rtl !== rtl
        ? clauseParagraphs(c, rtl ? textRuns : rtlRuns, !rtl)
        : clauseParagraphs(c, runs, rtl),
    ),
    ...(statement.adoption ? adoptionParagraphs(statement.adoption) : []),
  ];
  return Packer.toBuffer(
    unDocument(children, {
      title: statement.title,
      draft: !statement.final,
      language: statement.language,
      titleBlock: statement.titleBlock ? titleBlockTable(statement.titleBlock) : undefined,
    }),
  );
}
