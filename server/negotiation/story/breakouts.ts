import { clauseBreakoutStory } from "../../breakouts/breakout-views";
import type { BreakoutEntry, StorySource } from "./entries";

/**
 * The breakouts the paragraph was in, as far as the viewer may see them (a closed one to its
 * participants only): when it went there. Its package is a proposal, told with the others
 * (server/negotiation/story/proposals.ts); the text an accepted package gave the paragraph, by the
 * text's own entry at that moment ("breakout package").
 */
export const breakoutHistorySource: StorySource = {
  name: "breakouts",
  sight: "negotiation",
  async entries({ sql, document, clauseId, viewer, conference }) {
    const entries: BreakoutEntry[] = [];
    for (const b of await clauseBreakoutStory(sql, document.id, clauseId, viewer, conference)) {
      const breakout = { id: b.breakoutId, name: b.name, facilitator: b.facilitatorName };
      entries.push({ kind: "breakout", at: b.createdAt.toISOString(), event: "assigned", breakout });
    }
    return entries;
  },
};
