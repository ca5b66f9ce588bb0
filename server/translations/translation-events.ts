import type { Sql } from "../db/sql";
import type { DocumentStore } from "../collab/room";
import { findTranslationByTextDocument } from "../queries/translations";
import { publishNegotiationEvent } from "../negotiation/events";
import { logger } from "../log";

/** Translators type continuously; the pages showing a language are told at most this often. */
const quietMs = 1_000;

/**
 * Tells the pages showing a statement's translations that one changed (their other clauses show
 * what was stored, not a live copy): after each stored update of a translation, at most one event
 * per statement a second, the last one always sent.
 */
export function announcingTranslations(store: DocumentStore, sql: Sql): DocumentStore {
  /** Document id → its statement, or null for a document that is no translation. */
  const statementOf = new Map<string, string | null>();
  const pending = new Map<string, NodeJS.Timeout>();
  const lastSent = new Map<string, number>();

  const announce = (statementId: string) => {
    if (pending.has(statementId)) return;
    const wait = Math.max(0, (lastSent.get(statementId) ?? 0) + quietMs - Date.now());
    const timer = setTimeout(() => {
      pending.delete(statementId);
      lastSent.set(statementId, Date.now());
      publishNegotiationEvent(sql, { documentId: statementId, topic: "translations" }).catch((err) =>
        logger.error({ component: "translations", err }, "announcing a change failed"),
      );
    }, wait);
    timer.unref();
    pending.set(statementId, timer);
  };

  return {
    ...store,
    async append(documentId, updates, claims) {
      await store.append(documentId, updates, claims);
      let statementId = statementOf.get(documentId);
      if (statementId === undefined) {
        statementId = (await findTranslationByTextDocument(sql, documentId))?.statementId ?? null;
        statementOf.set(documentId, statementId);
      }
      if (statementId) announce(statementId);
    },
  };
}
