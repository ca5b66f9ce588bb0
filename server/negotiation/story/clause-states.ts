import { clauseStateChanges } from "../../queries/story";
import type { StorySource } from "./entries";

/** The clause's states as the chair set them (or an adoption did), with the reasons given. */
export const stateHistorySource: StorySource = {
  name: "states",
  // The state a clause is in shows on the text; its history, with the chair's reasons, is the negotiation's (as on the statement page).
  sight: "negotiation",
  async entries({ sql, document, clauseId }) {
    return (await clauseStateChanges(sql, document.id, clauseId)).map((s) => ({
      kind: "state" as const,
      at: s.createdAt.toISOString(),
      state: s.state,
      reason: s.reason,
      by: s.userName,
    }));
  },
};
