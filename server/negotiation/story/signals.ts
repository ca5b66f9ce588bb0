import { clauseSignalsGiven } from "../../queries/story";
import type { StorySource } from "./entries";

/** Every delegation's signals on the clause as given (an alignment with its group as such). */
export const signalHistorySource: StorySource = {
  name: "signals",
  sight: "negotiation",
  async entries({ sql, document, clauseId }) {
    return (await clauseSignalsGiven(sql, document.id, clauseId)).map((s) => ({
      kind: "signal" as const,
      at: s.createdAt.toISOString(),
      signal: s.signal,
      delegation: s.delegationName,
      alignedWith: s.alignedWithCode,
      reason: s.reason,
      by: s.userName,
    }));
  },
};
