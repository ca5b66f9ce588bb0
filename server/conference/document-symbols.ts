import type { Sql } from "../db/sql";
import { appendAudit } from "../audit/log";
import { setConferenceDetails, type ConferenceDetails } from "../queries/conferences";
import { findDocument, setDocumentSymbol, type DocumentSymbolSettings } from "../queries/documents";
import { refuse } from "../negotiation/refusal";

/**
 * The secretariat sets what the title block of every export prints: the conference's venue, dates
 * and symbol prefix, and each statement's part of the symbol, addendum and distribution (checked by
 * the conference page's forms). Each change and its audit entry commit together; a change to what
 * already is records nothing.
 */
export async function changeConferenceDetails(
  sql: Sql,
  c: { conferenceId: string; actorId: string; details: ConferenceDetails },
): Promise<{ changed: boolean }> {
  return sql.begin(async (tx) => {
    const { before, after } = await setConferenceDetails(tx, c.conferenceId, c.details);
    if (Object.keys(after).length === 0) return { changed: false };
    await appendAudit(tx, {
      conferenceId: c.conferenceId,
      actorId: c.actorId,
      action: "conference.details_changed",
      subject: { from: before, to: after },
    });
    return { changed: true };
  });
}

export async function changeDocumentSymbol(
  sql: Sql,
  c: { conferenceId: string; documentId: string; actorId: string; settings: DocumentSymbolSettings },
): Promise<{ changed: boolean }> {
  const document = await findDocument(sql, c.documentId);
  if (!document || document.kind !== "statement" || document.conferenceId !== c.conferenceId)
    refuse(404, "There is no such statement in this conference.");
  return sql.begin(async (tx) => {
    const { before, after } = await setDocumentSymbol(tx, c.documentId, c.settings);
    if (Object.keys(after).length === 0) return { changed: false };
    await appendAudit(tx, {
      conferenceId: c.conferenceId,
      documentId: c.documentId,
      actorId: c.actorId,
      action: "document.symbol_changed",
      subject: { document: document!.title, from: before, to: after },
    });
    return { changed: true };
  });
}
