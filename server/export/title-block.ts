import type { ConferenceRow } from "../queries/conferences";
import type { DocumentRow } from "../queries/documents";
import { dateInZone } from "../../app/statement/adoption-line";
import { documentSymbol, revisionNumber, type Distribution } from "../../app/statement/document-symbol";
import { languageOf } from "../../app/statement/languages";

/**
 * What a UN document prints above its title: on the left the conference and its venue and dates,
 * on the right the symbol ("IMAC4/2026/L.1/Rev.1"), the distribution, the date of the text and the
 * language it was written in ("Original: English").
 */
export interface TitleBlock {
  conference: string;
  /** "Baku, 12–15 May 2026"; "" when neither is set. */
  venueAndDates: string;
  /** "" when the conference has no prefix and the statement no symbol. */
  symbol: string;
  /** "Distr.: Limited"; "Distr. limitée" in French. */
  distribution: string;
  /** "12 May 2026", the day of the text; "12 mai 2026" in French. */
  date: string;
  /** "Original: English"; a translation names its language first ("Français", "Original : anglais"). */
  languageLines: string[];
}

export interface TitleBlockInput {
  conference: Pick<ConferenceRow, "title" | "venue" | "symbolPrefix" | "startsOn" | "endsOn">;
  document: Pick<DocumentRow, "symbol" | "addendum" | "distribution">;
  /** The version's name: "Rev.2" makes the symbol "…/Rev.2". */
  version: string;
  at: Date;
  /** The text's language and the statement's original one (ISO 639-1). */
  language: string;
  original: string;
}

/**
 * The title block's words in a document's language. The United Nations prints them in French and
 * Spanish in those languages ("Distr. limitée", "Original : anglais"); its Arabic, Chinese and
 * Russian documents keep them in English, naming the document's language above "Original".
 */
interface BlockWords {
  distribution: Record<Distribution, string>;
  /** The language's own name, on a translation. */
  self: string;
  original: (language: string) => string;
  locale: string;
}

const names = (byCode: Record<string, string>) => (code: string) => byCode[code] ?? languageOf(code).name;
const english: BlockWords = {
  distribution: { general: "Distr.: General", limited: "Distr.: Limited" },
  self: "",
  original: (code) => `Original: ${languageOf(code).name}`,
  locale: "en-GB",
};
const frenchName = names({ en: "anglais", fr: "français", es: "espagnol", ru: "russe", ar: "arabe", zh: "chinois", az: "azerbaïdjanais" });
const spanishName = names({ en: "inglés", fr: "francés", es: "español", ru: "ruso", ar: "árabe", zh: "chino", az: "azerbaiyano" });
const blockWords: Record<string, BlockWords> = {
  fr: {
    distribution: { general: "Distr. générale", limited: "Distr. limitée" },
    self: "Français",
    original: (code) => `Original : ${frenchName(code)}`,
    locale: "fr",
  },
  es: {
    distribution: { general: "Distr. general", limited: "Distr. limitada" },
    self: "Español",
    original: (code) => `Original: ${spanishName(code)}`,
    locale: "es",
  },
};
const wordsOf = (language: string): BlockWords => blockWords[language] ?? { ...english, self: languageOf(language).name };

/** The day of the text as the document's language writes it: "12 May 2026", "12 mai 2026", "12 de mayo de 2026". */
const dayIn = (at: Date, locale: string) =>
  new Intl.DateTimeFormat(locale, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(at);

const day = (iso: string) => new Date(`${iso}T12:00:00Z`);
const parts = (iso: string) => {
  const [d, m, y] = dateInZone(day(iso), "UTC").split(" ");
  return { d, m, y };
};

/** "12–15 May 2026", "30 May–2 June 2026", "30 December 2026–2 January 2027", or the one day. */
export function conferenceDates(startsOn: string | null, endsOn: string | null): string {
  const first = startsOn ?? endsOn;
  const last = endsOn ?? startsOn;
  if (!first || !last) return "";
  const a = parts(first);
  const b = parts(last);
  if (first === last) return `${a.d} ${a.m} ${a.y}`;
  if (a.y !== b.y) return `${a.d} ${a.m} ${a.y}–${b.d} ${b.m} ${b.y}`;
  if (a.m !== b.m) return `${a.d} ${a.m}–${b.d} ${b.m} ${b.y}`;
  return `${a.d}–${b.d} ${b.m} ${b.y}`;
}

/** The symbol of a statement as of one of its versions: "/Rev.N" when it is the Nth named revision. */
export function symbolOf(input: Pick<TitleBlockInput, "conference" | "document" | "version">): string {
  return documentSymbol({
    prefix: input.conference.symbolPrefix,
    part: input.document.symbol,
    addendum: input.document.addendum,
    revision: revisionNumber(input.version),
  });
}

export function titleBlock(input: TitleBlockInput): TitleBlock {
  const { conference, document } = input;
  const words = wordsOf(input.language);
  return {
    conference: conference.title,
    venueAndDates: [conference.venue, conferenceDates(conference.startsOn, conference.endsOn)].filter(Boolean).join(", "),
    symbol: symbolOf(input),
    distribution: words.distribution[document.distribution],
    date: dayIn(input.at, words.locale),
    languageLines: [...(input.language === input.original ? [] : [words.self]), words.original(input.original)],
  };
}
