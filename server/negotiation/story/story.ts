import { textHistory } from "./text-history";
import { proposalHistorySource } from "./proposals";
import { stateHistorySource } from "./clause-states";
import { signalHistorySource } from "./signals";
import { commentHistorySource } from "./comments";
import { readingHistorySource } from "./readings";
import { breakoutHistorySource } from "./breakouts";
import type { StoryContext, StoryEntry, StorySource, TextEntry } from "./entries";

/**
 * Every source of a paragraph's story, in the order entries of the same moment are told (one
 * transaction stamps them alike): the text first (a zero draft before the alternatives tabled
 * with it; a text saying which accepted proposal or restore made it before that decision's other
 * entries), then the rest.
 */
export const storySources: readonly StorySource[] = [
  textHistory,
  proposalHistorySource,
  stateHistorySource,
  signalHistorySource,
  commentHistorySource,
  readingHistorySource,
  breakoutHistorySource,
];

/** Entries per page: a long negotiation's paragraph can have hundreds. */
export const storyPageSize = 100;

export interface StoryPage {
  entries: StoryEntry[];
  /** 1-based; the last page holds the newest entries. */
  page: number;
  pages: number;
  total: number;
  /** The clause's newest text of the whole story (its label, and whether it is still in the statement); null when it never was in a text. */
  latest: TextEntry | null;
}

/**
 * The clause's story as this reader may read it: the sources their sight allows, merged
 * (`mergeStory`), one page of it. Without a page, the last one: what happened most recently.
 */
export async function readStory(ctx: StoryContext, page: number | null): Promise<StoryPage> {
  const allowed = storySources.filter((s) => ctx.sight === "negotiation" || s.sight === "text");
  return mergeStory(await Promise.all(allowed.map((s) => s.entries(ctx))), page);
}

/**
 * Each source's entries (in the sources' order) merged in time order, ties in the order of the
 * sources and then of each source's own; the page asked for (the last without one, the nearest
 * when out of range).
 */
export function mergeStory(told: readonly StoryEntry[][], page: number | null): StoryPage {
  const ranked = told.flatMap((entries, source) => entries.map((entry, i) => ({ entry, source, i })));
  ranked.sort((a, b) => (a.entry.at < b.entry.at ? -1 : a.entry.at > b.entry.at ? 1 : a.source - b.source || a.i - b.i));
  const total = ranked.length;
  const texts = ranked.flatMap((r) => (r.entry.kind === "text" ? [r.entry] : []));
  const pages = Math.max(1, Math.ceil(total / storyPageSize));
  const shown = Math.min(Math.max(1, page ?? pages), pages);
  return {
    entries: ranked.slice((shown - 1) * storyPageSize, shown * storyPageSize).map((r) => r.entry),
    page: shown,
    pages,
    total,
    latest: texts.at(-1) ?? null,
  };
}
