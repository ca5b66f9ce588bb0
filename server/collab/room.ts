import * as Y from "yjs";
import * as awarenessProtocol from "y-protocols/awareness";
import { encodeAccess, encodeAwareness, encodeSaved, encodeSavingPaused, encodeSyncStep1, encodeUpdate } from "./protocol";
import { filterAwarenessUpdate } from "./awareness-guard";

/** One WebSocket connection as a room sees it. */
export interface Peer {
  /** Whether this person may change the base text; it can change while connected. */
  canWrite: boolean;
  /** Awareness client ids this connection has introduced; only it may update or remove them. */
  readonly awarenessClients: Set<number>;
  send(message: Uint8Array): void;
  close(code: number, reason: string): void;
}

/** Where a room's document is kept durably. */
export interface DocumentStore {
  load(documentId: string): Promise<Uint8Array[]>;
  append(documentId: string, updates: Uint8Array[]): Promise<void>;
  compact(documentId: string): Promise<unknown>;
}

export class ProtocolError extends Error {}

const emptyUpdate = Y.encodeStateAsUpdate(new Y.Doc());
const isEmptyUpdate = (u: Uint8Array) => u.length === emptyUpdate.length && u.every((b, i) => b === emptyUpdate[i]);

interface Pending {
  update: Uint8Array;
  from: Peer;
}

/**
 * A document being edited: its Y.Doc, the awareness of the people in it, and the write path.
 *
 * The Y.Doc only ever holds durable state: a client's update is validated, appended to the log
 * (everything that arrived during the previous write goes in one INSERT), and only then applied
 * and relayed. So no participant, whether already present or syncing fresh, sees text the
 * database does not have.
 */
export class Room {
  readonly doc = new Y.Doc({ gc: true });
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  readonly peers = new Set<Peer>();
  readonly ready: Promise<void>;
  private pending: Pending[] = [];
  private flushing: Promise<void> | null = null;
  private compacting: Promise<void> | null = null;
  private loggedRows = 0;
  private closed = false;
  /** The database refused the last write; edits are held until it accepts them again. */
  private savingPaused = false;

  constructor(
    readonly documentId: string,
    private readonly store: DocumentStore,
    private readonly options: { compactAfter: number; log: (msg: string, err?: unknown) => void },
  ) {
    this.awareness.setLocalState(null);
    this.ready = this.load();
  }

  private async load(): Promise<void> {
    const updates = await this.store.load(this.documentId);
    Y.transact(this.doc, () => {
      for (const u of updates) Y.applyUpdate(this.doc, u);
    });
    this.loggedRows = Math.max(0, updates.length - 1);
    this.doc.on("update", (update: Uint8Array, origin: unknown) => {
      const message = encodeUpdate(update);
      for (const peer of this.peers) if (peer !== origin) peer.send(message);
    });
    this.awareness.on("update", ({ added, updated, removed }: AwarenessChange, origin: unknown) => {
      const changed = added.concat(updated, removed);
      if (origin && typeof origin === "object" && "awarenessClients" in origin) {
        const owner = origin as Peer;
        for (const id of added) owner.awarenessClients.add(id);
        for (const id of removed) owner.awarenessClients.delete(id);
      }
      const message = encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed));
      for (const peer of this.peers) peer.send(message);
    });
  }

  /** Sends a newly joined peer what it needs to start syncing. Call once `ready` has resolved. */
  greet(peer: Peer): void {
    peer.send(encodeAccess(!peer.canWrite));
    if (this.savingPaused) peer.send(encodeSavingPaused(true));
    // Tells a reconnecting client which of its edits are already stored.
    if (peer.canWrite) peer.send(encodeSaved(Y.encodeStateVector(this.doc)));
    peer.send(encodeSyncStep1(Y.encodeStateVector(this.doc)));
    const states = [...this.awareness.getStates().keys()];
    if (states.length > 0) peer.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, states)));
  }

  /** The part of the document a peer with this state vector lacks. */
  diffFor(stateVector: Uint8Array): Uint8Array {
    return Y.encodeStateAsUpdate(this.doc, stateVector);
  }

  awarenessState(): Uint8Array {
    return awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...this.awareness.getStates().keys()]);
  }

  receiveUpdate(update: Uint8Array, from: Peer): void {
    if (!from.canWrite) return;
    try {
      Y.decodeUpdate(update);
    } catch {
      throw new ProtocolError("malformed document update");
    }
    if (isEmptyUpdate(update)) return;
    this.pending.push({ update, from });
    this.flushing ??= this.flush().finally(() => (this.flushing = null));
  }

  receiveAwareness(update: Uint8Array, from: Peer): void {
    const ownedByOther = (id: number) => {
      for (const other of this.peers) if (other !== from && other.awarenessClients.has(id)) return true;
      return false;
    };
    let allowed: Uint8Array | null;
    try {
      allowed = filterAwarenessUpdate(update, (id) => from.awarenessClients.has(id) || !ownedByOther(id));
    } catch {
      throw new ProtocolError("malformed awareness update");
    }
    if (allowed) awarenessProtocol.applyAwarenessUpdate(this.awareness, allowed, from);
  }

  leave(peer: Peer): void {
    this.peers.delete(peer);
    if (peer.awarenessClients.size > 0) {
      awarenessProtocol.removeAwarenessStates(this.awareness, [...peer.awarenessClients], null);
    }
  }

  /** Resolves once every update received so far is durable and applied. */
  async drain(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.compacting) await this.compacting;
  }

  private async flush(): Promise<void> {
    let failures = 0;
    while (this.pending.length > 0) {
      const batch = this.pending.slice();
      const updates = batch.map((p) => p.update);
      try {
        await this.store.append(this.documentId, [updates.length === 1 ? updates[0] : Y.mergeUpdates(updates)]);
      } catch (err) {
        // Nothing is applied or relayed until it is durable; keep the batch and try again.
        failures += 1;
        if (failures === 1) this.options.log(`saving ${this.documentId} failed; holding edits and retrying`, err);
        this.setSavingPaused(true);
        if (this.closed) return;
        await new Promise((r) => setTimeout(r, Math.min(5000, 100 * 2 ** failures)));
        continue;
      }
      failures = 0;
      this.setSavingPaused(false);
      this.pending.splice(0, batch.length);
      this.loggedRows += 1;
      const writers = new Set<Peer>();
      for (const { update, from } of batch) {
        Y.applyUpdate(this.doc, update, from);
        writers.add(from);
      }
      const saved = encodeSaved(Y.encodeStateVector(this.doc));
      for (const w of writers) if (this.peers.has(w)) w.send(saved);
    }
    if (this.loggedRows >= this.options.compactAfter) this.compactInBackground();
  }

  private setSavingPaused(paused: boolean): void {
    if (this.savingPaused === paused) return;
    this.savingPaused = paused;
    const message = encodeSavingPaused(paused);
    for (const peer of this.peers) peer.send(message);
  }

  /** Folds the log into the snapshot without holding up editing; appends go on meanwhile. */
  compactInBackground(): void {
    if (this.compacting) return;
    this.loggedRows = 0;
    this.compacting = this.store
      .compact(this.documentId)
      .then(() => undefined)
      .catch((err) => this.options.log(`compacting ${this.documentId} failed`, err))
      .finally(() => (this.compacting = null));
  }

  destroy(): void {
    this.closed = true;
    this.awareness.destroy();
    this.doc.destroy();
  }
}

interface AwarenessChange {
  added: number[];
  updated: number[];
  removed: number[];
}
