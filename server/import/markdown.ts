import type { ImportedRun, SourceParagraph } from "./zero-draft";
import { readWrittenLabel } from "./written-labels";

/**
 * Paragraphs of a Markdown zero draft: "# Title", blank-line separated paragraphs, "1." / "1)"
 * numbered lines, "(a)", "a." and "-" items (indented or not). Emphasis: *…* or _…_ italic,
 * **…** or __…__ bold; backslash escapes are honoured (the exporter escapes "1." at the start of
 * a preambular clause so that it does not read as a number).
 */

/** Inline Markdown to runs: emphasis toggles, escapes kept literal. */
export function inlineRuns(s: string): ImportedRun[] {
  const runs: ImportedRun[] = [];
  let italic = false;
  let bold = false;
  let text = "";
  const flush = () => {
    if (text) runs.push({ text, ...(italic ? { italic: true } : {}), ...(bold ? { bold: true } : {}) });
    text = "";
  };
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "\\" && i + 1 < s.length && /[\\`*_{}[\]()#+\-.!>|]/.test(s[i + 1])) {
      text += s[++i];
    } else if ((c === "*" || c === "_") && s[i + 1] === c) {
      flush();
      bold = !bold;
      i++;
    } else if (c === "*" || (c === "_" && !/\w/.test(s[i - 1] ?? "") !== !/\w/.test(s[i + 1] ?? ""))) {
      // "_" inside a word (snake_case) is text, not emphasis.
      flush();
      italic = !italic;
    } else text += c;
  }
  flush();
  return runs;
}

const item = /^(?:\((?:[a-z]{1,3}|[ivxlc]{1,6})\)|[a-z][.)])\s+/i;
const bullet = /^[-*+•]\s+/;

/** Whether a line starts a paragraph of its own: a number or label ("2 bis.", "[5 alt]"), a sub-item or a bullet. */
function startsParagraph(body: string): boolean {
  // Emphasis around the label ("**5 alt.**") does not hide it.
  const bare = body.replace(/^[*_]+/, "");
  return readWrittenLabel(bare) !== null || item.test(bare) || bullet.test(body);
}

export function paragraphsFromMarkdown(source: string): SourceParagraph[] {
  const out: SourceParagraph[] = [];
  let current: { raw: string; p: Omit<SourceParagraph, "runs"> } | null = null;
  const close = () => {
    if (current) out.push({ ...current.p, runs: inlineRuns(current.raw) });
    current = null;
  };
  for (const line of source.replace(/\r\n?/g, "\n").split("\n")) {
    if (!line.trim()) {
      close();
      continue;
    }
    const indent = /^\s*/.exec(line)![0].replace(/\t/g, "    ").length;
    const body = line.trim();
    const heading = /^#{1,6}\s+(.*)$/.exec(body);
    if (heading) {
      close();
      current = { raw: heading[1].replace(/\s+#+$/, ""), p: { heading: true, marker: null } };
      close();
      continue;
    }
    const depth = indent >= 2 ? 1 : 0;
    if (startsParagraph(body)) {
      close();
      // The recogniser reads the number, label or marker off the text; "-" bullets are Markdown's own.
      const b = bullet.exec(body);
      current = b ? { raw: body.slice(b[0].length), p: { marker: "item", ordered: false, depth } } : { raw: body, p: { depth } };
      continue;
    }
    // A line that starts nothing new continues the paragraph (Markdown wraps paragraphs freely), or
    // starts one whose text is taken literally: "1\\. the costs" stays text once unescaped.
    if (current) current.raw += ` ${body}`;
    else current = { raw: body, p: { marker: null, depth: 0 } };
  }
  close();
  return out;
}
