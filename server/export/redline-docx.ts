import { DeletedTextRun, InsertedTextRun, Packer, Paragraph, TextRun, type ParagraphChild } from "docx";
import type { DiffSegment } from "../../app/statement/word-diff";
import { indent, titleParagraph, unDocument } from "./docx";
import type { Redline, RedlineClause } from "./redline";

/**
 * A redline between two versions as a Word document with tracked changes: every inserted word
 * is a w:ins and every deleted word a w:del, by "Concord" at the time of the later version, so
 * Word's Review tab can accept or reject each change. Numbers that changed are tracked too
 * ("3." deleted, "4." inserted); a moved clause carries a note of where it came from.
 */

export interface RedlineOptions {
  /** The time of the later version; Word shows it with each change. */
  date: Date;
  author?: string;
}

function trackedRuns(parts: DiffSegment[], change: (text: string, type: "insert" | "delete") => ParagraphChild): ParagraphChild[] {
  const out: ParagraphChild[] = [];
  for (const part of parts) {
    // Lines inside a clause (paragraph, then list items) become line breaks inside the same paragraph.
    part.text.split("\n").forEach((line, i) => {
      if (i > 0) out.push(part.type === "equal" ? new TextRun({ break: 1 }) : change("", part.type));
      if (line) out.push(part.type === "equal" ? new TextRun(line) : change(line, part.type));
    });
  }
  return out;
}

export async function redlineDocx(redline: Redline, options: RedlineOptions): Promise<Buffer> {
  const author = options.author ?? "Concord";
  const date = options.date.toISOString().replace(/\.\d{3}Z$/, "Z");
  let id = 1;
  const change = (text: string, type: "insert" | "delete", bold = false): ParagraphChild =>
    type === "insert"
      ? new InsertedTextRun({ id: id++, author, date, text, ...(bold ? { bold } : {}), ...(text ? {} : { break: 1 }) })
      : new DeletedTextRun({ id: id++, author, date, text, ...(bold ? { bold } : {}), ...(text ? {} : { break: 1 }) });
  const tracked = (parts: DiffSegment[]) => trackedRuns(parts, (t, type) => change(t, type));

  const numberRuns = (c: RedlineClause): ParagraphChild[] => {
    if (c.part !== "op" && c.oldPart !== "op") return [];
    const oldNum = c.oldPart === "op" ? c.oldNum : null;
    const newNum = c.change === "deleted" ? null : c.part === "op" ? c.newNum : null;
    if (oldNum === newNum) return [new TextRun(`${newNum}\t`)];
    return [...(oldNum ? [change(oldNum, "delete")] : []), ...(newNum ? [change(newNum, "insert")] : []), new TextRun("\t")];
  };

  const children: Paragraph[] = [titleParagraph(trackedRuns(redline.title, (t, type) => change(t, type, true)))];
  for (const c of redline.clauses) {
    const part = c.change === "deleted" ? (c.oldPart ?? c.part) : c.part;
    const paragraph = new Paragraph({
      spacing: { after: 240 },
      indent: part === "op" ? { left: indent, hanging: indent } : { firstLine: indent },
      children: [
        ...numberRuns(c),
        ...tracked(c.diff),
        ...(c.moved ? [new TextRun({ text: ` [moved from ${c.oldLabel}]`, italics: true, color: "555555" })] : []),
      ],
    });
    children.push(paragraph);
  }
  return Packer.toBuffer(unDocument(children, { title: `${redline.newTitle} — changes`, draft: false }));
}
