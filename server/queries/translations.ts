import type { Db } from "../db/sql";

/** A clause's translation into one language: its live drafting document and what it was confirmed against. */
export interface TranslationRow {
  statementId: string;
  language: string;
  /** The clause's id, or ":title" for the statement's title. */
  clauseKey: string;
  textDocumentId: string;
  /** The original's text when the translation was last confirmed as matching it. */
  sourceText: string;
  confirmedBy: string | null;
  confirmedAt: Date;
}

const columns = (sql: Db) =>
  sql`statement_id as "statementId", language, clause_key as "clauseKey", text_document_id as "textDocumentId",
      source_text as "sourceText", confirmed_by as "confirmedBy", confirmed_at as "confirmedAt"`;

export async function listTranslations(sql: Db, statementId: string, language?: string): Promise<TranslationRow[]> {
  return sql<TranslationRow[]>`
    select ${columns(sql)} from translations
    where statement_id = ${statementId} ${language ? sql`and language = ${language}` : sql``}`;
}

export async function findTranslation(sql: Db, statementId: string, language: string, clauseKey: string): Promise<TranslationRow | null> {
  const [row] = await sql<TranslationRow[]>`
    select ${columns(sql)} from translations
    where statement_id = ${statementId} and language = ${language} and clause_key = ${clauseKey}`;
  return row ?? null;
}

export async function findTranslationByTextDocument(sql: Db, textDocumentId: string): Promise<TranslationRow | null> {
  const [row] = await sql<TranslationRow[]>`select ${columns(sql)} from translations where text_document_id = ${textDocumentId}`;
  return row ?? null;
}

/** Records a new translation; false when one exists already (someone started it meanwhile). */
export async function insertTranslation(sql: Db, t: Omit<TranslationRow, "confirmedAt">): Promise<boolean> {
  const rows = await sql`
    insert into translations (statement_id, language, clause_key, text_document_id, source_text, confirmed_by)
    values (${t.statementId}, ${t.language}, ${t.clauseKey}, ${t.textDocumentId}, ${t.sourceText}, ${t.confirmedBy})
    on conflict do nothing returning 1`;
  return rows.length > 0;
}

export async function confirmTranslation(
  sql: Db,
  t: Pick<TranslationRow, "statementId" | "language" | "clauseKey" | "sourceText" | "confirmedBy">,
): Promise<void> {
  await sql`
    update translations set source_text = ${t.sourceText}, confirmed_by = ${t.confirmedBy}, confirmed_at = now()
    where statement_id = ${t.statementId} and language = ${t.language} and clause_key = ${t.clauseKey}`;
}

/** Sets the language a statement is negotiated in. */
export async function setOriginalLanguage(sql: Db, statementId: string, language: string): Promise<string | null> {
  const [row] = await sql<{ before: string }[]>`
    update documents d set original_language = ${language}
    from (select original_language from documents where id = ${statementId} for update) before
    where d.id = ${statementId} and before.original_language <> ${language}
    returning before.original_language as before`;
  return row?.before ?? null;
}

/** A version's translations into one language (clause key → what the version holds of it). */
export async function insertVersionTranslations(
  sql: Db,
  versionId: string,
  language: string,
  clauses: Record<string, unknown>,
): Promise<void> {
  await sql`insert into version_translations (version_id, language, clauses) values (${versionId}, ${language}, ${sql.json(clauses as never)})`;
}

export async function findVersionTranslations<T>(sql: Db, versionId: string, language: string): Promise<Record<string, T> | null> {
  const [row] = await sql<{ clauses: Record<string, T> }[]>`
    select clauses from version_translations where version_id = ${versionId} and language = ${language}`;
  return row?.clauses ?? null;
}
