import type { ConferenceRow } from "../queries/conferences";
import type { DocumentRow } from "../queries/documents";
import { dateInZone } from "../../app/statement/adoption-line";
import { distributionLabels, documentSymbol, revisionNumber } from "../../app/statement/document-symbol";
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
  /** "Distr.: Limited". */
  distribution: string;
  /** "12 May 2026", the day of the text. */
  date: string;
}

export interface TitleBlockInput {
  conference: Pick<ConferenceRow, "title" | "venue" | "symbolPrefix" | "startsOn" | "endsOn">;
  document: Pick<DocumentRow, "symbol" | "addendum" | "distribution">;
  /** The version's name: "Rev.2" makes the symbol "…/Rev.2". */
  version: string;
  at: Date;
}

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
  return {
    conference: conference.title,
    venueAndDates: [conference.venue, conferenceDates(conference.startsOn, conference.endsOn)].filter(Boolean).join(", "),
    symbol: symbolOf(input),
    distribution: `Distr.: ${distributionLabels[document.distribution]}`,
    date: dateInZone(input.at, "UTC"),
  };
}

/** "Original: English". */
export const originalLine = (originalLanguage: string) => `Original: ${languageOf(originalLanguage).name}`;
