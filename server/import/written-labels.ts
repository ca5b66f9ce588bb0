import type { Part } from "../../app/statement/numbering";

/**
 * What drafters type at the start of a paragraph of a zero draft, and the part headings they
 * put between the parts. Read from the text, so that typed numbers work in Markdown and in Word
 * alike (Word's automatic numbering comes from the list structure instead, see docx.ts).
 */

export interface WrittenLabel {
  /** "PP" or "OP" when written ("OP5 alt."). */
  part: Part | null;
  /** The clause number as written; null for a bare "Alt." (an alternative to the clause just before). */
  number: number | null;
  /** 0 for a plain number, 1 for "bis", 2 for "ter"…: a clause added after clause `number`. */
  ordinal: number;
  /** "5 alt.", "Alt 5", "[5 alt]": an alternative text for clause `number` (with `ordinal`: "2 bis alt."). */
  alternative: boolean;
  /** The label as the drafter wrote it, trimmed ("5 alt."), to name it in the preview's warnings. */
  written: string;
  /** How many characters of the paragraph it takes, with the space after it. */
  length: number;
}

const ordinalWords = ["bis", "ter", "quater", "quinquies", "sexies", "septies", "octies", "novies", "decies"];
const ordinal = `(${ordinalWords.join("|")})`;
const partPrefix = "(?:(PP|OP)\\s*)?";
const alt = "(alt(?:ernative)?)";

// "5", "OP5", "5 bis", "OP 5bis"
const clause = `${partPrefix}(\\d{1,3})(?:\\s*${ordinal})?`;
// Where a label ends: a period, colon or parenthesis, a tab or spaces, or the end of the paragraph.
const end = "(?:\\s*[.:)]\\s*|\\s+|$)";

const patterns: { re: RegExp; read: (m: RegExpExecArray) => Omit<WrittenLabel, "written" | "length"> }[] = [
  // "[5 alt]", "[5 alt.]", "[2 bis]", "[OP5 alt 2]"
  {
    re: new RegExp(`^\\[\\s*${clause}(?:\\s*${alt}\\.?(?:\\s*\\d{1,2})?)?\\s*\\.?\\s*\\]${end}`, "i"),
    read: (m) => label(m[1], m[2], m[3], !!m[4]),
  },
  // "Alt 5.", "Alt. OP5:", "[Alt 5]", "Alternative to OP5:", "Alt 2 bis"
  {
    re: new RegExp(`^\\[?\\s*${alt}\\.?\\s*(?:to\\s+)?${clause}\\s*\\]?${end}`, "i"),
    read: (m) => label(m[2], m[3], m[4], true),
  },
  // "5 alt.", "OP5 alt 1:", "5alt", "2 bis alt."
  {
    re: new RegExp(`^${clause}\\s*${alt}\\.?(?:\\s*\\d{1,2})?${end}`, "i"),
    read: (m) => label(m[1], m[2], m[3], true),
  },
  // "2 bis.", "2bis", "OP2 ter:" (a Latin ordinal is distinctive enough to need no period)
  {
    re: new RegExp(`^${partPrefix}(\\d{1,3})\\s*${ordinal}${end}`, "i"),
    read: (m) => label(m[1], m[2], m[3], false),
  },
  // "5.", "5)", "OP5.", "OP5 " (a bare number needs its period or parenthesis: "10 States" is text)
  {
    re: /^(?:(?:(PP|OP)\s*(\d{1,3})(?:\s*[.:)]\s*|\s+|$))|(?:(\d{1,3})\s*[.)](?:\s+|$)))/i,
    read: (m) => label(m[1], m[2] ?? m[3], undefined, false),
  },
  // A bare "Alt.", "Alt:", "[Alt]", "Alternative:": an alternative to the clause just before.
  {
    re: /^(?:\[\s*alt(?:ernative)?\.?\s*\]|alt(?:ernative)?\s*[.:])\s*/i,
    read: () => ({ part: null, number: null, ordinal: 0, alternative: true }),
  },
];

function label(part: string | undefined, number: string, ord: string | undefined, alternative: boolean) {
  return {
    part: part ? (part.toLowerCase() as Part) : null,
    number: Number(number),
    ordinal: ord ? ordinalWords.indexOf(ord.toLowerCase()) + 1 : 0,
    alternative,
  };
}

/** The label a paragraph's text starts with, or null. */
export function readWrittenLabel(text: string): WrittenLabel | null {
  for (const { re, read } of patterns) {
    const m = re.exec(text);
    if (m) return { ...read(m), written: m[0].trim(), length: m[0].length };
  }
  return null;
}

// "Preamble", "Preambular part", "OPERATIVE PARAGRAPHS:", "I. Preamble", "Part II – Operative part"
const partHeading =
  /^(?:part\s+)?(?:[ivx]{1,4}|[a-d]|\d{1,2})?\s*[.):–—-]?\s*(preamb(?:le|ular)|operative)(?:\s+(?:part|paragraphs?|section|clauses|provisions))?\s*[.:]?$/i;

/** The part a heading names, when it is one of the two part headings. */
export function partOfHeading(text: string): Part | null {
  const m = partHeading.exec(text.trim());
  if (!m) return null;
  return m[1].toLowerCase().startsWith("preamb") ? "pp" : "op";
}

// "Annex", "ANNEX I", "Annex: Explanations of position", "Explanations of position" (as a heading).
const annexHeading = /^(?:annex(?:\s+(?:[ivx]{1,5}|\d{1,2}|[a-z]))?\b|explanations? of (?:position|vote)\b)/i;
// The line an adopted text ends with: "Adopted by consensus at …", "Adopted by silence procedure ending …".
const adoptionLine = /^adopted\s+(?:by|at|on|without)\s/i;

/**
 * Whether a paragraph, not labelled as a clause, ends the statement: an annex heading (a bare
 * "Annex"/"Annex I" line, or any heading that starts so) or an adopted text's adoption line. What
 * follows it (an annex, explanations of position) is not part of the statement's text.
 */
export function endsStatement(text: string, asHeading: boolean): boolean {
  const t = text.trim();
  if (adoptionLine.test(t)) return true;
  if (!annexHeading.test(t)) return false;
  return asHeading || /^annex(?:\s+(?:[ivx]{1,5}|\d{1,2}|[a-z]))?\s*[.:]?$/i.test(t);
}
