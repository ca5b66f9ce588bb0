import * as Y from "yjs";
import * as awarenessProtocol from "y-protocols/awareness";
import { closeCodes, encodeAccess, encodeSaved, encodeSavingPaused, encodeSyncStep1, encodeUpdate } from "../../app/statement/protocol";
import { PresenceViolation, type PresenceIdentity } from "./presence";
import { LockViolation, noLocks, type RoomLocks } from "./clause-locks";
import { SchemaGuard, SchemaViolation, type DocumentModel } from "./schema-guard";
import { decodeUpdate, TooMuchHeld, UpdateGate, type DecodedUpdate, type UpdateCheck } from "./update-check";
import { ClientOwners, type ClientClaims } from "./client-owners";
import { PresenceOwnership } from "./presence-ownership";
import { PresenceEncoder } from "./presence-encoding";
import { ForeignClient, Shadow } from "./shadow";
import { WriteQueue, type Write } from "./write-queue";
import { Compactor } from "./compactor";
import { Remote, RoomRelay, type RelayedRoom } from "./room-relay";
import type { Relay } from "./relay";
import type { StoredDocument } from "../queries/document-state";

/** One WebSocket connection as a room sees it. */
export interface Peer {
  /** Whether this person may change the base text; it can change while connected. */
  canWrite: boolean;
  /** Who is behind the connection (a user id): the owner of the Yjs client ids it uses. */
  readonly owner: string;
  /** How everyone sees this connection's presence, from its session. */
  readonly identity: PresenceIdentity;
  /** Sends messages in order; several given at once go out in one write. */
  send(...messages: Uint8Array[]): void;
  close(code: number, reason: string): void;
}

/** Where a room's document is kept durably. */
export interface DocumentStore {
  load(documentId: string): Promise<StoredDocument>;
  loadClaims(documentId: string): Promise<ClientClaims>;
  /** Appends updates, and the client ids they were the first to use, in one transaction. */
  append(documentId: string, updates: Uint8Array[], claims: ClientClaims): Promise<void>;
  compact(documentId: string): Promise<unknown>;
}

export class ProtocolError extends Error {}

/**
 * Presence changes are sent to the peers together, at most this often, with a document change
 * when one goes out; with none, once presenceAloneMs have passed. Each presence message costs a
 * write per peer, and the stock client sends back every presence it hears: with N people, each
 * message sent is N writes out and N messages in. While people type, carets ride along with the
 * text, which goes out anyway, and cost no write of their own. A caret a tenth of a second late
 * (or, with nobody typing, a sixth) is not noticed; the text itself is never held back.
 */
export const presenceIntervalMs = 100;
export const presenceAloneMs = 150;

/**
 * The stock client renews its presence unchanged every 15 s, lest it time out elsewhere after 30 s.
 * Hundreds who joined together renew together, and one message of all their renewals to each of
 * them held the text up for a second (500 in a room); so renewals go with the presence messages a
 * slice at a time, all of them within some 20 messages (3 s when nothing else is sent).
 */
const renewalsPerMessage = 25;
const renewalsSpread = 20;

/** A message sent to many sockets as the Buffer the socket library would otherwise make of it for each. */
const forSockets = (m: Uint8Array): Uint8Array => Buffer.from(m.buffer, m.byteOffset, m.byteLength);

const emptyUpdate = Y.encodeStateAsUpdate(new Y.Doc());
const isEmptyUpdate = (u: Uint8Array) => u.length === emptyUpdate.length && u.every((b, i) => b === emptyUpdate[i]);
/** A client with nothing yet: its state vector lists no client. */
const isEmptyStateVector = (sv: Uint8Array) => sv.length === 1 && sv[0] === 0;

/** The server itself, as the author of changes it makes (a chair's decision): a peer of no connection. */
const serverPeer: Peer = {
  canWrite: true,
  // No connection's owner is this.
  owner: "server",
  identity: { name: "", color: "#000000", role: "", delegation: null },
  send() {},
  close() {},
};

/** Why an update is refused, and what its connection is told. */
function refusalOf(err: unknown): { code: number; reason: string } {
  if (err instanceof LockViolation) return { code: closeCodes.clauseLocked, reason: "this clause is agreed; your change was not saved" };
  if (err instanceof SchemaViolation) return { code: closeCodes.schemaViolation, reason: `your change was not saved: ${err.message}` };
  if (err instanceof ForeignClient) return { code: closeCodes.malformed, reason: err.message };
  return { code: closeCodes.malformed, reason: "malformed document update" };
}

export interface RoomOptions {
  compactAfter: number;
  log: (msg: string, err?: unknown) => void;
  relay?: Relay;
  /** What of the text nobody may change now (agreed clauses, adoption, silence); none if not given. */
  loadLocks?: (documentId: string) => Promise<RoomLocks>;
  /** What the document may hold (a statement, a proposal's draft). */
  loadModel: (documentId: string) => Promise<DocumentModel>;
  /** Bytes of held updates (see UpdateGate) one connection may have. */
  maxHeldBytes: number;
  /** How often presence changes are sent, at most; presenceIntervalMs if not given. */
  presenceIntervalMs?: number;
  /** How long presence changes wait for a document change to go out with (never less than the interval); presenceAloneMs if not given. */
  presenceAloneMs?: number;
}

/**
 * A document being edited: its Y.Doc, the awareness of the people in it, and the write path.
 *
 * The Y.Doc only ever holds durable state: a client's update is checked, tried on the shadow (see
 * Shadow), queued for the database (see WriteQueue), and only once stored applied and relayed.
 * So no participant, whether already present or syncing fresh, sees text the database does not
 * have. An update the shadow refuses is neither stored nor relayed, and its connection is closed
 * with the reason.
 */
export class Room {
  private readonly ydoc = new Y.Doc({ gc: true });
  readonly awareness = new awarenessProtocol.Awareness(this.ydoc);
  private readonly presenceEncoder = new PresenceEncoder(this.awareness);
  readonly peers = new Set<Peer>();
  readonly ready: Promise<void>;
  private readonly owners = new ClientOwners();
  private readonly presence = new PresenceOwnership<Peer>(this.owners, (id) => this.awareness.meta.get(id)?.clock);
  private readonly writes: WriteQueue<Peer>;
  private readonly gate: UpdateGate<Peer>;
  /** Made once the document's model is loaded. */
  private shadow: Shadow | null = null;
  private guard: SchemaGuard | null = null;
  private readonly compactor: Compactor;
  private closed = false;
  /** The document's channel to the other instances serving it (none without REDIS_URL). */
  private readonly relay: RoomRelay | null;
  private locks: RoomLocks = noLocks;
  private locksVersion = 0;
  /** Document updates and presence changes not yet sent to the peers (see broadcast). */
  private outgoing: { update: Uint8Array; origin: unknown }[] = [];
  private readonly outgoingPresence = new Set<number>();
  /**
   * Presence renewed unchanged, not yet sent (see renewalsPerMessage). The awareness's change event
   * names what really changed in an update, just before its update event names it all.
   */
  private readonly renewals = new Set<number>();
  private changing = new Set<number>();
  /**
   * Everyone's presence as a peer joining is sent it, as of the last presence message; null once
   * another goes out. What changed since goes to the joiner with the next one, as to everyone.
   */
  private everyonesPresence: Uint8Array | null = null;
  private scheduledBroadcast: NodeJS.Immediate | null = null;
  /** When presence last went out (performance.now()), and the timer set to send what waits for it. */
  private lastPresenceAt = -Infinity;
  private presenceTimer: NodeJS.Timeout | null = null;
  /** Peers whose last update held nothing new, told what is stored once the pending updates are. */
  private readonly awaitingSaved = new Set<Peer>();
  /** Peers closed for a refused update: whatever else they sent is built on that change. */
  private readonly refused = new WeakSet<Peer>();
  /** The whole document as one update, as a new client is sent it; null once the document changed. */
  private wholeState: Uint8Array | null = null;
  /** The document as loaded, until the Y.Doc is made from it (see load), and its state vector once read. */
  private loaded: { update: Uint8Array; stateVector: Uint8Array | null } | null = null;

  constructor(
    readonly documentId: string,
    private readonly store: DocumentStore,
    private readonly options: RoomOptions,
  ) {
    this.awareness.setLocalState(null);
    this.gate = new UpdateGate<Peer>((client) => this.shadow!.known(client), options.maxHeldBytes);
    this.writes = new WriteQueue<Peer>(documentId, {
      store: (update, claims) => store.append(documentId, [update], claims),
      stored: (batch, update, claims) => this.stored(batch, update, claims),
      pausedChanged: (paused) => {
        const message = encodeSavingPaused(paused);
        for (const peer of this.peers) peer.send(message);
      },
      idle: () => this.compactor.compactIfDue(),
      log: options.log,
    });
    this.compactor = new Compactor(documentId, { compact: () => store.compact(documentId), after: options.compactAfter, log: options.log });
    this.relay = options.relay ? new RoomRelay(documentId, options.relay, this.relayed()) : null;
    this.ready = this.load();
  }

  /** The database refused the last write: edits are held and retried (the peers are told). */
  get savingPaused(): boolean {
    return this.writes.savingPaused;
  }

  /** The document: only ever durable state. */
  get doc(): Y.Doc {
    this.applyLoaded();
    return this.ydoc;
  }

  private relayed(): RelayedRoom {
    const doc = () => this.doc;
    return {
      get doc() {
        return doc();
      },
      load: () => Promise.all([this.store.load(this.documentId).then((stored) => stored.updates), this.store.loadClaims(this.documentId)]),
      learnClaims: (claims) => this.owners.learn(claims),
      receiveAwareness: (update, instance) => {
        // Already checked by the instance its connection is on.
        const allowed = this.presence.admitRemote(update);
        if (allowed) awarenessProtocol.applyAwarenessUpdate(this.awareness, allowed, new Remote(instance));
      },
      localAwareness: () => {
        const ids = this.presence.local().filter((id) => this.awareness.getStates().has(id));
        return ids.length > 0 ? this.presenceEncoder.encode(ids) : null;
      },
      forgetInstance: (instance) => {
        const ids = this.presence.ofInstance(instance);
        if (ids.length > 0) awarenessProtocol.removeAwarenessStates(this.awareness, ids, new Remote(instance));
      },
      log: this.options.log,
    };
  }

  private async load(): Promise<void> {
    await this.relay?.subscribe();
    const [{ updates, stateVector }, claims, locks, model] = await Promise.all([
      this.store.load(this.documentId),
      this.store.loadClaims(this.documentId),
      this.options.loadLocks?.(this.documentId) ?? noLocks,
      this.options.loadModel(this.documentId),
    ]);
    this.owners.learn(claims);
    // What is stored was checked when it was written; a cold document is not checked whole again.
    this.guard = new SchemaGuard(model);
    const doc = () => this.doc;
    const pending = () => this.writes.pending.map((w) => w.update);
    this.shadow = new Shadow(
      {
        get doc() {
          return doc();
        },
        pending,
      },
      this.guard,
      this.owners,
    );
    this.compactor.appended(Math.max(0, updates.length - 1));
    this.setLocks(locks);
    // Making a long statement's Y.Doc is most of a cold open, and holds up every room of this
    // instance meanwhile. A room needs it only for a change (a write, another instance's, the
    // server's own) or to answer a client that has part of the document, so it is made then; a new
    // client is sent the bytes as loaded, and a room nobody changes may never need it.
    const update = updates.length === 1 ? updates[0] : Y.mergeUpdates(updates);
    this.loaded = { update, stateVector };
    this.awareness.on("change", ({ updated }: AwarenessChange) => (this.changing = new Set(updated)));
    this.awareness.on("update", ({ added, updated, removed }: AwarenessChange, origin: unknown) => {
      const changed = added.concat(updated, removed);
      const fromPeerHere = origin === null || this.peers.has(origin as Peer);
      if (origin instanceof Remote) this.presence.heldRemotely(origin.instance ?? "", added.concat(updated));
      else if (origin !== null && fromPeerHere) this.presence.heldBy(origin as Peer, added.concat(updated));
      this.presence.removed(removed);
      this.presenceEncoder.forget(removed);
      const outgo = (id: number) => {
        this.outgoingPresence.add(id);
        this.renewals.delete(id);
      };
      for (const id of added.concat(removed)) outgo(id);
      // Renewed unchanged: not urgent (see renewalsPerMessage), unless a change of it waits already.
      for (const id of updated) {
        if (this.changing.has(id) || this.outgoingPresence.has(id)) outgo(id);
        else this.renewals.add(id);
      }
      this.changing.clear();
      this.scheduleBroadcast();
      // This instance's clients' presence (and its removal when they leave) goes to the other
      // instances. There the clients' renewals (every 15 s) keep it; if this instance dies, they
      // drop it when its heartbeat stops, or at the latest by the awareness timeout (30 s).
      // Timeouts happen on every instance by itself; the room's own state (origin "local") is never set.
      if (this.relay && fromPeerHere) this.relay.publishAwareness(this.presenceEncoder.encode(changed));
    });
    // What other instances sent meanwhile is applied now (the Y.Doc made for it if need be).
    this.relay?.loaded();
  }

  private applyLoaded(): void {
    const loaded = this.loaded;
    if (!loaded || this.closed) return;
    this.loaded = null;
    try {
      Y.applyUpdate(this.ydoc, loaded.update);
    } catch (err) {
      this.unreadable(err);
      return;
    }
    this.ydoc.on("update", (update: Uint8Array, origin: unknown) => {
      // A peer's update is in the shadow already: it was tried there before it was stored.
      if (origin instanceof Remote) this.shadow!.follow(update);
      this.wholeState = null;
      this.outgoing.push({ update, origin });
      this.scheduleBroadcast();
    });
  }

  /** As when it cannot be read: nobody edits it here (the endpoint lets the room go when its peers have left). */
  private unreadable(err: unknown): void {
    this.options.log(`reading the stored ${this.documentId} failed`, err);
    this.closed = true;
    for (const peer of this.peers) peer.close(1011, "document could not be loaded");
  }

  private scheduleBroadcast(): void {
    this.scheduledBroadcast ??= setImmediate(() => this.broadcast());
  }

  /**
   * Sends the peers what changed since the last turn of the event loop: one document message (the
   * updates merged) and, at most every presenceIntervalMs, one presence message, in one write per
   * peer (see presenceAloneMs). Idle, that is each change at once; under load many edits and caret moves arrive between
   * two turns, and a write per change per peer was most of the server's time with 500 people in a room.
   */
  private broadcast(): void {
    if (this.scheduledBroadcast) clearImmediate(this.scheduledBroadcast);
    this.scheduledBroadcast = null;
    if (this.closed) return;
    const updates = this.outgoing;
    this.outgoing = [];
    const document =
      updates.length > 0
        ? forSockets(encodeUpdate(updates.length === 1 ? updates[0].update : Y.mergeUpdates(updates.map((u) => u.update))))
        : null;
    const presence =
      (this.outgoingPresence.size > 0 || this.renewals.size > 0) && this.presenceDue(document !== null) ? this.takePresence() : null;
    if (document && presence) {
      // A writer does not need its own edits back; when a batch mixes several writers' edits they
      // get them anyway (Yjs ignores what it has), which costs less than a message per writer.
      const only = this.onlyOrigin(updates);
      for (const peer of this.peers) {
        if (peer === only) peer.send(presence);
        else peer.send(document, presence);
      }
    } else if (document) {
      const only = this.onlyOrigin(updates);
      for (const peer of this.peers) if (peer !== only) peer.send(document);
    } else if (presence) {
      for (const peer of this.peers) peer.send(presence);
    }
  }

  private onlyOrigin(updates: { origin: unknown }[]): unknown {
    const first = updates[0].origin;
    return updates.every((u) => u.origin === first) ? first : undefined;
  }

  /**
   * Whether presence goes out now, with a document change or without; if not, a broadcast is
   * scheduled for when it goes without one.
   */
  private presenceDue(withDocument: boolean): boolean {
    const since = performance.now() - this.lastPresenceAt;
    const interval = this.options.presenceIntervalMs ?? presenceIntervalMs;
    if (withDocument && since >= interval) return true;
    const wait = Math.max(interval, this.options.presenceAloneMs ?? presenceAloneMs) - since;
    if (wait <= 0) return true;
    this.presenceTimer ??= setTimeout(() => {
      this.presenceTimer = null;
      this.scheduleBroadcast();
    }, wait);
    return false;
  }

  /** The presence message for what changed since the last one, or null if all of it is gone already. */
  private takePresence(): Uint8Array | null {
    const ids = [...this.outgoingPresence];
    this.outgoingPresence.clear();
    let renewed = Math.max(renewalsPerMessage, Math.ceil(this.renewals.size / renewalsSpread));
    for (const id of this.renewals) {
      if (renewed-- === 0) break;
      ids.push(id);
      this.renewals.delete(id);
    }
    this.everyonesPresence = null;
    this.lastPresenceAt = performance.now();
    if (this.presenceTimer) clearTimeout(this.presenceTimer);
    this.presenceTimer = null;
    // The rest go with the next messages, one at least every presenceAloneMs.
    if (this.renewals.size > 0) this.presenceDue(false);
    const present = ids.filter((id) => this.awareness.meta.has(id));
    return present.length > 0 ? forSockets(this.presenceEncoder.message(present)) : null;
  }

  /** A connection enters the room and is sent what it needs to start syncing. Call once `ready` has resolved. */
  join(peer: Peer): void {
    this.peers.add(peer);
    const messages = [this.accessFor(peer)];
    if (this.writes.savingPaused) messages.push(encodeSavingPaused(true));
    // A cold document's state vector, unless kept with its snapshot, is read from its loaded bytes,
    // which takes a while: the peer's own sync request, here already as a rule, is answered first.
    if (!this.loaded || this.loaded.stateVector) messages.push(...this.syncStart(peer));
    else
      setImmediate(() => {
        if (!this.peers.has(peer) || this.closed) return;
        try {
          peer.send(...this.syncStart(peer));
        } catch (err) {
          this.unreadable(err);
        }
      });
    peer.send(...messages);
    // When many join at once, between two presence messages they all get the same one, sent apart
    // so that its frame is made once for them all (see framesOf) rather than copied into each
    // one's own first write: with hundreds present it is 100 KB or more, and one made for each
    // joiner was garbage nothing collected while the room sat idle.
    if (this.awareness.getStates().size > 0)
      peer.send((this.everyonesPresence ??= forSockets(this.presenceEncoder.message([...this.awareness.getStates().keys()]))));
  }

  /** The loaded bytes' state vector (see load), read once a peer needs it. Throws if they are not a document. */
  private loadedStateVector(): Uint8Array {
    const loaded = this.loaded!;
    return (loaded.stateVector ??= Y.encodeStateVectorFromUpdate(loaded.update));
  }

  /** The room's state vector: what it asks a peer for, and (to a writer) which of its edits are stored. */
  private syncStart(peer: Peer): Uint8Array[] {
    const stateVector = this.loaded ? this.loadedStateVector() : Y.encodeStateVector(this.ydoc);
    // Tells a reconnecting client which of its edits are already stored.
    return peer.canWrite ? [encodeSaved(stateVector), encodeSyncStep1(stateVector)] : [encodeSyncStep1(stateVector)];
  }

  /** A peer is gone (or refused): the presence it holds goes with it, everywhere. */
  leave(peer: Peer): void {
    this.peers.delete(peer);
    this.gate.forget(peer);
    this.awaitingSaved.delete(peer);
    const held = this.presence.held(peer);
    if (held.length > 0) awarenessProtocol.removeAwarenessStates(this.awareness, held, null);
  }

  /** The part of the document a peer with this state vector lacks. Throws ProtocolError on a malformed state vector. */
  diffFor(stateVector: Uint8Array): Uint8Array {
    try {
      // A new client (nothing yet) of a document not made yet (see load) gets the bytes as loaded.
      if (this.loaded && Y.decodeStateVector(stateVector).size === 0) return this.loaded.update;
      const doc = this.doc;
      // When many arrive at once (a session starting) the new ones are sent the same bytes, encoded
      // once. Not while the document holds structures it cannot integrate yet: they change no event.
      const store = doc.store;
      if (isEmptyStateVector(stateVector) && !store.pendingStructs && !store.pendingDs)
        return (this.wholeState ??= Y.encodeStateAsUpdate(doc));
      return Y.encodeStateAsUpdate(doc, stateVector);
    } catch {
      throw new ProtocolError("malformed state vector");
    }
  }

  awarenessState(): Uint8Array {
    return this.presenceEncoder.everyone();
  }

  /**
   * A peer's document update: admitted at once if what it builds on is here, held until it is
   * otherwise (see UpdateGate). Throws ProtocolError for what no honest client sends.
   */
  receiveUpdate(bytes: Uint8Array, from: Peer): void {
    if (!from.canWrite || this.refused.has(from) || this.closed) return;
    let update: DecodedUpdate;
    try {
      update = decodeUpdate(bytes);
    } catch {
      throw new ProtocolError("malformed document update");
    }
    if (update.empty) return;
    // Writers were told the text is read-only; what they sent before hearing it is dropped.
    if (this.locks.whole) return;
    // A write needs the document made (see load).
    this.applyLoaded();
    if (this.closed) return;
    const check = this.gate.check(update);
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
  private admit(decoded: DecodedUpdate, from: Peer, check: UpdateCheck): void {
    let update = decoded.bytes;
    if (check.overlaps) {
      update = Y.diffUpdate(update, Y.encodeStateVector(this.shadow!.doc));
      if (isEmptyUpdate(update)) {
        // Nothing new, but its writer waits to hear that what it sent is stored.
        if (this.writes.pending.length === 0) from.send(encodeSaved(Y.encodeStateVector(this.doc)));
        else this.awaitingSaved.add(from);
        return;
      }
    }
    const { violation, claims } = this.shadow!.try(update, from.owner, decoded.to.keys());
    if (violation !== null) {
      const { code, reason } = refusalOf(violation);
      // Never stored nor relayed. The client's copy now differs from everyone's: it reopens a fresh one.
      this.refused.add(from);
      from.close(code, reason);
      this.leave(from);
      return;
    }
    for (const [client, owner] of claims) this.owners.claim(client, owner);
    this.writes.push({ update, from, claims });
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
    Y.applyUpdate(scratch, Y.encodeStateAsUpdate(this.shadow!.doc));
    // A client id nobody has used, so that the change is the server's alone.
    while (this.owners.has(scratch.clientID) || Y.getState(scratch.store, scratch.clientID) > 0)
      scratch.clientID = Math.floor(Math.random() * 2 ** 31);
    const before = Y.encodeStateVector(scratch);
    Y.transact(scratch, () => edit(scratch));
    const update = Y.encodeStateAsUpdate(scratch, before);
    scratch.destroy();
    if (isEmptyUpdate(update)) return;
    const { violation, claims } = this.shadow!.try(update, serverPeer.owner, [scratch.clientID], false);
    if (violation !== null) throw violation;
    for (const [client, owner] of claims) this.owners.claim(client, owner);
    await new Promise<void>((done) => this.writes.push({ update, from: serverPeer, claims, done }));
  }

  /** A batch is durable: relayed to the other instances, applied here, and its writers told. */
  private stored(batch: readonly Write<Peer>[], update: Uint8Array, claims: ClientClaims): void {
    this.owners.markStored(claims.keys());
    this.compactor.appended(1);
    // Stored, so the other instances may have it: sent to them first, not after this
    // instance's own peers (applying it again there is harmless).
    this.relay?.publishStored(update, claims);
    const writers = new Set(batch.map((w) => w.from));
    try {
      // The batch as stored, in one transaction; its writer is the origin when it has only one (see broadcast).
      Y.applyUpdate(this.doc, update, writers.size === 1 ? batch[0].from : null);
    } catch (err) {
      // The checks refuse what is known to make Yjs throw; should anything else, the room goes on.
      this.options.log(`applying an update to ${this.documentId} failed`, err);
    }
    // A stored batch goes to everyone at once, not a turn of the event loop later: it is already
    // all that waited while it was written, and the database's round trip is latency enough.
    this.broadcast();
    for (const { done } of batch) done?.();
    // Peers that sent only what the room had hear it once nothing is left to store.
    if (this.writes.pending.length === 0) {
      for (const w of this.awaitingSaved) writers.add(w);
      this.awaitingSaved.clear();
    }
    const saved = encodeSaved(Y.encodeStateVector(this.doc));
    for (const w of writers) if (this.peers.has(w)) w.send(saved);
  }

  /** Whether this peer's edits are taken now: its own right, and the text not locked as a whole. */
  private sendAccess(peer: Peer): void {
    peer.send(this.accessFor(peer));
  }

  private accessFor(peer: Peer): Uint8Array {
    return encodeAccess(!peer.canWrite || this.locks.whole !== null);
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
    this.shadow!.lock(locks.clauses);
    if (wholeChanged) for (const peer of this.peers) if (peer.canWrite) this.sendAccess(peer);
  }

  /**
   * A peer's presence: only for awareness clients it may speak for (see PresenceOwnership), with
   * the identity of its session and a checked caret. Throws ProtocolError for what no honest client sends.
   */
  receiveAwareness(update: Uint8Array, from: Peer): void {
    if (!this.peers.has(from)) return;
    let allowed: ReturnType<PresenceOwnership<Peer>["admit"]>;
    try {
      allowed = this.presence.admit(update, from, this.guard!.model.field);
    } catch (err) {
      throw new ProtocolError(err instanceof PresenceViolation ? err.message : "malformed awareness update");
    }
    if (allowed) awarenessProtocol.applyAwarenessUpdate(this.awareness, allowed.update, from);
  }

  /** Resolves once every update received so far is durable and applied. */
  async drain(): Promise<void> {
    await this.writes.drain();
    await this.compactor.finished();
  }

  /** Folds the log into the snapshot without holding up editing; appends go on meanwhile. */
  compactInBackground(): void {
    this.compactor.compact();
  }

  destroy(): void {
    this.closed = true;
    if (this.presenceTimer) clearTimeout(this.presenceTimer);
    if (this.scheduledBroadcast) clearImmediate(this.scheduledBroadcast);
    this.writes.close();
    this.shadow?.destroy();
    this.relay?.leave();
    this.awareness.destroy();
    this.ydoc.destroy();
  }
}

interface AwarenessChange {
  added: number[];
  updated: number[];
  removed: number[];
}
