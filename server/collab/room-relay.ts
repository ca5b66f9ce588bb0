import * as Y from "yjs";
import type { ClientClaims } from "./client-owners";
import type { Relay, RelayChannel } from "./relay";
import { retryDelay } from "./write-queue";

/**
 * The origin of changes that come from another instance, or are reloaded from PostgreSQL: already
 * durable, so they are relayed to this instance's peers but never appended or published again.
 */
export class Remote {
  constructor(readonly instance: string | null) {}
}
export const fromDatabase = new Remote(null);

/** What a room's relay needs of the room. */
export interface RelayedRoom {
  /** What other instances stored, or the database has, is applied to it with a Remote origin. */
  readonly doc: Y.Doc;
  /** The document and the client ids' owners, as stored. */
  load(): Promise<[Uint8Array[], ClientClaims]>;
  learnClaims(claims: ClientClaims): void;
  /** Presence of another instance's clients, checked there. */
  receiveAwareness(update: Uint8Array, instance: string): void;
  /** The presence of this instance's clients, for an instance that asks; null if there is none. */
  localAwareness(): Uint8Array | null;
  /** That instance is gone: its clients' presence goes with it. */
  forgetInstance(instance: string): void;
  log(msg: string, err?: unknown): void;
}

/**
 * A room's side of its document's relay channel: what the other instances publish is applied to
 * the room, and what this instance stores is published to them. Pub/sub keeps nothing, so
 * whenever messages may have been missed the stored document is read again (see resync).
 */
export class RoomRelay {
  private readonly channel: RelayChannel;
  /** What other instances sent before the document was loaded, applied once it is. */
  private inbox: (() => void)[] | null = [];
  private resyncing: "no" | "yes" | "again" = "no";
  private closed = false;

  constructor(
    private readonly documentId: string,
    relay: Relay,
    private readonly room: RelayedRoom,
  ) {
    this.channel = relay.join(documentId, {
      update: (update, instance) => this.whenLoaded(() => Y.applyUpdate(room.doc, update, new Remote(instance))),
      claims: (claims) => this.whenLoaded(() => room.learnClaims(claims)),
      awareness: (update, instance) => this.whenLoaded(() => room.receiveAwareness(update, instance)),
      awarenessQuery: () =>
        this.whenLoaded(() => {
          const presence = room.localAwareness();
          if (presence) this.channel.publishAwareness(presence);
        }),
      resync: () => this.whenLoaded(() => this.resync()),
      instanceGone: (instance) =>
        this.whenLoaded(() => {
          room.forgetInstance(instance);
          // It may have stored updates it never published.
          this.resync();
        }),
    });
  }

  /**
   * Resolves once whatever the others publish from now on is heard, and asks them for their
   * clients' presence. Awaited before the document is read, so that an update stored after the read is not missed.
   */
  async subscribe(): Promise<void> {
    await this.channel.subscribed;
    this.channel.queryAwareness();
  }

  /** The document is loaded: what arrived meanwhile is applied now, and whatever arrives later at once. */
  loaded(): void {
    const inbox = this.inbox ?? [];
    this.inbox = null;
    for (const f of inbox) this.apply(f);
  }

  /** Only ever called with what is durable. */
  publishStored(update: Uint8Array, claims: ClientClaims): void {
    // An instance that hears an update must know who owns its client ids before it.
    if (claims.size > 0) this.channel.publishClaims(claims);
    this.channel.publishUpdate(update);
  }

  publishAwareness(update: Uint8Array): void {
    this.channel.publishAwareness(update);
  }

  leave(): void {
    this.closed = true;
    this.channel.leave();
    this.inbox = null;
  }

  private whenLoaded(f: () => void): void {
    if (this.closed) return;
    if (this.inbox) this.inbox.push(f);
    else this.apply(f);
  }

  private apply(f: () => void): void {
    try {
      f();
    } catch (err) {
      this.room.log(`a message from another instance about ${this.documentId} could not be applied`, err);
    }
  }

  /**
   * Applies the document as PostgreSQL has it, in one transaction: only what this copy lacks
   * reaches the peers; applying the rest is a no-op. Asked for again while a reload is under way,
   * that reload may have read the database too early, so one more follows it, however often it was asked.
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
          const [updates, claims] = await this.room.load();
          if (this.closed) return;
          this.room.learnClaims(claims);
          const doc = this.room.doc;
          Y.transact(doc, () => updates.forEach((u) => Y.applyUpdate(doc, u)), fromDatabase);
          failures = 0;
          if (this.resyncing === "yes") return;
          this.resyncing = "yes";
        } catch (err) {
          failures += 1;
          if (failures === 1) this.room.log(`reloading ${this.documentId} from the database failed; retrying`, err);
          await new Promise((r) => setTimeout(r, retryDelay(failures)));
        }
      }
    })().finally(() => (this.resyncing = "no"));
  }
}
