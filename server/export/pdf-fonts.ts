import { existsSync } from "node:fs";
import type { Run } from "./model";

/**
 * The fonts a PDF is set in, by language. English, French and Spanish use the standard Times
 * fonts every PDF reader has (nothing embedded). Other scripts need fonts of their own, embedded
 * in the file (subset to the characters used): Debian's Noto fonts (`fonts-noto-core`,
 * `fonts-noto-cjk`), serif like Times. Arabic and Chinese are not set in italics; their italic and
 * bold italic are the upright faces.
 */
interface Face {
  /** A standard PDF font's name, or the file of one to embed. */
  src: string;
  /** The face inside a font collection (.ttc). */
  family?: string;
}

type Faces = Record<"regular" | "bold" | "italic" | "boldItalic", Face>;

const times: Faces = {
  regular: { src: "Times-Roman" },
  bold: { src: "Times-Bold" },
  italic: { src: "Times-Italic" },
  boldItalic: { src: "Times-BoldItalic" },
};

const noto = "/usr/share/fonts/truetype/noto";
const notoSerif: Faces = {
  regular: { src: `${noto}/NotoSerif-Regular.ttf` },
  bold: { src: `${noto}/NotoSerif-Bold.ttf` },
  italic: { src: `${noto}/NotoSerif-Italic.ttf` },
  boldItalic: { src: `${noto}/NotoSerif-BoldItalic.ttf` },
};
const naskh = { src: `${noto}/NotoNaskhArabic-Regular.ttf` };
const naskhBold = { src: `${noto}/NotoNaskhArabic-Bold.ttf` };
const cjk = "/usr/share/fonts/opentype/noto";
const serifSC = { src: `${cjk}/NotoSerifCJK-Regular.ttc`, family: "NotoSerifCJKsc-Regular" };
const serifSCBold = { src: `${cjk}/NotoSerifCJK-Bold.ttc`, family: "NotoSerifCJKsc-Bold" };

const byLanguage: Record<string, Faces> = {
  ru: notoSerif,
  az: notoSerif,
  ar: { regular: naskh, bold: naskhBold, italic: naskh, boldItalic: naskhBold },
  zh: { regular: serifSC, bold: serifSCBold, italic: serifSC, boldItalic: serifSCBold },
};

type Doc = PDFKit.PDFDocument;

/** Registers a language's fonts on a PDF; returns the font name for a run's style. */
export function pdfFonts(doc: Doc, language: string): (r: Pick<Run, "italic" | "bold">) => string {
  const faces = byLanguage[language] ?? times;
  const names = {} as Record<keyof Faces, string>;
  for (const [style, face] of Object.entries(faces) as [keyof Faces, Face][]) {
    if (!face.src.startsWith("/")) {
      names[style] = face.src;
      continue;
    }
    if (!existsSync(face.src))
      throw new Error(
        `The font ${face.src} is missing: install Debian's fonts-noto-core and fonts-noto-cjk to export this language as PDF.`,
      );
    names[style] = `concord-${language}-${style}`;
    if (face.family) doc.registerFont(names[style], face.src, face.family);
    else doc.registerFont(names[style], face.src);
  }
  return (r) => (r.bold && r.italic ? names.boldItalic : r.bold ? names.bold : r.italic ? names.italic : names.regular);
}
