import type { Db } from "../../db/sql";
import type { DocumentRow } from "../../queries/documents";
import type { Sight } from "../../auth/visibility";
import type { Actor } from "../actor";
import type { ConferenceRow } from "../../queries/conferences";
import type { ClauseState, GivenSignal, ProposalEventKind, ProposalKind } from "../../../app/statement/vocabulary";
import type { ReadingOutcome } from "../../../app/statement/readings";

/**
 * A paragraph's story: everything that happened to one clause (by its stable id), in order, each
 * fact with who and when. It is a merge of sources, each a small function from the clause to its
 * dated entries (`StorySource`); a new kind of fact (readings, breakout packages) is one more
 * entry kind below and one more source in server/negotiation/story/story.ts.
 */

/** Where a text of the clause came from. */
export type TextOrigin =
  /** The statement's first version: its zero draft, created or imported. */
  | { type: "first" }
  /** An accepted proposal (for those who see the negotiation); `merged`: the proposals a chair's compromise replaced. */
  | { type: "proposal"; number: number; sponsor: string | null; merged: number[] }
  /**
   * A breakout's package the chair accepted (proposal `number`): the breakout, and its facilitator
   * and id (for a link) when the viewer may see the breakout (a closed one: its participants).
   */
  | { type: "package"; number: number; breakout: string; breakoutId: string | null; facilitator: string | null }
  /** The chair brought back an earlier version. */
  | { type: "restore"; from: string }
  /**
   * Typed in the statement by the pen holders, between two versions (or since the last one):
   * `writers` wrote the words that are new (Yjs records who inserted, not who deleted). For those
   * who see the text only, a change an accepted proposal made is told this way too, without writers.
   */
  | { type: "edit"; writers: string[] };

interface Dated {
  /** ISO time; entries are merged in this order. */
  at: string;
}

export interface TextEntry extends Dated {
  kind: "text";
  /** The clause's label in that text ("OP5", "OP2 bis"); its last one when it was removed. */
  label: string;
  /** null when the clause is no longer in the text. */
  text: string | null;
  /** The text before (null: the clause did not exist), for the word diff. */
  before: string | null;
  origin: TextOrigin;
  /** The version holding this text; null for the statement as it stands (changed since its newest version). */
  version: { id: string; number: number; label: string } | null;
}

export interface ProposalEntry extends Dated {
  kind: "proposal";
  event: ProposalEventKind;
  proposal: { id: string; number: number; kind: ProposalKind; sponsor: string | null };
  by: string;
  reason: string;
  /** For a submission or revision of a text (to replace or add a clause): its text and the clause text it was drafted against. */
  revision: { number: number; text: string; baseText: string } | null;
  /** For "merged": the compromise it went into. */
  mergedInto: number | null;
}

export interface StateEntry extends Dated {
  kind: "state";
  state: ClauseState;
  reason: string;
  /** null: set by the system (a silence procedure that passed). */
  by: string | null;
}

export interface SignalEntry extends Dated {
  kind: "signal";
  signal: GivenSignal;
  delegation: string;
  alignedWith: string | null;
  reason: string;
  by: string;
}

export interface CommentEntry extends Dated {
  kind: "comment";
  threadId: string;
  reply: boolean;
  body: string;
  quote: string | null;
  by: string;
  affiliation: string;
}

export interface ThreadEntry extends Dated {
  kind: "thread";
  threadId: string;
  change: "resolved" | "reopened" | "pinned" | "unpinned";
  by: string;
}

/** The chair marked the paragraph in a first or second reading (server/readings/). */
export interface ReadingEntry extends Dated {
  kind: "reading";
  reading: 1 | 2;
  outcome: ReadingOutcome;
  by: string;
}

/** The paragraph went to a breakout, or the breakout's package on it was submitted or decided (server/breakouts/). */
export interface BreakoutEntry extends Dated {
  kind: "breakout";
  /** Its package, a proposal, is told by the proposals' entries; the text it gave, by the text's. */
  event: "assigned";
  breakout: { id: string; name: string; facilitator: string };
}

export type StoryEntry = TextEntry | ProposalEntry | StateEntry | SignalEntry | CommentEntry | ThreadEntry | ReadingEntry | BreakoutEntry;

/** Who reads the story, and the clause. */
export interface StoryContext {
  sql: Db;
  document: Pick<DocumentRow, "id" | "adoptedAt">;
  clauseId: string;
  viewer: Actor;
  sight: Exclude<Sight, "none">;
  /** Its confidentiality, for what the viewer may see of breakouts. */
  conference: Pick<ConferenceRow, "confidentiality">;
}

export interface StorySource {
  name: string;
  /**
   * Who may read what it tells: "text" for everyone who sees the statement (its texts and
   * versions), "negotiation" for those who see the negotiation. A source tells a "text" viewer
   * nothing more than the text's own pages do (the text source leaves out which proposal a change came from).
   */
  sight: "text" | "negotiation";
  entries(ctx: StoryContext): Promise<StoryEntry[]>;
}
