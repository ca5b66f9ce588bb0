import { storedZip, unpackZip, type ZipLimits } from "./bounded-zip";
import type { SourceParagraph } from "./zero-draft";

/**
 * Paragraphs of a Word document, through mammoth's HTML (which keeps italics, bold, headings and
 * Word's own numbered lists). Headers and footers (page numbers, a "DRAFT" mark) are not part of
 * the body and are left out by mammoth.
 */

const entities: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };
const decode = (s: string) =>
  s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, e: string) =>
    e[0] === "#"
      ? String.fromCodePoint(e[1].toLowerCase() === "x" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10))
      : (entities[e] ?? m),
  );

/** mammoth writes a small, regular subset of HTML; this reads just that subset. */
export function paragraphsFromHtml(html: string): SourceParagraph[] {
  const out: SourceParagraph[] = [];
  const lists: ("ol" | "ul")[] = [];
  let current: SourceParagraph | null = null;
  let italic = 0;
  let bold = 0;
  const close = () => {
    if (current) out.push(current);
    current = null;
  };
  for (const m of html.matchAll(/<(\/?)([a-zA-Z0-9]+)[^>]*?(\/?)>|([^<]+)/g)) {
    const [, closing, rawTag, , text] = m;
    if (text !== undefined) {
      const t = decode(text);
      // Text outside any paragraph (rare) gets a paragraph of its own.
      current ??= { runs: [] };
      current.runs.push({ text: t, ...(italic ? { italic: true } : {}), ...(bold ? { bold: true } : {}) });
      continue;
    }
    const tag = rawTag.toLowerCase();
    if (tag === "em" || tag === "i") italic += closing ? -1 : 1;
    else if (tag === "strong" || tag === "b") bold += closing ? -1 : 1;
    else if (tag === "br") current?.runs.push({ text: " " });
    else if (tag === "ol" || tag === "ul") {
      close();
      if (closing) lists.pop();
      else lists.push(tag);
    } else if (tag === "li") {
      close();
      if (!closing) {
        const depth = lists.length - 1;
        const ordered = lists[lists.length - 1] === "ol";
        // A top-level numbered list in Word is the operative part; anything nested is a sub-item.
        current = { runs: [], depth, ordered, marker: depth === 0 && ordered ? "number" : "item" };
      }
    } else if (tag === "p" || /^h[1-6]$/.test(tag)) {
      // Paragraphs inside a list item belong to it (mammoth does not write these, other tools might).
      if (lists.length && current) continue;
      close();
      if (!closing) current = { runs: [], heading: tag[0] === "h" };
    }
    italic = Math.max(italic, 0);
    bold = Math.max(bold, 0);
  }
  close();
  return out;
}

/**
 * A zero draft's text is far below these (a statement has at most 1,000 clauses); a .docx over
 * them is refused (ZipRefused) before it is unpacked further.
 */
export const docxLimits: ZipLimits = { maxEntries: 1000, maxUnpackedBytes: 40 * 1024 * 1024 };

export async function paragraphsFromDocx(buffer: Buffer): Promise<SourceParagraph[]> {
  // mammoth unpacks whatever the archive holds; it is given a copy unpacked within the limits.
  const bounded = storedZip(await unpackZip(buffer, docxLimits));
  // Loaded by the first import, not by every server.
  const { default: mammoth } = await import("mammoth");
  const { value } = await mammoth.convertToHtml({ buffer: bounded }, { styleMap: ["p[style-name='Title'] => h1:fresh"] });
  return paragraphsFromHtml(value);
}
