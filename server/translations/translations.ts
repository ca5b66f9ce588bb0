import type { JSONContent } from "@tiptap/core";
import type { Db, Sql } from "../db/sql";
import type { Access } from "../auth/permissions";
import type { ConferenceRow } from "../queries/conferences";
import type { DocumentRow } from "../queries/documents";
import { loadUpdatesOf } from "../queries/document-state";
import {
  confirmTranslation,
  findTranslation,
  insertTranslation,
  listTranslations,
  setOriginalLanguage,
  type TranslationRow,
} from "../queries/translations";
import { appendAudit } from "../audit/log";
import { currentStatement, type NumberedStatement } from "../negotiation/numbering";
import { createDraft, draftOf, type Draft } from "../negotiation/statement";
import { refuse } from "../negotiation/refusal";
import { wordDiff, type DiffSegment } from "../../app/statement/word-diff";
import { isLanguageCode, languageOf } from "../../app/statement/languages";

/**
 * A statement in the conference's other languages. Each clause (and the title) of the original is
 * translated on its own, keyed by the clause's stable id, so that numbering, "bis" labels and
 * structure always come from the original and are never typed: a translation cannot add, drop or
 * move a clause. A translation's text is a live drafting document (the body of one clause) that
 * the language's translators co-edit; what it was last confirmed against tells whether the
 * original has changed since.
 */

/** The statement's title, translated like a clause; no clause id can be it. */
export const titleKey = ":title";

export type TranslationStatus = "up_to_date" | "out_of_date" | "missing";

/** One unit of the original (its title or a clause), in order, as the translation follows it. */
export interface OriginalUnit {
  key: string;
  /** "Title", "PP1", "OP5 bis": the original's numbering. */
  label: string;
  text: string;
  content: JSONContent[];
}

export interface TranslatedUnit extends OriginalUnit {
  status: TranslationStatus;
  translation: {
    textDocumentId: string;
    content: JSONContent[];
    text: string;
    confirmedAt: Date;
  } | null;
  /** Out of date: what changed in the original since the translation was confirmed, word by word. */
  changes: DiffSegment[] | null;
}

export interface Progress {
  language: string;
  upToDate: number;
  outOfDate: number;
  missing: number;
}

/** Who may write a language's translations: its translators, and the secretariat. */
export function mayTranslate(access: Pick<Access, "role" | "language">, language: string): boolean {
  return access.role === "secretariat" || (access.role === "translator" && access.language === language);
}

/** The languages a statement is translated into: the conference's, but its original. */
export const targetLanguages = (conference: Pick<ConferenceRow, "languages">, statement: Pick<DocumentRow, "originalLanguage">) =>
  conference.languages.filter((l) => l !== statement.originalLanguage);

export function originalUnits({ doc, clauses }: NumberedStatement): OriginalUnit[] {
  const title = doc.firstChild!;
  // A title's body is a paragraph in its translation: the translated title is written like any text.
  const units: OriginalUnit[] = [
    {
      key: titleKey,
      label: "Title",
      text: title.textContent,
      content: title.childCount ? [{ type: "paragraph", content: (title.toJSON() as JSONContent).content }] : [],
    },
  ];
  for (const c of clauses) {
    if (!c.id) continue;
    units.push({ key: c.id, label: c.label, text: c.text, content: doc.nodeAt(c.pos)!.content.toJSON() as JSONContent[] });
  }
  return units;
}

function statusOf(unit: OriginalUnit, row: TranslationRow | undefined, text: string | undefined): TranslationStatus {
  if (!row || !text?.trim()) return "missing";
  return row.sourceText === unit.text ? "up_to_date" : "out_of_date";
}

/** A statement's translations into one language as stored now, by clause key. */
export async function currentTranslations(
  sql: Db,
  statementId: string,
  language: string,
): Promise<Map<string, { row: TranslationRow; draft: Draft }>> {
  const rows = await listTranslations(sql, statementId, language);
  const stored = await loadUpdatesOf(
    sql,
    rows.map((r) => r.textDocumentId),
  );
  return new Map(rows.map((row) => [row.clauseKey, { row, draft: draftOf(stored.get(row.textDocumentId)!) }]));
}

/** The translations of a statement into one language, clause by clause in the original's order. */
export async function readTranslation(sql: Db, statement: NumberedStatement, statementId: string, language: string) {
  const translations = await currentTranslations(sql, statementId, language);
  return originalUnits(statement).map((unit): TranslatedUnit => {
    const { row, draft } = translations.get(unit.key) ?? {};
    const status = statusOf(unit, row, draft?.text);
    return {
      ...unit,
      status,
      translation:
        row && draft
          ? { textDocumentId: row.textDocumentId, content: draft.content, text: draft.text, confirmedAt: row.confirmedAt }
          : null,
      changes: status === "out_of_date" ? wordDiff(row!.sourceText, unit.text) : null,
    };
  });
}

export function progressOf(language: string, units: readonly Pick<TranslatedUnit, "status">[]): Progress {
  const count = (s: TranslationStatus) => units.filter((u) => u.status === s).length;
  return { language, upToDate: count("up_to_date"), outOfDate: count("out_of_date"), missing: count("missing") };
}

/** Each target language's progress on a statement, from one read of the original. */
export async function translationProgress(
  sql: Db,
  conference: Pick<ConferenceRow, "languages">,
  statement: Pick<DocumentRow, "id" | "originalLanguage">,
): Promise<Progress[]> {
  const targets = targetLanguages(conference, statement);
  if (targets.length === 0) return [];
  const original = await currentStatement(sql, statement.id);
  return Promise.all(targets.map(async (l) => progressOf(l, await readTranslation(sql, original, statement.id, l))));
}

/** Refuses whoever may not write a statement's translations into this language, and a language it is not translated into. */
export function assertMayTranslate(
  conference: Pick<ConferenceRow, "languages">,
  statement: Pick<DocumentRow, "originalLanguage">,
  access: Pick<Access, "role" | "language">,
  language: string,
): void {
  assertTarget(conference, statement, language);
  assertMayWrite(access, language);
}

function assertTarget(conference: Pick<ConferenceRow, "languages">, statement: Pick<DocumentRow, "originalLanguage">, language: string) {
  if (!isLanguageCode(language) || !conference.languages.includes(language)) refuse(404, "This conference does not work in that language.");
  if (language === statement.originalLanguage) refuse(400, "That is the statement's original language: it is not translated.");
}

function assertMayWrite(access: Pick<Access, "role" | "language">, language: string) {
  if (!mayTranslate(access, language))
    refuse(403, `Only the secretariat and the ${languageOf(language).name} translators write this translation.`);
}

async function originalUnit(sql: Db, statementId: string, key: string): Promise<OriginalUnit> {
  const unit = originalUnits(await currentStatement(sql, statementId)).find((u) => u.key === key);
  return unit ?? refuse(404, "There is no such clause in this statement.");
}

/**
 * Starts the translation of a clause (or the title) into a language: an empty text, confirmed
 * against the original as it is now (the translator translates what they see). Starting one
 * that exists is no change.
 */
export async function startTranslation(
  sql: Sql,
  access: Access,
  conference: ConferenceRow,
  statement: DocumentRow,
  language: string,
  key: string,
): Promise<TranslationRow> {
  assertMayTranslate(conference, statement, access, language);
  const existing = await findTranslation(sql, statement.id, language, key);
  if (existing) return existing;
  const unit = await originalUnit(sql, statement.id, key);
  await sql.begin(async (tx) => {
    const draft = await createDraft(tx, {
      conferenceId: conference.id,
      title: `${statement.title} (${languageOf(language).name}) ${unit.label}`,
      content: [{ type: "paragraph" }],
      kind: "translation",
    });
    await insertTranslation(tx, {
      statementId: statement.id,
      language,
      clauseKey: key,
      textDocumentId: draft.id,
      sourceText: unit.text,
      confirmedBy: access.userId,
    });
  });
  return (await findTranslation(sql, statement.id, language, key))!;
}

/** The translator confirms that a translation matches the original as it is now. */
export async function confirmUpToDate(
  sql: Sql,
  access: Access,
  conference: ConferenceRow,
  statement: DocumentRow,
  language: string,
  key: string,
): Promise<void> {
  assertMayTranslate(conference, statement, access, language);
  if (!(await findTranslation(sql, statement.id, language, key))) refuse(404, "This clause has no translation yet.");
  const unit = await originalUnit(sql, statement.id, key);
  await confirmTranslation(sql, { statementId: statement.id, language, clauseKey: key, sourceText: unit.text, confirmedBy: access.userId });
}

/** The secretariat sets the language a statement is negotiated in, one of the conference's; audited. */
export async function changeOriginalLanguage(
  sql: Sql,
  access: Access,
  conference: ConferenceRow,
  statement: DocumentRow,
  language: string,
): Promise<void> {
  if (access.role !== "secretariat") refuse(403, "Only the secretariat sets a statement's original language.");
  if (!isLanguageCode(language) || !conference.languages.includes(language))
    refuse(400, "Choose one of the conference's languages.", "language");
  await sql.begin(async (tx) => {
    const before = await setOriginalLanguage(tx, statement.id, language);
    if (before === null) return;
    await appendAudit(tx, {
      conferenceId: conference.id,
      documentId: statement.id,
      actorId: access.userId,
      action: "statement.original_language_changed",
      subject: { from: before, to: language },
    });
  });
}
