import type { ReadingView } from "./readings";
import type { ClauseState, ProposalKind } from "./vocabulary";
import { wordDiff, type DiffSegment } from "./word-diff";

/** What the plenary screen is given besides the live text (server/screen/screen.ts decides what it may hold). */
export interface ScreenData {
  document: { id: string; title: string };
  provisional: string[];
  states: Record<string, ClauseState>;
  /** Clauses shown [in brackets]. */
  bracketed: string[];
  /**
   * The text the live edits are marked against: the latest named revision ("Rev.2"), which is the
   * text the room holds on paper (or the zero draft); each clause's text by its id.
   */
  reference: { name: string; texts: Record<string, string> } | null;
  /** Submitted proposals written under their clause: "OP5 alt", "Delete OP5", "OP5 bis"; sponsors only when shown. */
  alternatives: {
    id: string;
    clauseId: string | null;
    label: string;
    kind: ProposalKind;
    text: string | null;
    sponsors: string[] | null;
  }[];
  attributions: boolean;
  reading: ReadingView | null;
}

/**
 * A clause on the screen as it stands live, marked against the reference: words typed since are
 * insertions, words removed deletions; a clause the reference did not have is inserted whole.
 */
export function trackedChanges(reference: ScreenData["reference"], clauseId: string | null, live: string): DiffSegment[] {
  if (!reference) return [{ type: "equal", text: live }];
  const before = clauseId !== null ? reference.texts[clauseId] : undefined;
  if (before === undefined) return live ? [{ type: "insert", text: live }] : [];
  return wordDiff(before, live);
}
