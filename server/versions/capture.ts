import { appendAudit } from "../audit/log";
import * as Y from "yjs";
import type { Db, Sql } from "../db/sql";
import { loadUpdates } from "../queries/document-state";
import { currentClauseStates } from "../queries/clause-states";
import { insertVersion, lockForVersion, type NewVersion } from "../queries/versions";
import type { ClauseState } from "../../app/statement/vocabulary";

/** The statement as PostgreSQL has it (an edit is stored before anyone sees it): full state and state vector. */
export async function storedState(sql: Db, documentId: string): Promise<{ state: Uint8Array; stateVector: Uint8Array }> {
  const ydoc = new Y.Doc();
  const updates = await loadUpdates(sql, documentId);
  Y.transact(ydoc, () => updates.forEach((u) => Y.applyUpdate(ydoc, u)));
  const state = Y.encodeStateAsUpdate(ydoc);
  const stateVector = Y.encodeStateVector(ydoc);
  ydoc.destroy();
  return { state, stateVector };
}

/**
 * Records a version of the statement as it is stored now, with its clause states, in the
 * caller's transaction (which it makes wait for the statement's turn to number versions).
 * `given` is the Yjs state to keep instead, when the caller holds the exact state a change was
 * made against (a restore keeps what it replaced).
 */
export async function captureVersion(
  tx: Db,
  v: Pick<NewVersion, "documentId" | "kind" | "name" | "createdBy" | "proposalId" | "restoredFrom">,
  given?: Uint8Array
): Promise<{ id: string; number: number }> {
  await lockForVersion(tx, v.documentId);
  const { state, stateVector } = given
    ? { state: given, stateVector: Y.encodeStateVectorFromUpdate(given) }
    : await storedState(tx, v.documentId);
  const states: Record<string, ClauseState> = Object.fromEntries(await currentClauseStates(tx, v.documentId));
  return insertVersion(tx, { ...v, state, stateVector, clauseStates: states });
}

/** A named revision ("Rev.1") of the statement as stored now, by the chair or the secretariat. */
export async function createRevision(
  sql: Sql,
  input: { documentId: string; name: string; userId: string }
): Promise<{ id: string; number: number }> {
  return sql.begin(async (tx) => {
    const created = await captureVersion(tx, {
      documentId: input.documentId,
      kind: "named",
      name: input.name,
      createdBy: input.userId,
      proposalId: null,
      restoredFrom: null,
    });
    await appendAudit(tx, {
      documentId: input.documentId,
      actorId: input.userId,
      action: "version.created",
      subject: { version: created.number, name: input.name },
    });
    return created;
  });
}
