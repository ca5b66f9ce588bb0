import type { Sql } from "../db/sql";
import { appendUpdates, compactDocument, loadClaims, loadDocument } from "../queries/document-state";
import type { DocumentStore } from "./room";

/** The collaboration server's durable storage: the PostgreSQL update log and snapshot. */
export function postgresStore(sql: Sql): DocumentStore {
  return {
    load: (id) => loadDocument(sql, id),
    loadClaims: (id) => loadClaims(sql, id),
    append: (id, updates, claims) => appendUpdates(sql, id, updates, claims),
    compact: (id) => compactDocument(sql, id),
  };
}
