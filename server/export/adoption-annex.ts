import type { Db } from "../db/sql";
import { adoptionRecord } from "../queries/adoption";
import { standingExplanations } from "../queries/explanations";
import { adoptionLine } from "../../app/statement/adoption-line";
import { explanationScope } from "../../app/statement/explanations";
import type { ExportStatement } from "./model";

/**
 * What an adopted statement carries after its text, in every format: the adoption line ("Adopted
 * by consensus at …") and, as an annex, the delegations' explanations of position.
 */
export interface AdoptionAnnex {
  line: string;
  explanations: ExportExplanation[];
}

export interface ExportExplanation {
  delegation: string;
  /** "OP3, OP5" as the exported text labels its clauses, or "the statement as a whole". */
  scope: string;
  reservation: boolean;
  afterAdoption: boolean;
  /** The text, paragraph by paragraph. */
  paragraphs: string[];
}

/** As read from the database: explanations name their paragraphs by clause id, labelled once the text is numbered. */
export interface StoredAdoption {
  line: string;
  explanations: (Omit<ExportExplanation, "scope"> & { clauseIds: string[] })[];
}

export const annexTitle = "Annex";
export const explanationsTitle = "Explanations of position";

/** "Norway, on OP3" / "Norway, on the statement as a whole". */
export const explanationHeading = (e: ExportExplanation) => `${e.delegation}, on ${e.scope}`;

/** "Reservation. Filed after adoption." */
export const explanationNote = (e: ExportExplanation) =>
  `${e.reservation ? "Reservation. " : ""}Filed ${e.afterAdoption ? "after" : "before"} adoption.`;

/** The annex of an adopted statement (null while it is not adopted, or was adopted before the record was kept). */
export async function readAdoptionAnnex(sql: Db, documentId: string): Promise<StoredAdoption | null> {
  const record = await adoptionRecord(sql, documentId);
  if (!record) return null;
  const explanations = await standingExplanations(sql, documentId);
  return {
    line: adoptionLine(record),
    explanations: explanations.map((e) => ({
      delegation: e.delegationName,
      clauseIds: e.clauseIds,
      reservation: e.reservation,
      afterAdoption: e.afterAdoption,
      paragraphs: e.text
        .split(/\n\s*\n|\n/)
        .map((p) => p.trim())
        .filter(Boolean),
    })),
  };
}

/** Names each explanation's paragraphs as the exported text labels them. */
export function withAdoptionAnnex(statement: ExportStatement, annex: StoredAdoption | null): ExportStatement {
  if (!annex) return statement;
  const labels = Object.fromEntries([...statement.preamble, ...statement.operative].flatMap((c) => (c.id ? [[c.id, c.label]] : [])));
  return {
    ...statement,
    adoption: {
      line: annex.line,
      explanations: annex.explanations.map(({ clauseIds, ...e }) => ({ ...e, scope: explanationScope(clauseIds, labels) })),
    },
  };
}
