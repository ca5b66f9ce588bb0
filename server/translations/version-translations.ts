import type { JSONContent } from "@tiptap/core";
import type { Db } from "../db/sql";
import { loadUpdatesOf } from "../queries/document-state";
import { findVersionTranslations, insertVersionTranslations, listTranslations } from "../queries/translations";
import { draftOf } from "../negotiation/statement";

/** A clause's translation as a version holds it: its body, and the original's text it was confirmed against. */
export interface HeldTranslation {
  content: JSONContent[];
  sourceText: string;
}

/**
 * A version holds every language: each translation's body as it is stored when the version is
 * taken, in the version's transaction. A statement never translated holds none.
 */
export async function captureTranslations(tx: Db, statementId: string, versionId: string): Promise<void> {
  const rows = await listTranslations(tx, statementId);
  if (rows.length === 0) return;
  const stored = await loadUpdatesOf(
    tx,
    rows.map((r) => r.textDocumentId),
  );
  const byLanguage = new Map<string, Record<string, HeldTranslation>>();
  for (const r of rows) {
    const held = byLanguage.get(r.language) ?? {};
    held[r.clauseKey] = { content: draftOf(stored.get(r.textDocumentId)!).content, sourceText: r.sourceText };
    byLanguage.set(r.language, held);
  }
  for (const [language, clauses] of byLanguage) await insertVersionTranslations(tx, versionId, language, clauses);
}

/** A version's translations into one language, by clause key; empty when it holds none. */
export async function versionTranslations(sql: Db, versionId: string, language: string): Promise<Map<string, HeldTranslation>> {
  return new Map(Object.entries((await findVersionTranslations<HeldTranslation>(sql, versionId, language)) ?? {}));
}
