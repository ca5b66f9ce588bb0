import * as Y from "yjs";
import type { Db, Sql } from "../db/sql";
import { currentClauseStates } from "../queries/clause-states";
import { readStoredDoc } from "../negotiation/statement";
import { changeNegotiation } from "../negotiation/change";
import { refuse } from "../negotiation/refusal";
import type { Actor } from "../negotiation/actor";
import { can } from "../auth/permissions";
import { insertVersion, lockForVersion, type NewVersion } from "../queries/versions";
import type { ClauseState } from "../../app/statement/vocabulary";
import { captureTranslations } from "../translations/version-translations";

/** The statement as PostgreSQL has it (an edit is stored before anyone sees it): full state and state vector. */
export async function storedState(sql: Db, documentId: string): Promise<{ state: Uint8Array; stateVector: Uint8Array }> {
  return readStoredDoc(sql, documentId, (ydoc) => ({ state: Y.encodeStateAsUpdate(ydoc), stateVector: Y.encodeStateVector(ydoc) }));
}

/**
 * Records a version of the statement as it is stored now, with its clause states, in the
 * caller's transaction (which it makes wait for the statement's turn to number versions).
 * `given` is what the caller holds already, to keep instead of reading it again: the exact Yjs
 * state a change was made against or made (a restore keeps what it replaced, an acceptance what
 * it left), the clause states read in the same transaction.
 */
export async function captureVersion(
  tx: Db,
  v: Pick<NewVersion, "documentId" | "kind" | "name" | "createdBy" | "proposalId" | "restoredFrom">,
  given: { state?: Uint8Array; clauseStates?: ReadonlyMap<string, ClauseState> } = {},
): Promise<{ id: string; number: number }> {
  await lockForVersion(tx, v.documentId);
  const { state, stateVector } = given.state
    ? { state: given.state, stateVector: Y.encodeStateVectorFromUpdate(given.state) }
    : await storedState(tx, v.documentId);
  const states: Record<string, ClauseState> = Object.fromEntries(given.clauseStates ?? (await currentClauseStates(tx, v.documentId)));
  const version = await insertVersion(tx, { ...v, state, stateVector, clauseStates: states });
  await captureTranslations(tx, v.documentId, version.id);
  return version;
}

/** A named revision ("Rev.1") of the statement as stored now, by the chair or the secretariat. */
export async function createRevision(
  sql: Sql,
  actor: Actor,
  input: { documentId: string; name: string },
): Promise<{ id: string; number: number }> {
  if (!can(actor, "document:write")) refuse(403, "Only the chair and the secretariat save revisions.");
  const change = { documentId: input.documentId, actorId: actor.userId, announce: () => [{ topic: "versions" as const }] };
  return changeNegotiation(sql, change, async (tx, audit) => {
    const created = await captureVersion(tx, {
      documentId: input.documentId,
      kind: "named",
      name: input.name,
      createdBy: actor.userId,
      proposalId: null,
      restoredFrom: null,
    });
    await audit("version.created", { version: created.number, name: input.name });
    return created;
  });
}
