/**
 * The languages a conference may work in: the six official languages of the United Nations and
 * those host conferences commonly add. One list for the pages, the server, the exports and the
 * database's checks, so a language is named, written and tagged the same way everywhere.
 */

export interface Language {
  /** ISO 639-1, as HTML's `lang`, Word's `w:lang` and the URLs use it. */
  code: string;
  /** ISO 639-2/B-style three letters, as AKN4UN names expressions ("eng", "fra", "zho"). */
  iso6392: string;
  /** The language's name in English, as UN documents print it ("Original: English"). */
  name: string;
  /** The language's own name, for those who read it. */
  native: string;
  /** Right to left (Arabic): paragraphs are set right to left in every export and view. */
  rtl: boolean;
  /**
   * Whether its drafting italicises a clause's opening words ("Call upon", "Demande"); Arabic and
   * Chinese texts are not set in italics, so their clauses keep only what the translator wrote.
   */
  italicOpening: boolean;
}

export const languages: readonly Language[] = [
  { code: "en", iso6392: "eng", name: "English", native: "English", rtl: false, italicOpening: true },
  { code: "fr", iso6392: "fra", name: "French", native: "Français", rtl: false, italicOpening: true },
  { code: "es", iso6392: "spa", name: "Spanish", native: "Español", rtl: false, italicOpening: true },
  { code: "ru", iso6392: "rus", name: "Russian", native: "Русский", rtl: false, italicOpening: true },
  { code: "ar", iso6392: "ara", name: "Arabic", native: "العربية", rtl: true, italicOpening: false },
  { code: "zh", iso6392: "zho", name: "Chinese", native: "中文", rtl: false, italicOpening: false },
  { code: "az", iso6392: "aze", name: "Azerbaijani", native: "Azərbaycanca", rtl: false, italicOpening: true },
];

export const languageCodes: readonly string[] = languages.map((l) => l.code);

/** The language of a statement written before languages were chosen, and of a new conference. */
export const defaultLanguage = "en";

export function languageOf(code: string): Language {
  const language = languages.find((l) => l.code === code);
  if (!language) throw new Error(`Unknown language: ${code}`);
  return language;
}

export const isLanguageCode = (value: unknown): value is string => typeof value === "string" && languageCodes.includes(value);
