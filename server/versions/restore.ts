import * as Y from "yjs";
import { updateYFragment } from "@tiptap/y-tiptap";
import type { Node as PMNode } from "@tiptap/pm/model";
import type { Sql } from "../db/sql";
import type { CollabEndpoint } from "../collab/endpoint";
import { setClauseState, textLocks } from "../queries/clause-states";
import { findVersion, lockForVersion, type VersionRow } from "../queries/versions";
import { changeNegotiation } from "../negotiation/change";
import { refuse } from "../negotiation/refusal";
import type { Actor } from "../negotiation/actor";
import { readDoc, statementDoc } from "../negotiation/statement";
import { statementField } from "../../app/statement/schema";
import { clauseNodes } from "../../app/statement/numbering";
import { versionLabel } from "../../app/statement/version-labels";
import { beforeRestoringName } from "../../app/statement/restore-names";
import { captureVersion } from "./capture";

/** A version's statement as ProseMirror reads it. */
export function versionDocument(version: Pick<VersionRow, "state">): PMNode {
  return readDoc([version.state], statementDoc);
}

/**
 * The chair brings back a version: the statement's text becomes the version's (a change on top,
 * live for everyone present, never a rewrite of history), each of its clauses gets back the state
 * it had, and a 'restore' version records the result. The text it replaces is first kept as a
 * named version ("Before restoring Rev.1"), in the same transaction, so edits made since the
 * restored version stay in the history. Refused while the whole text is locked.
 */
export async function restoreVersion(
  sql: Sql,
  collab: Pick<CollabEndpoint, "changeDocument">,
  actor: Actor,
  input: { documentId: string; versionId: string },
): Promise<{ id: string; number: number; label: string; kept: string }> {
  if (!actor.isChair) refuse(403, "Only the chair restores a version.");
  const version = await findVersion(sql, input.documentId, input.versionId);
  if (!version) return refuse(404, "There is no such version of this statement.");
  const label = versionLabel(version);
  const target = versionDocument(version);

  const announce = () => [{ topic: "states" as const, notice: `The chair restored ${label}.` }, { topic: "versions" as const }];
  const created = await changeNegotiation(sql, { documentId: input.documentId, actorId: actor.userId, announce }, async (tx, audit) => {
    // Restores and new versions of this statement take turns.
    await lockForVersion(tx, input.documentId);
    const locks = await textLocks(tx, input.documentId);
    if (locks.whole === "adopted") refuse(409, "The text is adopted; it cannot be restored to an earlier version.");
    if (locks.whole === "silence") refuse(409, "A silence procedure is running; cancel it before restoring a version.");
    // Only what differs is changed (as the editor binding does), so concurrent typing elsewhere
    // merges. The text kept is exactly the one the change was computed against: anything typed
    // later survives the restore, anything earlier is in the kept version.
    let replaced: Uint8Array | null = null;
    await collab.changeDocument(input.documentId, (ydoc) => {
      replaced = Y.encodeStateAsUpdate(ydoc);
      updateYFragment(ydoc, ydoc.getXmlFragment(statementField), target, { mapping: new Map(), isOMark: new Map() });
    });
    const kept = await captureVersion(
      tx,
      {
        documentId: input.documentId,
        kind: "named",
        name: beforeRestoringName(label),
        createdBy: actor.userId,
        proposalId: null,
        restoredFrom: null,
      },
      { state: replaced!, clauseStates: locks.states },
    );
    const now = locks.states;
    for (const clause of clauseNodes(target)) {
      if (!clause.id) continue;
      const state = version.clauseStates[clause.id] ?? "open";
      if ((now.get(clause.id) ?? "open") === state) continue;
      await setClauseState(tx, {
        documentId: input.documentId,
        clauseId: clause.id,
        state,
        reason: `Restored from ${label}`,
        userId: actor.userId,
      });
    }
    const restored = await captureVersion(tx, {
      documentId: input.documentId,
      kind: "restore",
      name: `Restored ${label}`,
      createdBy: actor.userId,
      proposalId: null,
      restoredFrom: version.id,
    });
    await audit("version.restored", {
      version: restored.number,
      restoredFrom: label,
      kept: { version: kept.number, name: beforeRestoringName(label) },
    });
    return restored;
  });
  return { ...created, label: `Restored ${label}`, kept: beforeRestoringName(label) };
}
