import { AlignmentType, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType, type ParagraphChild } from "docx";
import type { CompilationEntry, CompiledProposal } from "../negotiation/compilation";
import type { DiffSegment } from "../../app/statement/word-diff";
import { stateBadgeLabels } from "../../app/statement/negotiation-labels";
import type { ProposalStatus } from "../../app/statement/vocabulary";
import type { Block, ExportClause, ExportStatement } from "./model";
import { textRuns, titleBlockTable, titleParagraph, unDocument } from "./docx";

/**
 * The compilation text as Word, printable for the room: one table, its header repeated on every
 * page, with a row per clause of the current text — its paragraph number ("OP5", "OP5 bis"), its
 * text, and its state (open, under negotiation, agreed ad ref., agreed) — followed by a row per
 * proposal on it, labelled as the compilation page labels them ("OP5 alt", "OP5 bis", "Delete
 * OP5"), with its text (new words in bold, deleted ones struck through), its sponsor and
 * co-sponsors, who supports and who objects, and its status. Written from the compilation the
 * page shows (server/negotiation/compilation.ts), so both say the same. An adopted text's
 * adoption line follows the table.
 */

const statusLabels: Record<ProposalStatus, string> = {
  draft: "Draft (not submitted)",
  submitted: "Under consideration",
  accepted: "Accepted",
  rejected: "Rejected",
  merged: "Merged",
  withdrawn: "Withdrawn",
  not_taken_up: "Not taken up",
};

/** "Norway; co-sponsors: Chile, Fiji". */
const sponsorsText = (p: Pick<CompiledProposal, "sponsor" | "cosponsors">) =>
  `${p.sponsor}${p.cosponsors.length ? `; co-sponsors: ${p.cosponsors.join(", ")}` : ""}`;

const small = 20;
const widths = [14, 50, 20, 16];

const cell = (children: Paragraph[], i: number) =>
  new TableCell({
    width: { size: widths[i], type: WidthType.PERCENTAGE },
    margins: { top: 60, bottom: 60, left: 80, right: 80 },
    children,
  });
const para = (children: ParagraphChild[], alignment: (typeof AlignmentType)[keyof typeof AlignmentType] = AlignmentType.LEFT) =>
  new Paragraph({ alignment, spacing: { after: 60 }, children });

/** A clause's paragraphs, its sub-items led by their markers ((a), (b), (i)…). */
function clauseCellParagraphs(blocks: Block[], level = 0): Paragraph[] {
  return blocks.flatMap((b) =>
    b.kind === "paragraph"
      ? [
          new Paragraph({
            alignment: AlignmentType.JUSTIFIED,
            spacing: { after: 60 },
            indent: { left: 360 * level },
            children: textRuns(b.runs),
          }),
        ]
      : b.items.flatMap((item) => {
          const [first, ...rest] = item.blocks;
          const head = new Paragraph({
            spacing: { after: 60 },
            indent: { left: 360 * (level + 1), hanging: 360 },
            children: [new TextRun(`${item.marker}\t`), ...textRuns(first?.kind === "paragraph" ? first.runs : [])],
          });
          return [head, ...clauseCellParagraphs(first?.kind === "paragraph" ? rest : item.blocks, level + 1)];
        }),
  );
}

const diffRuns = (diff: DiffSegment[]): ParagraphChild[] =>
  diff.map((d) => new TextRun({ text: d.text, ...(d.type === "insert" ? { bold: true } : d.type === "delete" ? { strike: true } : {}) }));

function proposalRow(label: string, p: CompiledProposal): TableRow {
  const body: ParagraphChild[] =
    p.diff.length > 0
      ? diffRuns(p.diff)
      : [new TextRun({ text: p.excerpt ?? (p.kind === "retain" ? "Retain the clause as it stands." : "(no text yet)"), italics: true })];
  const positions = [
    p.supporters.length ? `Supported by: ${p.supporters.join(", ")}` : "",
    p.objectors.length ? `Objected to by: ${p.objectors.map((o) => o.name).join(", ")}` : "",
  ].filter(Boolean);
  return new TableRow({
    cantSplit: true,
    children: [
      cell([para([new TextRun({ text: label, bold: true })]), para([new TextRun({ text: p.number, size: small })])], 0),
      cell([para(body), ...(positions.length ? [para([new TextRun({ text: positions.join(". "), size: small })])] : [])], 1),
      cell([para([new TextRun({ text: sponsorsText(p), size: small })])], 2),
      cell([para([new TextRun({ text: statusLabels[p.status], bold: p.status === "submitted" })])], 3),
    ],
  });
}

function clauseRow(entry: Extract<CompilationEntry, { type: "clause" }>, clause: ExportClause | undefined): TableRow {
  const text = clause ? clauseCellParagraphs(clause.blocks) : [para([new TextRun(entry.bracketed ? `[${entry.text}]` : entry.text)])];
  return new TableRow({
    cantSplit: true,
    children: [
      cell([para([new TextRun({ text: entry.label, bold: true })])], 0),
      cell(text, 1),
      cell([para([])], 2),
      cell([para([new TextRun({ text: stateBadgeLabels[entry.state], bold: entry.state === "agreed" })])], 3),
    ],
  });
}

const headerRow = new TableRow({
  tableHeader: true,
  children: ["Para.", "Text", "Sponsors", "Status"].map((h, i) => cell([para([new TextRun({ text: h, bold: true })])], i)),
});

/** The compilation of a text without proposals: each clause, open (what a compilation of it alone shows). */
export function entriesOf(statement: ExportStatement): CompilationEntry[] {
  return [...statement.preamble, ...statement.operative].map((c) => ({
    type: "clause",
    id: c.id,
    label: c.label,
    part: c.part,
    state: "open",
    bracketed: c.bracketed,
    provisional: false,
    text: "",
    proposals: [],
  }));
}

export interface CompilationInput {
  statement: ExportStatement;
  conferenceTitle: string;
  /** The compilation as its page shows it to this reader, unfiltered. */
  entries: CompilationEntry[];
  /** When the compilation was made, printed under the title. */
  at: Date;
}

export async function compilationDocx(input: CompilationInput): Promise<Buffer> {
  const { statement, entries } = input;
  const clauses = new Map([...statement.preamble, ...statement.operative].flatMap((c) => (c.id ? [[c.id, c]] : [])));
  const rows: TableRow[] = [headerRow];
  for (const e of entries) {
    if (e.type === "proposed") {
      rows.push(proposalRow(e.label, e.proposal));
      continue;
    }
    rows.push(clauseRow(e, e.id ? clauses.get(e.id) : undefined));
    for (const p of e.proposals) rows.push(proposalRow(p.label, p));
  }
  const children = [
    titleParagraph([new TextRun({ text: statement.title, bold: true })]),
    new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: "Compilation text", bold: true })] }),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { after: 360 },
      children: [
        new TextRun({ text: `${input.conferenceTitle} — as of ${input.at.toISOString().slice(0, 16).replace("T", " ")} UTC`, size: small }),
      ],
    }),
    new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows }),
    // The adopted text's adoption line (its explanations of position are the statement's annex); Word
    // also needs a paragraph after a table that ends the document.
    new Paragraph({
      spacing: { before: 480 },
      children: statement.adoption ? [new TextRun({ text: statement.adoption.line, italics: true })] : [],
    }),
  ];
  return Packer.toBuffer(
    unDocument(children, {
      title: `${statement.title} — compilation`,
      draft: !statement.final,
      language: statement.language,
      titleBlock: statement.titleBlock ? titleBlockTable(statement.titleBlock) : undefined,
    }),
  );
}
