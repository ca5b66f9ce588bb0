import { AlignmentType, Packer, Paragraph, TextRun } from "docx";
import type { ProposalRow } from "../queries/proposals";
import { clauseText, type ExportClause, type ExportStatement } from "./model";
import { indent, textRuns, titleParagraph, unDocument } from "./docx";
import type { ProposalStatus } from "../../app/statement/vocabulary";

/**
 * The compilation text as Word, the layout negotiators work from: each clause of the current
 * text with its label, then, indented under it, every proposal on it: its number and kind, the
 * sponsor and co-sponsors in square brackets, who supports and who objects, its status, and the
 * proposed text. Proposals to add a clause follow the clause they would come after ("add at the
 * start" ones open their part).
 */

export type CompilationProposal = Pick<
  ProposalRow,
  "number" | "kind" | "clauseId" | "part" | "delegationName" | "delegationCode" | "status" | "positions" | "baseText" | "revision"
>;

const kindLabels: Record<ProposalRow["kind"], string> = {
  replace: "Amend",
  delete: "Delete",
  retain: "Retain",
  add: "Add new clause",
};

export const statusLabels: Record<ProposalStatus, string> = {
  draft: "Draft (not submitted)",
  submitted: "Under consideration",
  accepted: "Accepted",
  rejected: "Rejected",
  merged: "Merged",
  withdrawn: "Withdrawn",
  not_taken_up: "Not taken up",
};

const delegationOf = (p: { delegationName: string | null; delegationCode: string | null }) =>
  p.delegationName ? `${p.delegationName}${p.delegationCode ? ` (${p.delegationCode})` : ""}` : "Chair";

/** "[Norway (NOR); co-sponsors: Chile (CHL), Fiji (FJI)]" — sponsors in brackets, as compilations print them. */
export function sponsorLine(p: CompilationProposal): string {
  const cosponsors = p.positions.filter((x) => x.position === "cosponsor").map(delegationOf);
  return `[${p.delegationName ? delegationOf(p) : "Chair's proposal"}${cosponsors.length ? `; co-sponsors: ${cosponsors.join(", ")}` : ""}]`;
}

function proposalParagraphs(p: CompilationProposal): Paragraph[] {
  const supporters = p.positions.filter((x) => x.position === "support").map(delegationOf);
  const objectors = p.positions.filter((x) => x.position === "object").map(delegationOf);
  const text = p.revision?.text ?? "";
  const head = new Paragraph({
    spacing: { before: 120, after: 60 },
    indent: { left: indent },
    keepNext: true,
    children: [
      new TextRun({ text: `P${p.number} `, bold: true }),
      new TextRun({ text: `${kindLabels[p.kind]} ` }),
      new TextRun({ text: sponsorLine(p) }),
      new TextRun({ text: ` — ${statusLabels[p.status]}`, bold: true }),
    ],
  });
  const out = [head];
  if (supporters.length || objectors.length)
    out.push(
      new Paragraph({
        spacing: { after: 60 },
        indent: { left: indent },
        children: [
          new TextRun({
            text: [
              supporters.length ? `Supported by: ${supporters.join(", ")}` : "",
              objectors.length ? `Objected to by: ${objectors.join(", ")}` : "",
            ]
              .filter(Boolean)
              .join(". "),
            size: 20,
          }),
        ],
      }),
    );
  const body =
    p.kind === "delete"
      ? "Delete the clause."
      : p.kind === "retain"
        ? "Retain the clause as it stands."
        : text || "(no text submitted yet)";
  out.push(
    new Paragraph({
      spacing: { after: 120 },
      indent: { left: indent * 2 },
      children: [new TextRun({ text: body, italics: p.kind === "delete" || p.kind === "retain" })],
    }),
  );
  return out;
}

function clauseParagraph(c: ExportClause): Paragraph {
  const [first] = c.blocks;
  const rest = clauseText({ blocks: c.blocks.slice(1) });
  return new Paragraph({
    spacing: { before: 240, after: 120 },
    indent: { left: indent, hanging: indent },
    alignment: AlignmentType.JUSTIFIED,
    keepNext: true,
    children: [
      new TextRun({ text: `${c.label}\t`, bold: true }),
      ...textRuns(first?.kind === "paragraph" ? first.runs : []),
      ...(rest ? rest.split("\n").map((line) => new TextRun({ text: line, break: 1 })) : []),
    ],
  });
}

export interface CompilationInput {
  statement: ExportStatement;
  conferenceTitle: string;
  proposals: CompilationProposal[];
  /** When the compilation was made, printed under the title. */
  at: Date;
}

export async function compilationDocx(input: CompilationInput): Promise<Buffer> {
  const { statement, proposals } = input;
  const on = new Map<string, CompilationProposal[]>();
  const atStart: Record<"pp" | "op", CompilationProposal[]> = { pp: [], op: [] };
  const clauseIds = new Set([...statement.preamble, ...statement.operative].map((c) => c.id));
  const elsewhere: CompilationProposal[] = [];
  for (const p of proposals) {
    if (p.clauseId && clauseIds.has(p.clauseId)) on.set(p.clauseId, [...(on.get(p.clauseId) ?? []), p]);
    else if (p.kind === "add" && !p.clauseId) atStart[p.part].push(p);
    else elsewhere.push(p);
  }
  const children: Paragraph[] = [
    titleParagraph([new TextRun({ text: statement.title, bold: true })]),
    new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: "Compilation text", bold: true })] }),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { after: 360 },
      children: [
        new TextRun({ text: `${input.conferenceTitle} — as of ${input.at.toISOString().slice(0, 16).replace("T", " ")} UTC`, size: 20 }),
      ],
    }),
  ];
  const part = (heading: string, key: "pp" | "op", clauses: ExportClause[]) => {
    children.push(
      new Paragraph({ spacing: { before: 240, after: 120 }, children: [new TextRun({ text: heading, bold: true, allCaps: true })] }),
    );
    for (const p of atStart[key]) children.push(...proposalParagraphs(p));
    for (const c of clauses) {
      children.push(clauseParagraph(c));
      for (const p of on.get(c.id ?? "") ?? []) children.push(...proposalParagraphs(p));
    }
  };
  part("Preambular part", "pp", statement.preamble);
  part("Operative part", "op", statement.operative);
  if (elsewhere.length) {
    children.push(
      new Paragraph({
        spacing: { before: 240, after: 120 },
        children: [new TextRun({ text: "Proposals on clauses no longer in the text", bold: true })],
      }),
    );
    for (const p of elsewhere) children.push(...proposalParagraphs(p));
  }
  return Packer.toBuffer(unDocument(children, { title: `${statement.title} — compilation`, draft: !statement.final }));
}
