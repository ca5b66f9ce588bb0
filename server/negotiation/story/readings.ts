import { clauseReadingOutcomes } from "../../queries/readings";
import type { StorySource } from "./entries";

/** How the chair marked the paragraph in each reading: readings are held in plenary, over the text, before everyone who sees it. */
export const readingHistorySource: StorySource = {
  name: "readings",
  sight: "text",
  async entries({ sql, document, clauseId }) {
    return (await clauseReadingOutcomes(sql, document.id, clauseId)).map((o) => ({
      kind: "reading" as const,
      at: o.markedAt.toISOString(),
      reading: o.readingNumber,
      outcome: o.outcome,
      by: o.markedByName,
    }));
  },
};
