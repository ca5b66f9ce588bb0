import type { Sql } from "../db/sql";
import type { Tx } from "../audit/log";
import type { DocumentRow } from "../queries/documents";
import { findExplanation, insertExplanation, reviseExplanation, type ExplanationRow } from "../queries/explanations";
import { textDigest } from "../audit/text-digest";
import { maxExplanationLength } from "../../app/statement/limits";
import type { Actor } from "./actor";
import { changeNegotiation } from "./change";
import { refuse } from "./refusal";
import { currentStatement } from "./numbering";

/**
 * Explanations of position: a delegation files, revises or withdraws its own, before or after
 * adoption, on the statement as a whole or on named paragraphs, a reservation or not. Every
 * revision is kept; everyone who sees the statement reads the standing ones, and the adopted
 * statement carries them as an annex (server/export/adoption-annex.ts).
 */

export interface ExplanationInput {
  /** Clause ids of the statement; none: the statement as a whole. */
  clauseIds: string[];
  reservation: boolean;
  text: string;
}

/**
 * Who may speak for a delegation here: a delegate, for their own delegation only (never one named
 * in a form). `ownedBy`, for an explanation already filed, is the delegation that filed it.
 */
export function assertFilesExplanation(actor: Actor, ownedBy?: string): asserts actor is Actor & { delegationId: string } {
  if (actor.role !== "delegate" || !actor.delegationId) refuse(403, "Only a delegate files their delegation's explanation of position.");
  if (ownedBy !== undefined && ownedBy !== actor.delegationId) {
    refuse(403, "Only the delegation that filed an explanation of position may revise or withdraw it.");
  }
}

/** The text and the paragraphs, checked against the statement as it is now; the paragraphs' ids in document order and their labels. */
async function checkedInput(tx: Tx, documentId: string, input: ExplanationInput): Promise<ExplanationInput & { labels: string[] }> {
  const text = input.text.trim();
  if (!text) refuse(400, "Write your delegation's explanation.", "text");
  if (text.length > maxExplanationLength)
    refuse(400, `Keep the explanation under ${maxExplanationLength.toLocaleString("en")} characters.`, "text");
  const { clauses } = await currentStatement(tx, documentId);
  const named = new Set(input.clauseIds);
  for (const id of named) {
    if (!clauses.some((c) => c.id === id)) refuse(400, "There is no such paragraph in this statement.", "clauseIds");
  }
  const chosen = clauses.filter((c) => c.id && named.has(c.id));
  return { clauseIds: chosen.map((c) => c.id!), labels: chosen.map((c) => c.label), reservation: input.reservation, text };
}

/** Once the statement is adopted its explanations are everyone's who sees it: readers of the text alone are told too. */
const announcing = (document: Pick<DocumentRow, "adoptedAt">) => () => [
  { topic: "explanations" as const, afterAdoption: document.adoptedAt !== null },
];

/** What an audit entry says the explanation is on. */
const paragraphsOf = (labels: string[]) => (labels.length ? labels : "the statement as a whole");

const subjectOf = (e: Pick<ExplanationRow, "id" | "number">, delegationId: string) => ({
  explanationId: e.id,
  explanation: `EoP ${e.number}`,
  delegationId,
});

/** Files an explanation for the actor's delegation. Returns it. */
export async function fileExplanation(
  sql: Sql,
  actor: Actor,
  input: ExplanationInput & { document: Pick<DocumentRow, "id" | "adoptedAt"> },
): Promise<{ id: string; number: number }> {
  assertFilesExplanation(actor);
  const { delegationId, userId } = actor;
  const documentId = input.document.id;
  return changeNegotiation(sql, { documentId, actorId: userId, announce: announcing(input.document) }, async (tx, audit) => {
    const checked = await checkedInput(tx, documentId, input);
    const filed = await insertExplanation(tx, { documentId, delegationId, userId, ...checked });
    await audit("explanation.filed", {
      ...subjectOf(filed, delegationId),
      paragraphs: paragraphsOf(checked.labels),
      reservation: checked.reservation,
      text: textDigest(checked.text),
    });
    return filed;
  });
}

async function ownExplanation(tx: Tx, actor: Actor, documentId: string, explanationId: string): Promise<ExplanationRow> {
  const found = (await findExplanation(tx, documentId, explanationId)) ?? refuse(404, "There is no such explanation of position.");
  assertFilesExplanation(actor, found.delegationId);
  if (found.withdrawn) refuse(400, "This explanation of position was withdrawn.");
  return found;
}

/** A new revision of the delegation's explanation: its text, paragraphs or reservation. */
export async function reviseExplanationOfPosition(
  sql: Sql,
  actor: Actor,
  input: ExplanationInput & { document: Pick<DocumentRow, "id" | "adoptedAt">; explanationId: string },
): Promise<void> {
  assertFilesExplanation(actor);
  const documentId = input.document.id;
  await changeNegotiation(sql, { documentId, actorId: actor.userId, announce: announcing(input.document) }, async (tx, audit) => {
    const found = await ownExplanation(tx, actor, documentId, input.explanationId);
    const checked = await checkedInput(tx, documentId, input);
    const revision = await reviseExplanation(tx, {
      documentId,
      explanationId: found.id,
      userId: actor.userId,
      withdrawn: false,
      ...checked,
    });
    await audit("explanation.revised", {
      ...subjectOf(found, found.delegationId),
      revision,
      paragraphs: paragraphsOf(checked.labels),
      reservation: checked.reservation,
      text: textDigest(checked.text),
    });
  });
}

/** Withdraws the delegation's explanation; its revisions stay on record. */
export async function withdrawExplanation(
  sql: Sql,
  actor: Actor,
  input: { document: Pick<DocumentRow, "id" | "adoptedAt">; explanationId: string },
): Promise<void> {
  assertFilesExplanation(actor);
  const documentId = input.document.id;
  await changeNegotiation(sql, { documentId, actorId: actor.userId, announce: announcing(input.document) }, async (tx, audit) => {
    const found = await ownExplanation(tx, actor, documentId, input.explanationId);
    const revision = await reviseExplanation(tx, {
      documentId,
      explanationId: found.id,
      userId: actor.userId,
      withdrawn: true,
      clauseIds: found.clauseIds,
      reservation: found.reservation,
      text: found.text,
    });
    await audit("explanation.withdrawn", { ...subjectOf(found, found.delegationId), revision });
  });
}
