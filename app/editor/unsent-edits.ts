import * as Y from "yjs";
import * as idb from "lib0/indexeddb";
import { IndexeddbPersistence } from "y-indexeddb";

/**
 * Edits the server has not yet acknowledged, kept in this browser (IndexedDB) so that a reload,
 * a closed tab or a crash while offline does not lose them. Each page keeps its own copy, named
 * after the person, the statement and the page's Yjs client, and holds a Web Lock of that name
 * while it lives: a copy whose lock nobody holds was left behind by a page that is gone, and the
 * next page of the same person on the same statement merges it (merging Yjs updates is
 * idempotent, so a copy merged twice does no harm). Copies go once the server has everything
 * they hold, or as soon as the server refuses an edit or the person may no longer write: what
 * the server refused must never come back from the browser.
 */

/** Copies of this person's edits to this statement are named `${prefix}${clientID}`. */
export const unsentEditsPrefix = (userId: string, documentId: string) => `concord-unsent:${userId}:${documentId}:`;

/** Deletions under way, by name: a copy being deleted is not merged, nor reopened before it is gone. */
const deleting = new Map<string, Promise<void>>();

function deleteCopy(name: string, after: Promise<unknown> = Promise.resolve()): void {
  const done: Promise<void> = (deleting.get(name) ?? Promise.resolve())
    .then(() => after)
    .then(async () => {
      await idb.deleteDB(name);
    })
    .catch((err) => console.error(`Could not delete the local copy ${name}`, err))
    .finally(() => {
      if (deleting.get(name) === done) deleting.delete(name);
    });
  deleting.set(name, done);
}

/** Copies of this person's edits to this statement left by pages that are gone. */
async function leftCopies(prefix: string): Promise<string[]> {
  // Without Web Locks a copy of a page still open cannot be told from one left behind.
  if (!navigator.locks || !indexedDB.databases) return [];
  const held = new Set(((await navigator.locks.query()).held ?? []).map((l) => l.name));
  return (await indexedDB.databases())
    .map((d) => d.name ?? "")
    .filter((name) => name.startsWith(prefix) && !held.has(name) && !deleting.has(name));
}

/** The updates a y-indexeddb copy holds (its layout: an auto-numbered "updates" store). */
async function readCopy(name: string): Promise<Uint8Array[]> {
  const db = await idb.openDB(name, (d) => idb.createStores(d, [["updates", { autoIncrement: true }], ["custom"]]));
  try {
    const [updates] = idb.transact(db, ["updates"], "readonly");
    return (await idb.getAll(updates)) as Uint8Array[];
  } finally {
    db.close();
  }
}

/** Drops every copy of this person's edits to this statement that no open page holds. */
export function discardLeftCopies(prefix: string): void {
  leftCopies(prefix).then(
    (names) => names.forEach((name) => deleteCopy(name)),
    (err) => console.error("Could not list the local copies", err),
  );
}

export interface UnsentEdits {
  /** Something was edited here: keep a copy. */
  edited(): void;
  /** The server has everything: the copies can go. */
  acknowledged(): void;
  /** The server refused an edit, or the person may not write: the copies go, and no more are kept. */
  discard(): void;
  /** The page goes; a copy holding unsent edits stays for the next visit. */
  close({ unsent }: { unsent: boolean }): void;
}

/** How long everything must stay acknowledged before the copy goes, so typing does not rewrite it at every pause. */
const clearAfterMs = 2000;

/**
 * Keeps `doc`'s unsent edits and merges copies left by earlier pages; `onMerged` receives the
 * state vector of each merged copy, whose edits count as unsent until the server has them.
 */
export function keepUnsentEdits(doc: Y.Doc, prefix: string, onMerged: (stateVector: Map<number, number>) => void): UnsentEdits {
  const name = `${prefix}${doc.clientID}`;
  const merged: string[] = [];
  let copy: Promise<IndexeddbPersistence | null> | null = null;
  let stopped = false;
  let clearTimer: number | undefined;
  let releaseLock = () => {};
  const locked = navigator.locks
    ? new Promise<void>((granted) => {
        void navigator.locks.request(name, () => {
          granted();
          return new Promise<void>((release) => (releaseLock = release));
        });
      })
    : Promise.resolve();

  const open = () => {
    // y-indexeddb writes the whole document when it opens a copy, then each update.
    copy ??= Promise.all([locked, deleting.get(name)]).then(() => (stopped ? null : new IndexeddbPersistence(name, doc)));
  };

  const clear = () => {
    window.clearTimeout(clearTimer);
    clearTimer = undefined;
    const closing = copy?.then((p) => p?.destroy());
    copy = null;
    deleteCopy(name, closing);
    merged.splice(0).forEach((left) => deleteCopy(left));
  };

  const mergeCopy = async (left: string) => {
    const updates = await readCopy(left);
    if (stopped) return;
    if (updates.length === 0) return deleteCopy(left);
    Y.transact(doc, () => updates.forEach((u) => Y.applyUpdate(doc, u)), left);
    merged.push(left);
    onMerged(Y.decodeStateVector(Y.encodeStateVectorFromUpdate(Y.mergeUpdates(updates))));
    open();
  };
  locked
    .then(() => leftCopies(prefix))
    .then((names) =>
      // One unreadable copy must not keep the others from being merged.
      Promise.all(names.map((left) => mergeCopy(left).catch((err) => console.error(`Could not merge the local copy ${left}`, err)))),
    )
    .catch((err) => console.error("Could not list the local copies", err));

  return {
    edited() {
      window.clearTimeout(clearTimer);
      clearTimer = undefined;
      if (!stopped) open();
    },
    acknowledged() {
      if (clearTimer === undefined && (copy || merged.length > 0)) clearTimer = window.setTimeout(clear, clearAfterMs);
    },
    discard() {
      stopped = true;
      clear();
      releaseLock();
    },
    close({ unsent }) {
      if (unsent) {
        window.clearTimeout(clearTimer);
        void copy?.then((p) => p?.destroy());
        copy = null;
      } else {
        clear();
      }
      stopped = true;
      releaseLock();
    },
  };
}
