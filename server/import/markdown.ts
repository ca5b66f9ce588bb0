import type { ImportedRun, SourceParagraph } from "./zero-draft";

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

const number = /^(\d{1,3})[.)]\s+/;
const item = /^(?:\((?:[a-z]{1,3}|[ivxlc]{1,6})\)|[a-z][.)])\s+/i;
const bullet = /^[-*+•]\s+/;

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
    const m = number.exec(body);
    if (m) {
      close();
      current = { raw: body.slice(m[0].length), p: { marker: depth ? "item" : "number", ordered: true, depth } };
      continue;
    }
    const it = item.exec(body) ?? bullet.exec(body);
    if (it) {
      close();
      current = { raw: body.slice(it[0].length), p: { marker: "item", ordered: !bullet.test(body), depth } };
      continue;
    }
    // A line that starts nothing new continues the paragraph (Markdown wraps paragraphs freely).
    if (current) current.raw += ` ${body}`;
    else current = { raw: body, p: { marker: null, depth: 0 } };
  }
  close();
  return out;
}
