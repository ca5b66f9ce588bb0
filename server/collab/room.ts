import * as Y from "yjs";
import * as awarenessProtocol from "y-protocols/awareness";
import { closeCodes, encodeAccess, encodeAwareness, encodeSaved, encodeSavingPaused, encodeSyncStep1, encodeUpdate } from "../../app/statement/protocol";
import { filterPresence, presenceState, PresenceRate, PresenceViolation, type PresenceIdentity } from "./presence";
import { LockedClauses, LockViolation, noLocks, type RoomLocks } from "./clause-locks";
import { SchemaGuard, SchemaViolation, type DocumentModel } from "./schema-guard";
import { MalformedUpdate, TooMuchHeld, UpdateGate, type UpdateCheck } from "./update-check";
import type { Relay, RelayChannel } from "./relay";

/** One WebSocket connection as a room sees it. */
export interface Peer {
  /** Whether this person may change the base text; it can change while connected. */
  canWrite: boolean;
  /** Who is behind the connection (a user id): the owner of the Yjs client ids it uses. */
  readonly owner: string;
  /** How everyone sees this connection's presence, from its session. */
  readonly identity: PresenceIdentity;
  /** Every awareness client id this connection has set, removed ones included (the cap counts them all). */
  readonly awarenessClients: Set<number>;
  send(message: Uint8Array): void;
  close(code: number, reason: string): void;
}

/** Which Yjs client ids belong to whom (a user id, or "server"), by document. */
export type ClientClaims = Map<number, string>;

/** Where a room's document is kept durably. */
export interface DocumentStore {
  load(documentId: string): Promise<Uint8Array[]>;
  loadClaims(documentId: string): Promise<ClientClaims>;
  /** Appends updates, and the client ids they were the first to use, in one transaction. */
  append(documentId: string, updates: Uint8Array[], claims: ClientClaims): Promise<void>;
  compact(documentId: string): Promise<unknown>;
}

/** Connections may set this many awareness client ids; a stock client sets one (its document's). */
const maxAwarenessClients = 16;
/** An awareness message's size, at most: a stock client echoes a whole batch of others' states. */
const maxAwarenessMessageBytes = 1024 * 1024;

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

/** The owner of the client ids of the server's own changes; no connection's owner is this. */
const serverOwner = "server";

/** The server itself, as the author of changes it makes (a chair's decision): a peer of no connection. */
const serverPeer: Peer = {
  canWrite: true,
  owner: serverOwner,
  identity: { name: "", color: "#000000", role: "", delegation: null },
  awarenessClients: new Set(),
  send() {},
  close() {},
};

const isPeer = (origin: unknown): origin is Peer => typeof origin === "object" && origin !== null && "awarenessClients" in origin;

/** An update under a Yjs client id that another participant uses; never stored. */
class ForeignClient extends Error {}

/** Why an update is refused, and what its connection is told. */
function refusalOf(err: unknown): { code: number; reason: string } {
  if (err instanceof LockViolation) return { code: closeCodes.clauseLocked, reason: "this clause is agreed; your change was not saved" };
  if (err instanceof SchemaViolation) return { code: closeCodes.schemaViolation, reason: `your change was not saved: ${err.message}` };
  if (err instanceof ForeignClient) return { code: closeCodes.malformed, reason: err.message };
  return { code: closeCodes.malformed, reason: "malformed document update" };
}

/**
 * A document being edited: its Y.Doc, the awareness of the people in it, and the write path.
 *
 * The Y.Doc only ever holds durable state: a client's update is checked, appended to the log
 * (everything that arrived during the previous write goes in one INSERT), and only then applied
 * and relayed. So no participant, whether already present or syncing fresh, sees text the
 * database does not have.
 *
 * An update is checked on the shadow, a second copy holding the document plus every update
 * admitted but not yet stored: applied there, what it changed must still be the document's schema
 * within its bounds, leave every agreed clause as it was, and use only Yjs client ids of its own
 * author. Otherwise it is neither stored nor relayed, the shadow is rebuilt without it, and its
 * connection is closed with the reason.
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
   * Which peer here holds each awareness client's state now. The stock client re-sends every
   * state it hears, so with N people each change comes back N times: the check must not scan the peers.
   */
  private readonly holders = new Map<number, Peer>();
  /** Owner of each Yjs client id seen here, in updates or presence. */
  private claims: ClientClaims = new Map();
  /** Client ids whose claim is in PostgreSQL; a claim made by presence alone is stored with the id's first update. */
  private readonly storedClaims = new Set<number>();
  /** Claims made by admitted updates, stored with the next write. */
  private unsavedClaims: ClientClaims = new Map();
  private readonly presenceRates = new WeakMap<Peer, PresenceRate>();
  /** What other instances sent before the document was loaded, applied once it is. */
  private inbox: (() => void)[] | null = [];
  private resyncing: "no" | "yes" | "again" = "no";
  private locks: RoomLocks = noLocks;
  private locksVersion = 0;
  private guard: SchemaGuard | null = null;
  /**
   * The room's document plus every update admitted but not yet stored; see the class comment.
   * Made when the room is first written to: a room only read (observers, exports) never needs it,
   * and a client opening a cold document is not kept waiting for a second copy.
   */
  private shadowDoc: Y.Doc | null = null;
  /** The agreed clauses as elements of the shadow; made with it. */
  private locked: LockedClauses | null = null;
  /** The update being tried on the shadow, and what its transactions broke. */
  private trial: { from: Peer; clients: number[]; claims: ClientClaims; violation: unknown } | null = null;
  private readonly gate: UpdateGate<Peer>;
  /** Document updates and presence changes not yet sent to the peers (see broadcast). */
  private outgoing: { update: Uint8Array; origin: unknown }[] = [];
  private readonly outgoingPresence = new Set<number>();
  private broadcastScheduled = false;
  /** Peers whose last update held nothing new, told what is stored once the pending updates are. */
  private readonly awaitingSaved = new Set<Peer>();
  /** Peers closed for a refused update: whatever else they sent is built on that change. */
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
      /** What the document may hold (a statement, a proposal's draft). */
      loadModel: (documentId: string) => Promise<DocumentModel>;
      /** Bytes of held updates (see UpdateGate) one connection may have. */
      maxHeldBytes: number;
    }
  ) {
    this.awareness.setLocalState(null);
    this.gate = new UpdateGate<Peer>((client) => Y.getState((this.shadowDoc ?? this.doc).store, client), options.maxHeldBytes);
    const whenLoaded = (f: () => void) => {
      if (this.closed) return;
      if (this.inbox) this.inbox.push(f);
      else this.fromRelay(f);
    };
    this.channel =
      options.relay?.join(documentId, {
        update: (update, instance) => whenLoaded(() => Y.applyUpdate(this.doc, update, new Remote(instance))),
        claims: (claims) => whenLoaded(() => this.learnClaims(claims)),
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
    const [updates, claims, locks, model] = await Promise.all([
      this.store.load(this.documentId),
      this.store.loadClaims(this.documentId),
      this.options.loadLocks?.(this.documentId) ?? noLocks,
      this.options.loadModel(this.documentId),
    ]);
    Y.transact(this.doc, () => {
      for (const u of updates) Y.applyUpdate(this.doc, u);
    });
    this.learnClaims(claims);
    // What is stored was checked when it was written; a cold document is not checked whole again.
    this.guard = new SchemaGuard(model);
    this.loggedRows = Math.max(0, updates.length - 1);
    this.setLocks(locks);
    this.doc.on("update", (update: Uint8Array, origin: unknown) => {
      // A peer's update is in the shadow already: it was tried there before it was stored.
      if (this.shadowDoc && !isPeer(origin)) Y.applyUpdate(this.shadowDoc, update);
      this.outgoing.push({ update, origin });
      this.scheduleBroadcast();
    });
    this.awareness.on("update", ({ added, updated, removed }: AwarenessChange, origin: unknown) => {
      const changed = added.concat(updated, removed);
      if (origin instanceof Remote) {
        // Never held by a peer here.
        for (const id of added.concat(updated)) this.remoteClients.set(id, origin.instance ?? "");
      } else if (isPeer(origin)) {
        for (const id of added.concat(updated)) this.holders.set(id, origin);
      }
      for (const id of removed) {
        this.remoteClients.delete(id);
        this.holders.delete(id);
      }
      for (const id of changed) this.outgoingPresence.add(id);
      this.scheduleBroadcast();
      // This instance's clients' presence (and its removal when they leave) goes to the other
      // instances. There the clients' renewals (every 15 s) keep it; if this instance dies, they
      // drop it when its heartbeat stops, or at the latest by the awareness timeout (30 s).
      // Timeouts happen on every instance by itself; the room's own state (origin "local") is never set.
      const fromPeerHere = origin === null || isPeer(origin);
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

  /**
   * A peer's document update: admitted at once if what it builds on is here, held until it is
   * otherwise (see UpdateGate). Throws ProtocolError for what no honest client sends.
   */
  receiveUpdate(update: Uint8Array, from: Peer): void {
    if (!from.canWrite || this.refused.has(from)) return;
    let check: ReturnType<UpdateGate<Peer>["check"]>;
    try {
      check = this.gate.check(update);
    } catch (err) {
      throw new ProtocolError(err instanceof MalformedUpdate ? "malformed document update" : String(err));
    }
    if (check.empty) return;
    // Writers were told the text is read-only; what they sent before hearing it is dropped.
    if (this.locks.whole) return;
    if (!check.ready) {
      try {
        this.gate.hold(update, from);
      } catch (err) {
        throw new ProtocolError(err instanceof TooMuchHeld ? err.message : "malformed document update");
      }
      return;
    }
    this.admit(update, from, check);
    if (this.gate.holding) {
      this.gate.release((held, peer, heldCheck) => {
        if (this.peers.has(peer) && !this.refused.has(peer)) this.admit(held, peer, heldCheck);
      });
    }
  }

  /**
   * Tries an update on the shadow; queues it for storing if nothing refuses it, else closes its
   * connection. Structures the room has already are cut off first: Yjs would ignore them here,
   * but merged with the batch that holds the originals they could take their place in the log.
   */
  private admit(update: Uint8Array, from: Peer, check: UpdateCheck): boolean {
    if (check.overlaps) {
      update = Y.diffUpdate(update, Y.encodeStateVector(this.shadow()));
      if (isEmptyUpdate(update)) {
        // Nothing new, but its writer waits to hear that what it sent is stored.
        if (this.pending.length === 0) from.send(encodeSaved(Y.encodeStateVector(this.doc)));
        else this.awaitingSaved.add(from);
        return true;
      }
    }
    const violation = this.tryOnShadow(update, from, check.to.keys());
    if (violation !== null) {
      const { code, reason } = refusalOf(violation);
      // Never stored nor relayed. The client's copy now differs from everyone's: it reopens a fresh one.
      this.refused.add(from);
      from.close(code, reason);
      this.leave(from);
      return false;
    }
    this.pending.push({ update, from });
    // A rejection here would be unhandled, and end the process.
    this.flushing ??= this.flush()
      .catch((err) => this.options.log(`saving ${this.documentId} stopped`, err))
      .finally(() => (this.flushing = null));
    return true;
  }

  /** Applies an update to the shadow; returns what refused it (the shadow is then rebuilt without it), or null. */
  private tryOnShadow(update: Uint8Array, from: Peer, clients: Iterable<number>): unknown {
    const trial = { from, clients: [...clients], claims: new Map<number, string>(), violation: null as unknown };
    this.trial = trial;
    try {
      Y.applyUpdate(this.shadow(), update, from);
    } catch (err) {
      trial.violation ??= err;
    } finally {
      this.trial = null;
    }
    if (trial.violation !== null) {
      this.rebuildShadow();
      return trial.violation;
    }
    for (const [client, owner] of trial.claims) {
      this.claims.set(client, owner);
      this.unsavedClaims.set(client, owner);
    }
    return null;
  }

  /** What one transaction of a trial changed: schema and bounds, agreed clauses, whose client ids. */
  private checkTrial(tr: Y.Transaction): void {
    const trial = this.trial;
    if (!trial) return this.guard!.observe(tr);
    if (trial.violation !== null) return;
    try {
      // The clients whose structures the update holds; of those, the ones it took further.
      for (const client of trial.clients) {
        if ((tr.afterState.get(client) ?? 0) <= (tr.beforeState.get(client) ?? 0)) continue;
        const owner = this.claims.get(client) ?? trial.claims.get(client);
        if (owner === undefined || (owner === trial.from.owner && !this.storedClaims.has(client)))
          trial.claims.set(client, trial.from.owner);
        else if (owner !== trial.from.owner) throw new ForeignClient("document update under another participant's client id");
      }
      // The server's own changes are the chair's decisions (accepting a proposal, restoring a version).
      if (trial.from !== serverPeer) this.locked!.checkTransaction(tr);
      this.guard!.checkTransaction(tr);
    } catch (err) {
      trial.violation = err;
    }
  }

  /**
   * Makes a change on the server's own account (accepting a proposal writes its text) through the
   * same path as a client's edit: `edit` works on a copy of the document, and what it changed is
   * checked, stored, then applied and relayed to everyone. Resolves once it is durable and
   * applied; rejects if the change would break the document's schema.
   */
  async change(edit: (doc: Y.Doc) => void): Promise<void> {
    await this.ready;
    const scratch = new Y.Doc({ gc: true });
    Y.applyUpdate(scratch, Y.encodeStateAsUpdate(this.shadow()));
    // A client id nobody has used, so that the change is the server's alone.
    while (this.claims.has(scratch.clientID) || Y.getState(scratch.store, scratch.clientID) > 0)
      scratch.clientID = Math.floor(Math.random() * 2 ** 31);
    const before = Y.encodeStateVector(scratch);
    Y.transact(scratch, () => edit(scratch));
    const update = Y.encodeStateAsUpdate(scratch, before);
    scratch.destroy();
    if (isEmptyUpdate(update)) return;
    const violation = this.tryOnShadow(update, serverPeer, [scratch.clientID]);
    if (violation !== null) throw violation;
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
    // The clauses agreed now are the elements that carry their ids now.
    if (this.shadowDoc) this.locked = new LockedClauses(locks.clauses, this.shadowDoc.getXmlFragment(this.guard!.model.field));
    if (wholeChanged) for (const peer of this.peers) if (peer.canWrite) this.sendAccess(peer);
  }

  /** The shadow, made from the document and the pending updates if there is none yet. */
  private shadow(): Y.Doc {
    if (!this.shadowDoc) this.rebuildShadow();
    return this.shadowDoc!;
  }

  private rebuildShadow(): void {
    const shadow = new Y.Doc({ gc: true });
    Y.applyUpdate(shadow, Y.encodeStateAsUpdate(this.doc));
    for (const { update } of this.pending) Y.applyUpdate(shadow, update);
    // Typed before checks are listened to: turning the root into a fragment is a transaction of its own.
    const root = shadow.getXmlFragment(this.guard!.model.field);
    shadow.on("afterTransaction", (tr: Y.Transaction) => this.checkTrial(tr));
    this.shadowDoc?.destroy();
    this.shadowDoc = shadow;
    this.locked = new LockedClauses(this.locks.clauses, root);
  }

  /**
   * A peer's presence: only for awareness clients nobody else holds, with the identity of its
   * session and a checked caret; limited in size, count and rate. Throws ProtocolError for what
   * no honest client sends.
   */
  receiveAwareness(update: Uint8Array, from: Peer): void {
    if (update.length > maxAwarenessMessageBytes) throw new ProtocolError("awareness message too large");
    const field = this.guard!.model.field;
    const mayUpdate = (id: number) => {
      if (this.remoteClients.has(id)) return false;
      const owner = this.claims.get(id);
      // The same person's new connection takes over its states (a reconnect before the old one timed out).
      return owner === undefined || owner === from.owner;
    };
    let allowed: ReturnType<typeof filterPresence>;
    try {
      allowed = filterPresence(update, mayUpdate, (state) => presenceState(state, from.identity, field));
    } catch (err) {
      throw new ProtocolError(err instanceof PresenceViolation ? err.message : "malformed awareness update");
    }
    if (!allowed) return;
    for (const id of allowed.clients) from.awarenessClients.add(id);
    if (from.awarenessClients.size > maxAwarenessClients) throw new ProtocolError("too many awareness states");
    let rate = this.presenceRates.get(from);
    if (!rate) this.presenceRates.set(from, (rate = new PresenceRate()));
    if (!rate.take()) return;
    for (const id of allowed.clients) if (!this.claims.has(id)) this.claims.set(id, from.owner);
    awarenessProtocol.applyAwarenessUpdate(this.awareness, allowed.update, from);
  }

  private fromRelay(apply: () => void): void {
    try {
      apply();
    } catch (err) {
      this.options.log(`a message from another instance about ${this.documentId} could not be applied`, err);
    }
  }

  /** Client ids another instance (or the database) stored as taken; the first claim stands. */
  private learnClaims(claims: ClientClaims): void {
    // A stored claim outranks one made here by presence alone.
    for (const [client, owner] of claims) {
      if (!this.storedClaims.has(client)) this.claims.set(client, owner);
      this.storedClaims.add(client);
    }
  }

  private receiveRemoteAwareness(update: Uint8Array, instance: string): void {
    // Already checked by the instance its connection is on.
    const allowed = filterPresence(update, (id) => !this.holders.has(id));
    if (allowed) awarenessProtocol.applyAwarenessUpdate(this.awareness, allowed.update, new Remote(instance));
  }

  /** Tells the other instances the presence of this instance's clients. */
  private publishLocalAwareness(): void {
    const ids = [...this.holders.keys()].filter((id) => this.awareness.getStates().has(id));
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
          const [updates, claims] = await Promise.all([this.store.load(this.documentId), this.store.loadClaims(this.documentId)]);
          if (this.closed) return;
          this.learnClaims(claims);
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

  /** A peer is gone (or refused): the presence it holds goes with it, everywhere. */
  leave(peer: Peer): void {
    this.peers.delete(peer);
    this.gate.forget(peer);
    this.awaitingSaved.delete(peer);
    const held = [...this.holders].filter(([, holder]) => holder === peer).map(([id]) => id);
    if (held.length > 0) awarenessProtocol.removeAwarenessStates(this.awareness, held, null);
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
      // Claims made from here on go with the next write.
      const claims = this.unsavedClaims;
      this.unsavedClaims = new Map();
      let stored: Uint8Array;
      try {
        stored = updates.length === 1 ? updates[0] : Y.mergeUpdates(updates);
        await this.store.append(this.documentId, [stored], claims);
      } catch (err) {
        // Nothing is applied or relayed until it is durable; keep the batch and try again.
        failures += 1;
        for (const [client, owner] of claims) if (!this.unsavedClaims.has(client)) this.unsavedClaims.set(client, owner);
        if (failures === 1) this.options.log(`saving ${this.documentId} failed; holding edits and retrying`, err);
        this.setSavingPaused(true);
        if (this.closed) return;
        await new Promise((r) => setTimeout(r, Math.min(5000, 100 * 2 ** failures)));
        continue;
      }
      failures = 0;
      this.setSavingPaused(false);
      this.pending.splice(0, batch.length);
      for (const client of claims.keys()) this.storedClaims.add(client);
      this.loggedRows += 1;
      // Stored, so the other instances may have it: sent to them first, not after this
      // instance's own peers (applying it again there is harmless). Its claims go before it.
      if (claims.size > 0) this.channel?.publishClaims(claims);
      this.channel?.publishUpdate(stored);
      const writers = new Set<Peer>();
      for (const { update, from, done } of batch) {
        try {
          Y.applyUpdate(this.doc, update, from);
        } catch (err) {
          // The checks refuse what is known to make Yjs throw; should anything else, the room goes on.
          this.options.log(`applying an update to ${this.documentId} failed`, err);
        }
        writers.add(from);
        done?.();
      }
      // Peers that sent only what the room had hear it once nothing is left to store.
      if (this.pending.length === 0) {
        for (const w of this.awaitingSaved) writers.add(w);
        this.awaitingSaved.clear();
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
    this.shadowDoc?.destroy();
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
