import type { JSONContent } from "@tiptap/core";
import { newClauseId } from "./clause-id";

/** A new statement: its title and one empty clause in each part, ready to be written. */
export function emptyStatement(title: string): JSONContent {
  const clause = (): JSONContent => ({ type: "clause", attrs: { id: newClauseId() }, content: [{ type: "paragraph" }] });
  return {
    type: "doc",
    content: [
      { type: "title", content: title ? [{ type: "text", text: title }] : [] },
      { type: "preamble", content: [clause()] },
      { type: "operative", content: [clause()] },
    ],
  };
}
