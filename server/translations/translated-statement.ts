import type { JSONContent } from "@tiptap/core";
import type { Node as PMNode } from "@tiptap/pm/model";
import { statementSchema } from "../../app/statement/schema";
import { titleKey } from "./translations";

const hasText = (nodes: readonly JSONContent[]): boolean => nodes.some((n) => (n.text ?? "").trim() !== "" || hasText(n.content ?? []));

/**
 * The statement in another language: the original's structure, clause ids and so numbering, with
 * each clause's body (and the title) as translated. A clause not translated yet keeps the
 * original's words, so that the document stays whole and numbered alike in every language.
 */
export function translatedDoc(original: PMNode, translations: ReadonlyMap<string, { content: JSONContent[] }>): PMNode {
  const json = original.toJSON() as JSONContent;
  for (const part of json.content ?? []) {
    if (part.type === "title") {
      const title = translations.get(titleKey)?.content;
      // The title's translation is written as a paragraph; the title holds its inline content.
      if (title && hasText(title)) part.content = title.flatMap((p) => p.content ?? []);
      continue;
    }
    for (const clause of part.content ?? []) {
      const body = translations.get((clause.attrs as { id?: string } | undefined)?.id ?? "")?.content;
      if (body && hasText(body)) clause.content = body;
    }
  }
  return statementSchema.nodeFromJSON(json);
}
