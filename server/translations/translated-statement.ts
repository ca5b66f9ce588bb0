import type { JSONContent } from "@tiptap/core";
import type { Node as PMNode } from "@tiptap/pm/model";
import type { Db } from "../db/sql";
import type { NumberedStatement } from "../negotiation/numbering";
import { statementSchema } from "../../app/statement/schema";
import { listClauses } from "../../app/statement/numbering";
import { currentTranslations, titleKey } from "./translations";
import { versionTranslations } from "./version-translations";

type Bodies = ReadonlyMap<string, { content: JSONContent[] }>;

const hasText = (nodes: readonly JSONContent[]): boolean => nodes.some((n) => (n.text ?? "").trim() !== "" || hasText(n.content ?? []));

/**
 * The statement in another language: the original's structure, clause ids and so numbering, with
 * each clause's body (and the title) as translated. A clause not translated yet keeps the
 * original's words, so that the document stays whole and numbered alike in every language.
 */
export function translatedDoc(original: PMNode, translations: Bodies): { doc: PMNode; untranslated: Set<string> } {
  const untranslated = new Set<string>();
  const json = original.toJSON() as JSONContent;
  for (const part of json.content ?? []) {
    if (part.type === "title") {
      const title = translations.get(titleKey)?.content;
      // The title's translation is written as a paragraph; the title holds its inline content.
      if (title && hasText(title)) part.content = title.flatMap((p) => p.content ?? []);
      continue;
    }
    for (const clause of part.content ?? []) {
      const id = (clause.attrs as { id?: string } | undefined)?.id ?? "";
      const body = translations.get(id)?.content;
      if (body && hasText(body)) clause.content = body;
      else untranslated.add(id);
    }
  }
  return { doc: statementSchema.nodeFromJSON(json), untranslated };
}

/**
 * A numbered statement (the current text, or a version's: `versionId`) in a language: the
 * translations as they are now, or as the version holds them, and the clauses not translated yet.
 * Labels stay the original's.
 */
export async function inLanguage<S extends NumberedStatement>(
  sql: Db,
  statement: S,
  where: { statementId: string; versionId: string | null; language: string },
): Promise<S & { untranslated: ReadonlySet<string> }> {
  const translations: Bodies = where.versionId
    ? await versionTranslations(sql, where.versionId, where.language)
    : new Map([...(await currentTranslations(sql, where.statementId, where.language))].map(([key, t]) => [key, t.draft]));
  const { doc, untranslated } = translatedDoc(statement.doc, translations);
  return { ...statement, doc, clauses: listClauses(doc, statement.provisional), untranslated };
}
