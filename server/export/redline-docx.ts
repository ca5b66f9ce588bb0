import { languageOf } from "../../app/statement/languages";
import { DeletedTextRun, InsertedTextRun, Packer, Paragraph, TextRun, type IRunOptions, type ParagraphChild } from "docx";
import type { DiffSegment } from "../../app/statement/word-diff";
import type { ClauseChangeSource } from "../queries/versions";
import { indent, titleParagraph, unDocument } from "./docx";
import type { Redline, RedlineClause, StyledSegment } from "./redline";

/**
 * A redline between two versions as a Word document with tracked changes: every inserted word
 * is a w:ins and every deleted word a w:del, at the time of the later version, so Word's Review
 * tab can accept or reject each change. Each change's author is the delegation whose accepted
 * proposal made it ("Chair" for the chair's compromise), or the chair for a direct edit of the
 * base text. Words keep their formatting (italic opening words stay italic when inserted or
 * deleted). A clause renumbered because others were added or deleted is not a change: it shows its
 * new number; only an added clause's number is inserted and a deleted one's deleted. A moved
 * clause carries a note of where it came from.
 */

export interface RedlineOptions {
  /** The time of the later version; Word shows it with each change. */
  date: Date;
  /** Per clause id, the accepted proposals that changed it between the two versions (server/versions/compare.ts). */
  sources?: Map<string, ClauseChangeSource[]>;
}

/** Who wrote the base text when no proposal did. */
export const directEditAuthor = "Chair";

/** The delegations whose proposals changed a clause, in order ("Chair" for a compromise); the chair when none did. */
export function changeAuthor(sources: ClauseChangeSource[] | undefined): string {
  const names = [...new Set((sources ?? []).map((s) => s.delegationName ?? directEditAuthor))];
  return names.length ? names.join(", ") : directEditAuthor;
}

const styleOptions = (s: Partial<StyledSegment>): IRunOptions => ({
  ...(s.italic ? { italics: true } : {}),
  ...(s.bold ? { bold: true } : {}),
  ...(s.underline ? { underline: {} } : {}),
});

type Change = (text: string, type: "insert" | "delete", style: IRunOptions) => ParagraphChild;

function trackedRuns(parts: (DiffSegment & Partial<StyledSegment>)[], change: Change, base: IRunOptions = {}): ParagraphChild[] {
  const out: ParagraphChild[] = [];
  for (const part of parts) {
    const style = { ...base, ...styleOptions(part) };
    // Lines inside a clause (paragraph, then list items) become line breaks inside the same paragraph.
    part.text.split("\n").forEach((line, i) => {
      if (i > 0) out.push(part.type === "equal" ? new TextRun({ break: 1 }) : change("", part.type, {}));
      if (line) out.push(part.type === "equal" ? new TextRun({ text: line, ...style }) : change(line, part.type, style));
    });
  }
  return out;
}

export async function redlineDocx(redline: Redline, options: RedlineOptions): Promise<Buffer> {
  const date = options.date.toISOString().replace(/\.\d{3}Z$/, "Z");
  let id = 1;
  const changeBy =
    (author: string): Change =>
    (text, type, style) => {
      const run = { id: id++, author, date, text, ...style, ...(text ? {} : { break: 1 }) };
      return type === "insert" ? new InsertedTextRun(run) : new DeletedTextRun(run);
    };

  const numberRuns = (c: RedlineClause, change: Change): ParagraphChild[] => {
    if (c.change === "added") return c.newNum ? [change(c.newNum, "insert", {}), new TextRun("\t")] : [];
    if (c.change === "deleted") return c.oldPart === "op" && c.oldNum ? [change(c.oldNum, "delete", {}), new TextRun("\t")] : [];
    return c.part === "op" && c.newNum ? [new TextRun(`${c.newNum}\t`)] : [];
  };

  // A right-to-left language's paragraphs are bidirectional, as in the statement's Word file.
  const rtl = languageOf(redline.language).rtl;
  const children: Paragraph[] = [titleParagraph(trackedRuns(redline.title, changeBy(directEditAuthor), { bold: true }), rtl)];
  for (const c of redline.clauses) {
    const part = c.change === "deleted" ? (c.oldPart ?? c.part) : c.part;
    const change = changeBy(changeAuthor(c.id ? options.sources?.get(c.id) : undefined));
    children.push(
      new Paragraph({
        spacing: { after: 240 },
        bidirectional: rtl,
        indent: part === "op" ? { left: indent, hanging: indent } : { firstLine: indent },
        children: [
          ...numberRuns(c, change),
          ...trackedRuns(c.styled, change),
          ...(c.moved ? [new TextRun({ text: ` [moved from ${c.oldLabel}]`, italics: true, color: "555555" })] : []),
        ],
      }),
    );
  }
  return Packer.toBuffer(unDocument(children, { title: `${redline.newTitle} — changes`, draft: false, language: redline.language }));
}
