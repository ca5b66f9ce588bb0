import { clauseBreakoutStory } from "../../breakouts/breakout-views";
import type { BreakoutEntry, StorySource } from "./entries";

/**
 * The breakouts the paragraph was in, as far as the viewer may see them (a closed one to its
 * participants only): when it went there, and its package's submission and decision. Which text
 * an accepted package gave the paragraph is told by the text's own entry at that moment.
 */
export const breakoutHistorySource: StorySource = {
  name: "breakouts",
  sight: "negotiation",
  async entries({ sql, document, clauseId, viewer, conference }) {
    const entries: BreakoutEntry[] = [];
    for (const b of await clauseBreakoutStory(sql, document.id, clauseId, viewer, conference)) {
      const breakout = { id: b.breakoutId, name: b.name, facilitator: b.facilitatorName };
      entries.push({ kind: "breakout", at: b.createdAt.toISOString(), event: "assigned", breakout, text: null });
      const p = b.package;
      if (!p) continue;
      const submitted = new Date(p.submittedAt).toISOString();
      entries.push({ kind: "breakout", at: submitted, event: "package_submitted", breakout, text: { text: p.text, baseText: p.baseText } });
      if (p.status !== "submitted" && p.decidedAt) {
        entries.push({ kind: "breakout", at: new Date(p.decidedAt).toISOString(), event: `package_${p.status}`, breakout, text: null });
      }
    }
    return entries;
  },
};
