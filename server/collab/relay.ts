/**
 * How the rooms of several Concord instances serving the same documents hear each other. With no
 * relay (no REDIS_URL) a room is alone, as when one process serves everything.
 *
 * Everything relayed is already durable: a document update is published only after it is in
 * PostgreSQL, and the receiving room applies it without appending it again. PostgreSQL stays the
 * one source of truth; whenever messages may have been missed, a room reloads from it.
 */
export interface Relay {
  /** Starts receiving what other instances publish about a document. */
  join(documentId: string, receiver: RelayReceiver): RelayChannel;
  close(): Promise<void>;
}

/** What a room hears from the other instances. `instance` names the instance that published it. */
export interface RelayReceiver {
  /** A durable document update (already in PostgreSQL). */
  update(update: Uint8Array, instance: string): void;
  /** Yjs client ids first used by updates that instance stored (user id, or "server"), published before those updates. */
  claims(claims: Map<number, string>, instance: string): void;
  /** An awareness update about clients connected to that instance. */
  awareness(update: Uint8Array, instance: string): void;
  /** Another instance wants the awareness states of this instance's clients (it just joined or missed some). */
  awarenessQuery(): void;
  /** Messages may have been missed: reload the document from PostgreSQL (applying it again is harmless). */
  resync(): void;
  /**
   * That instance stopped (or lost Redis for long): it may have stored updates it never published,
   * and its clients' presence is no longer renewed.
   */
  instanceGone(instance: string): void;
}

/** A room's side of its document's channel. */
export interface RelayChannel {
  /**
   * Resolves once whatever is published from now on will be received, so that loading from
   * PostgreSQL afterwards misses nothing. Resolves at once while Redis is unreachable; the room
   * is then told to resync when it is back.
   */
  readonly subscribed: Promise<void>;
  /** Only ever called with what is durable. */
  publishUpdate(update: Uint8Array): void;
  publishClaims(claims: Map<number, string>): void;
  publishAwareness(update: Uint8Array): void;
  queryAwareness(): void;
  leave(): void;
}
