import type { Sql } from "../db/sql";
import type { CollabEndpoint } from "../collab/endpoint";
import { publishNegotiationEvent } from "../negotiation/events";
import { findVersionState, thinCheckpoints } from "../queries/versions";
import { statementJSON } from "../../app/statement/yjs-state";
import { readDoc } from "../negotiation/statement";
import { captureVersion, storedState } from "./capture";
import { logFunction, type LogFunction } from "../log";

export type CheckpointOutcome = "written" | "unchanged" | "too-soon" | "not-a-statement";

const sameBytes = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

const contentOf = (state: Uint8Array): string => readDoc([state], (ydoc) => JSON.stringify(statementJSON(ydoc)));

/**
 * Writes a timed checkpoint of a statement if its text changed since its newest version and that
 * version is at least `minAgeMs` old; then thins the timed checkpoints to `keep`. The first
 * checkpoint of a statement without versions is its baseline. Under the statement's version lock,
 * so instances checking the same statement write one checkpoint.
 */
export async function checkpointIfChanged(sql: Sql, documentId: string, minAgeMs: number, keep: number): Promise<CheckpointOutcome> {
  return sql.begin(async (tx) => {
    const [doc] = await tx<{ kind: string }[]>`select kind from documents where id = ${documentId} for no key update`;
    if (!doc || doc.kind !== "statement") return "not-a-statement";
    const last = await findVersionState(tx, documentId, minAgeMs);
    if (last?.recent) return "too-soon";
    if (last) {
      const now = await storedState(tx, documentId);
      // A deletion leaves the state vector as it was: the content tells.
      if (sameBytes(now.stateVector, last.stateVector) && contentOf(now.state) === contentOf(last.state)) return "unchanged";
    }
    // Automatic checkpoints are no decision of anyone's: the audit trail records named versions and restores.
    await captureVersion(tx, { documentId, kind: "checkpoint", name: null, createdBy: null, proposalId: null, restoredFrom: null });
    await thinCheckpoints(tx, documentId, keep);
    return "written";
  });
}

export interface CheckpointScheduler {
  stop(): Promise<void>;
}

/**
 * Every so often (half the interval, between 250 ms and a minute), checks the statements open on
 * this instance, and those open since their last check, for a timed checkpoint.
 */
export function createCheckpointScheduler({
  sql,
  collab,
  intervalMs,
  keep,
  log = logFunction("versions"),
}: {
  sql: Sql;
  collab: Pick<CollabEndpoint, "rooms">;
  intervalMs: number;
  keep: number;
  log?: LogFunction;
}): CheckpointScheduler {
  // Documents open at some tick and not yet checked since they were closed: their last edits count too.
  const watched = new Set<string>();
  const every = Math.min(60_000, Math.max(250, intervalMs / 2));
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();

  async function tick() {
    for (const id of collab.rooms.keys()) watched.add(id);
    for (const id of [...watched]) {
      if (stopped) return;
      try {
        const outcome = await checkpointIfChanged(sql, id, intervalMs, keep);
        if (outcome === "written") await publishNegotiationEvent(sql, { documentId: id, topic: "versions" });
        if (outcome !== "too-soon" && !collab.rooms.has(id)) watched.delete(id);
      } catch (err) {
        log(`checkpoint of ${id} failed`, err);
      }
    }
  }

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick().finally(schedule);
    }, every);
    timer.unref();
  };
  schedule();

  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running.catch(() => {});
    },
  };
}
