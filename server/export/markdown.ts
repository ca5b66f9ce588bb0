import type { Block, ExportStatement, Run } from "./model";
import { annexTitle, explanationHeading, explanationNote, explanationsTitle } from "./adoption-annex";

/**
 * The statement as Markdown: "# Title", preambular clauses as paragraphs, operative clauses as
 * a numbered list with their final numbers, sub-items indented under them. Italics are *…*,
 * bold **…**. The zero-draft importer reads this back.
 */

/** Characters that would otherwise start emphasis or an escape; a paragraph that looks like a list item is escaped too. */
const escapeText = (s: string) => s.replace(/([\\*_`])/g, "\\$1");

function runsMd(runs: Run[]): string {
  return runs
    .map((r) => {
      if (r.break) return "  \n";
      // Emphasis markers must hug the text: spaces stay outside them.
      const m = /^(\s*)([\s\S]*?)(\s*)$/.exec(r.text)!;
      let t = escapeText(m[2]);
      if (!t) return r.text;
      if (r.bold) t = `**${t}**`;
      if (r.italic) t = `*${t}*`;
      return m[1] + t + m[3];
    })
    .join("");
}

const guardStart = (s: string) =>
  s
    .replace(/^(\d+)([.)])/, "$1\\$2")
    .replace(/^([#>+-])/, "\\$1")
    .replace(/^\((\w{1,4})\)/, "\\($1)");

function blocksMd(blocks: Block[], indent: string, first: boolean): string[] {
  const lines: string[] = [];
  blocks.forEach((b, i) => {
    if (b.kind === "paragraph") {
      const text = runsMd(b.runs);
      lines.push(i === 0 && first ? text : `${indent}${text}`);
    } else
      for (const item of b.items) {
        const [head, ...rest] = blocksMd(item.blocks, `${indent}    `, true);
        lines.push(`${indent}${item.marker} ${head ?? ""}`, ...rest);
      }
  });
  return lines;
}

export function statementMarkdown(statement: ExportStatement): string {
  const out: string[] = [`# ${runsMd(statement.titleRuns)}`, ""];
  if (!statement.final) out.push("**DRAFT**", "");
  for (const c of statement.preamble) {
    const [head, ...rest] = blocksMd(c.blocks, "    ", true);
    out.push(guardStart(head ?? ""), ...rest, "");
  }
  for (const c of statement.operative) {
    const [head, ...rest] = blocksMd(c.blocks, "    ", true);
    out.push(`${c.num} ${head ?? ""}`, ...rest, "");
  }
  if (statement.adoption) {
    const { line, explanations } = statement.adoption;
    out.push(`*${escapeText(line)}*`, "");
    if (explanations.length) out.push(`## ${annexTitle}: ${explanationsTitle}`, "");
    for (const e of explanations) {
      out.push(`### ${escapeText(explanationHeading(e))}`, "", `*${escapeText(explanationNote(e))}*`, "");
      for (const p of e.paragraphs) out.push(guardStart(escapeText(p)), "");
    }
  }
  return out.join("\n");
}
