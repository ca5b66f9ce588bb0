import * as Y from "yjs";
import * as awarenessProtocol from "y-protocols/awareness";
import { closeCodes, encodeAccess, encodeAwareness, encodeSaved, encodeSavingPaused, encodeSyncStep1, encodeUpdate } from "./protocol";
import { filterAwarenessUpdate } from "./awareness-guard";
import { lockedClauseContents, lockedClausesIntact, noLocks, type RoomLocks } from "./clause-locks";
import type { Relay, RelayChannel } from "./relay";

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

/**
 * The origin of changes that come from another instance, or are reloaded from PostgreSQL: already
 * durable, so they are relayed to this instance's peers but never appended or published again.
 */
class Remote {
  constructor(readonly instance: string | null) {}
}
const fromDatabase = new Remote(null);

interface Pending {
  update: Uint8Array;
  from: Peer;
  /** Called once the update is durable and applied. */
  done?: () => void;
}

/** The server itself, as the author of changes it makes (a chair's decision): a peer of no connection. */
const serverPeer: Peer = { canWrite: true, awarenessClients: new Set(), send() {}, close() {} };

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
  /** The document's channel to the other instances serving it (none without REDIS_URL). */
  private readonly channel: RelayChannel | null;
  /** Awareness clients of other instances, with their instance; no peer here may speak for them. */
  private readonly remoteClients = new Map<number, string>();
  /**
   * Which peer here introduced each awareness client. The stock client re-sends every state it
   * hears, so with N people each change comes back N times: the check must not scan the peers.
   */
  private readonly owners = new Map<number, Peer>();
  /** What other instances sent before the document was loaded, applied once it is. */
  private inbox: (() => void)[] | null = [];
  private resyncing: "no" | "yes" | "again" = "no";
  private locks: RoomLocks = noLocks;
  private locksVersion = 0;
  /**
   * While clauses are locked: the room's document plus every update admitted but not yet stored,
   * on which a client's next update is tried before it is admitted. None without clause locks.
   */
  private shadow: Y.Doc | null = null;
  /** Document updates and presence changes not yet sent to the peers (see broadcast). */
  private outgoing: { update: Uint8Array; origin: unknown }[] = [];
  private readonly outgoingPresence = new Set<number>();
  private broadcastScheduled = false;
  /** Peers closed for changing a locked clause: whatever else they sent is built on that change. */
  private readonly refused = new WeakSet<Peer>();

  constructor(
    readonly documentId: string,
    private readonly store: DocumentStore,
    private readonly options: {
      compactAfter: number;
      log: (msg: string, err?: unknown) => void;
      relay?: Relay;
      /** What of the text nobody may change now (agreed clauses, adoption, silence); none if not given. */
      loadLocks?: (documentId: string) => Promise<RoomLocks>;
    },
  ) {
    this.awareness.setLocalState(null);
    const whenLoaded = (f: () => void) => {
      if (this.closed) return;
      if (this.inbox) this.inbox.push(f);
      else this.fromRelay(f);
    };
    this.channel =
      options.relay?.join(documentId, {
        update: (update, instance) => whenLoaded(() => Y.applyUpdate(this.doc, update, new Remote(instance))),
        awareness: (update, instance) => whenLoaded(() => this.receiveRemoteAwareness(update, instance)),
        awarenessQuery: () => whenLoaded(() => this.publishLocalAwareness()),
        resync: () => whenLoaded(() => this.resync()),
        instanceGone: (instance) => whenLoaded(() => this.forgetInstance(instance)),
      }) ?? null;
    this.ready = this.load();
  }

  private async load(): Promise<void> {
    if (this.channel) {
      // Subscribed before reading, so an update stored after the read is heard from its instance.
      await this.channel.subscribed;
      this.channel.queryAwareness();
    }
    const [updates, locks] = await Promise.all([this.store.load(this.documentId), this.options.loadLocks?.(this.documentId) ?? noLocks]);
    Y.transact(this.doc, () => {
      for (const u of updates) Y.applyUpdate(this.doc, u);
    });
    this.loggedRows = Math.max(0, updates.length - 1);
    this.setLocks(locks);
    this.doc.on("update", (update: Uint8Array, origin: unknown) => {
      if (this.shadow) Y.applyUpdate(this.shadow, update);
      this.outgoing.push({ update, origin });
      this.scheduleBroadcast();
    });
    this.awareness.on("update", ({ added, updated, removed }: AwarenessChange, origin: unknown) => {
      const changed = added.concat(updated, removed);
      if (origin instanceof Remote) {
        // Never counted as owned by a peer here.
        for (const id of added.concat(updated)) this.remoteClients.set(id, origin.instance ?? "");
      } else if (origin && typeof origin === "object" && "awarenessClients" in origin) {
        const owner = origin as Peer;
        for (const id of added) {
          owner.awarenessClients.add(id);
          this.owners.set(id, owner);
        }
        for (const id of removed) owner.awarenessClients.delete(id);
      }
      for (const id of removed) {
        this.remoteClients.delete(id);
        this.owners.delete(id);
      }
      for (const id of changed) this.outgoingPresence.add(id);
      this.scheduleBroadcast();
      // This instance's clients' presence (and its removal when they leave) goes to the other
      // instances. There the clients' renewals (every 15 s) keep it; if this instance dies, they
      // drop it when its heartbeat stops, or at the latest by the awareness timeout (30 s).
      // Timeouts happen on every instance by itself; the room's own state (origin "local") is never set.
      const fromPeerHere = origin === null || (typeof origin === "object" && "awarenessClients" in origin);
      if (this.channel && fromPeerHere) this.channel.publishAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed));
    });
    const inbox = this.inbox ?? [];
    this.inbox = null;
    for (const f of inbox) this.fromRelay(f);
  }

  private scheduleBroadcast(): void {
    if (this.broadcastScheduled) return;
    this.broadcastScheduled = true;
    setImmediate(() => this.broadcast());
  }

  /**
   * Sends the peers what changed since the last turn of the event loop: one document message (the
   * updates merged) and one presence message. Idle, that is each change at once; under load many
   * edits and caret moves arrive between two turns, and a write per change per peer was most of
   * the server's time with 500 people in a room.
   */
  private broadcast(): void {
    this.broadcastScheduled = false;
    if (this.closed) return;
    const updates = this.outgoing;
    this.outgoing = [];
    if (updates.length > 0) {
      const message = encodeUpdate(updates.length === 1 ? updates[0].update : Y.mergeUpdates(updates.map((u) => u.update)));
      // A writer does not need its own edits back; when a batch mixes several writers' edits they
      // get them anyway (Yjs ignores what it has), which costs less than a message per writer.
      const origins = new Set(updates.map((u) => u.origin));
      const only = origins.size === 1 ? updates[0].origin : undefined;
      for (const peer of this.peers) if (peer !== only) peer.send(message);
    }
    if (this.outgoingPresence.size > 0) {
      const ids = [...this.outgoingPresence].filter((id) => this.awareness.meta.has(id));
      this.outgoingPresence.clear();
      if (ids.length > 0) {
        const message = encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids));
        for (const peer of this.peers) peer.send(message);
      }
    }
  }

  /** Sends a newly joined peer what it needs to start syncing. Call once `ready` has resolved. */
  greet(peer: Peer): void {
    this.sendAccess(peer);
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
    if (!from.canWrite || this.refused.has(from)) return;
    try {
      Y.decodeUpdate(update);
    } catch {
      throw new ProtocolError("malformed document update");
    }
    if (isEmptyUpdate(update)) return;
    // Writers were told the text is read-only; what they sent before hearing it is dropped.
    if (this.locks.whole) return;
    if (this.shadow && !this.keepsLockedClauses(update)) {
      // Never stored nor relayed. The client's copy now differs from everyone's: it reopens a fresh one.
      this.refused.add(from);
      from.close(closeCodes.clauseLocked, "this clause is agreed; your change was not saved");
      this.leave(from);
      return;
    }
    this.pending.push({ update, from });
    // A rejection here would be unhandled, and end the process.
    this.flushing ??= this.flush()
      .catch((err) => this.options.log(`saving ${this.documentId} stopped`, err))
      .finally(() => (this.flushing = null));
  }

  /**
   * Makes a change on the server's own account (accepting a proposal writes its text) through the
   * same path as a client's edit: `edit` works on a copy of the document, and what it changed is
   * stored, then applied and relayed to everyone. Resolves once it is durable and applied.
   */
  async change(edit: (doc: Y.Doc) => void): Promise<void> {
    await this.ready;
    const scratch = new Y.Doc({ gc: true });
    Y.applyUpdate(scratch, Y.encodeStateAsUpdate(this.doc));
    const before = Y.encodeStateVector(scratch);
    Y.transact(scratch, () => edit(scratch));
    const update = Y.encodeStateAsUpdate(scratch, before);
    scratch.destroy();
    if (isEmptyUpdate(update)) return;
    await new Promise<void>((done) => {
      this.pending.push({ update, from: serverPeer, done });
      this.flushing ??= this.flush()
        .catch((err) => this.options.log(`saving ${this.documentId} stopped`, err))
        .finally(() => (this.flushing = null));
    });
  }

  /** Whether this peer's edits are taken now: its own right, and the text not locked as a whole. */
  private sendAccess(peer: Peer): void {
    peer.send(encodeAccess(!peer.canWrite || this.locks.whole !== null));
  }

  /** Tells a peer whose right to write changed whether its edits are taken now. */
  accessChanged(peer: Peer): void {
    if (this.peers.has(peer)) this.sendAccess(peer);
  }

  /** What of the text this room refuses to let clients change right now. */
  get currentLocks(): RoomLocks {
    return this.locks;
  }

  /** Reloads the locks (after a clause state or silence procedure changed); the latest reload wins. */
  async refreshLocks(): Promise<void> {
    const load = this.options.loadLocks;
    if (!load) return;
    await this.ready;
    const version = ++this.locksVersion;
    const locks = await load(this.documentId);
    if (version === this.locksVersion && !this.closed) this.setLocks(locks);
  }

  private setLocks(locks: RoomLocks): void {
    const wholeChanged = (locks.whole === null) !== (this.locks.whole === null);
    this.locks = locks;
    if (locks.clauses.size === 0) {
      this.shadow?.destroy();
      this.shadow = null;
    } else if (!this.shadow) {
      this.rebuildShadow();
    }
    if (wholeChanged) for (const peer of this.peers) if (peer.canWrite) this.sendAccess(peer);
  }

  private rebuildShadow(): void {
    this.shadow?.destroy();
    const shadow = new Y.Doc({ gc: true });
    Y.applyUpdate(shadow, Y.encodeStateAsUpdate(this.doc));
    for (const { update } of this.pending) Y.applyUpdate(shadow, update);
    this.shadow = shadow;
  }

  /**
   * Tries a client's update on the shadow: admitted (and kept there) if every locked clause's
   * content is still present afterwards; otherwise the shadow is rebuilt without it.
   */
  private keepsLockedClauses(update: Uint8Array): boolean {
    const shadow = this.shadow!;
    const before = lockedClauseContents(shadow, this.locks.clauses);
    let intact: boolean;
    try {
      Y.applyUpdate(shadow, update);
      intact = lockedClausesIntact(before, lockedClauseContents(shadow, this.locks.clauses));
    } catch {
      intact = false;
    }
    if (!intact) this.rebuildShadow();
    return intact;
  }

  receiveAwareness(update: Uint8Array, from: Peer): void {
    const ownedByOther = (id: number) => {
      const owner = this.owners.get(id);
      return (owner !== undefined && owner !== from) || this.remoteClients.has(id);
    };
    let allowed: Uint8Array | null;
    try {
      allowed = filterAwarenessUpdate(update, (id) => from.awarenessClients.has(id) || !ownedByOther(id));
    } catch {
      throw new ProtocolError("malformed awareness update");
    }
    if (allowed) awarenessProtocol.applyAwarenessUpdate(this.awareness, allowed, from);
  }

  private fromRelay(apply: () => void): void {
    try {
      apply();
    } catch (err) {
      this.options.log(`a message from another instance about ${this.documentId} could not be applied`, err);
    }
  }

  private receiveRemoteAwareness(update: Uint8Array, instance: string): void {
    const allowed = filterAwarenessUpdate(update, (id) => !this.owners.has(id));
    if (allowed) awarenessProtocol.applyAwarenessUpdate(this.awareness, allowed, new Remote(instance));
  }

  /** Tells the other instances the presence of this instance's clients. */
  private publishLocalAwareness(): void {
    const states = this.awareness.getStates();
    const ids = [...this.peers].flatMap((p) => [...p.awarenessClients]).filter((id) => states.has(id));
    if (ids.length > 0) this.channel?.publishAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids));
  }

  /** An instance is gone: drop its clients' presence, and reload what it may have stored without publishing. */
  private forgetInstance(instance: string): void {
    const ids = [...this.remoteClients].filter(([, from]) => from === instance).map(([id]) => id);
    if (ids.length > 0) awarenessProtocol.removeAwarenessStates(this.awareness, ids, new Remote(instance));
    this.resync();
  }

  /**
   * Applies the document as PostgreSQL has it, for when updates published by other instances may
   * have been missed. Only what this copy lacks is relayed to the peers; applying the rest is a no-op.
   */
  private resync(): void {
    if (this.resyncing !== "no") {
      this.resyncing = "again";
      return;
    }
    this.resyncing = "yes";
    void (async () => {
      let failures = 0;
      while (!this.closed) {
        try {
          const updates = await this.store.load(this.documentId);
          if (this.closed) return;
          const apply = () => updates.forEach((u) => Y.applyUpdate(this.doc, u));
          Y.transact(this.doc, apply, fromDatabase);
          failures = 0;
          if (this.resyncing === "yes") return;
          this.resyncing = "yes";
        } catch (err) {
          failures += 1;
          if (failures === 1) this.options.log(`reloading ${this.documentId} from the database failed; retrying`, err);
          await new Promise((r) => setTimeout(r, Math.min(5000, 100 * 2 ** failures)));
        }
      }
    })().finally(() => (this.resyncing = "no"));
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
      let stored: Uint8Array;
      try {
        stored = updates.length === 1 ? updates[0] : Y.mergeUpdates(updates);
        await this.store.append(this.documentId, [stored]);
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
      // Stored, so the other instances may have it: sent to them first, not after this
      // instance's own peers (applying it again there is harmless).
      this.channel?.publishUpdate(stored);
      const writers = new Set<Peer>();
      for (const { update, from, done } of batch) {
        try {
          Y.applyUpdate(this.doc, update, from);
        } catch (err) {
          // The endpoint's UpdateGate refuses what is known to make Yjs throw; should anything else, the room goes on.
          this.options.log(`applying an update to ${this.documentId} failed`, err);
        }
        writers.add(from);
        done?.();
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
    this.shadow?.destroy();
    this.shadow = null;
    this.channel?.leave();
    this.inbox = null;
    this.awareness.destroy();
    this.doc.destroy();
  }
}

interface AwarenessChange {
  added: number[];
  updated: number[];
  removed: number[];
}
