import type { Db } from "../db/sql";
import type { DocumentRow } from "../queries/documents";
import { currentStatement, versionStatement, type NumberedStatement } from "../negotiation/numbering";
import { findVersion, proposalsBetween, type ClauseChangeSource } from "../queries/versions";
import { redlineStatements, type Redline } from "../export/redline";
import { versionLabel } from "../../app/statement/version-labels";

/** One side of a comparison or an export: the current text, or a version, numbered as it was then. */
export interface Side extends NumberedStatement {
  /** null for the current text. */
  id: string | null;
  number: number | null;
  label: string;
  at: Date;
}

/** "current" or a version id of this statement; null when it names no version of it. */
export async function readSide(sql: Db, document: Pick<DocumentRow, "id" | "adoptedAt">, side: string): Promise<Side | null> {
  if (side === "current") {
    return { id: null, number: null, label: "Current text", at: new Date(), ...(await currentStatement(sql, document.id)) };
  }
  const version = await findVersion(sql, document.id, side);
  if (!version) return null;
  const numbered = await versionStatement(sql, document, version);
  return { id: version.id, number: version.number, label: versionLabel(version), at: version.createdAt, ...numbered };
}

/**
 * The redline between two sides, and per clause the accepted proposals that changed it in
 * between: those whose checkpoint falls after the earlier side and up to the later one.
 */
export async function compareSides(
  sql: Db,
  documentId: string,
  from: Side,
  to: Side,
  /** Both sides in another language than the original (server/translations/translated-statement.ts). */
  language?: { code: string; original: string },
): Promise<{ redline: Redline; sources: Map<string, ClauseChangeSource[]> }> {
  const redline = redlineStatements(from, to, language);
  const rank = (s: Side) => s.number ?? Infinity;
  const [earlier, later] = rank(from) <= rank(to) ? [from, to] : [to, from];
  const found =
    earlier === later || rank(earlier) === rank(later)
      ? []
      : await proposalsBetween(
          sql,
          documentId,
          earlier.number === null ? null : { number: earlier.number },
          later.number === null ? null : { number: later.number },
        );
  const sources = new Map<string, ClauseChangeSource[]>();
  for (const s of found) sources.set(s.clauseId, [...(sources.get(s.clauseId) ?? []), s]);
  return { redline, sources };
}
