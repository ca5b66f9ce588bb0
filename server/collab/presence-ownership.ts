import { filterPresence, presenceState, PresenceRate, PresenceViolation, type PresenceIdentity } from "./presence";
import type { ClientOwners } from "./client-owners";

/** What presence ownership needs to know of a connection. */
export interface PresenceHolder {
  /** Who is behind the connection (a user id): the owner of the client ids it uses. */
  readonly owner: string;
  /** How everyone sees this connection's presence, from its session. */
  readonly identity: PresenceIdentity;
}

/** What presence ownership keeps of one connection. */
interface Speaker {
  /** Every awareness client id it has set, removed ones included (the cap counts them all). */
  setBy: Set<number>;
  rate: PresenceRate;
  /** Whether it may set this awareness client's state: nobody else holds or owns it, and it is a change. */
  mayUpdate: (id: number, clock: number, isNull: boolean) => boolean;
  /** A state it sent, as everyone will see it. */
  rewrite: (state: string) => string;
}

/** Connections may set this many awareness client ids; a stock client sets one (its document's). */
const maxAwarenessClients = 16;
/** An awareness message's size, at most: a stock client echoes a whole batch of others' states. */
const maxAwarenessMessageBytes = 1024 * 1024;

/**
 * Which connection speaks for which awareness client id in a room: a connection sets states only
 * for ids nobody else holds (here or on another instance) or that its own person claimed, a
 * bounded number of them, at a bounded rate; and the states it holds go when it leaves.
 */
export class PresenceOwnership<P extends PresenceHolder> {
  private readonly speakers = new WeakMap<P, Speaker>();
  /**
   * Which connection here holds each awareness client's state now. The stock client re-sends every
   * state it hears, so with N people each change comes back N times: the check must not scan the connections.
   */
  private readonly holders = new Map<number, P>();
  /** Awareness clients of other instances, with their instance; no connection here may speak for them. */
  private readonly remote = new Map<number, string>();
  private readonly notHeldHere = (id: number) => !this.holders.has(id);

  constructor(
    private readonly owners: ClientOwners,
    /** The clock of the room's state of an awareness client (its latest, removed or not), if it has one. */
    private readonly clockOf: (id: number) => number | undefined,
  ) {}

  /**
   * A connection's awareness update reduced to the states it may set, each with the identity of its
   * session and a checked caret (in the document's `field`); null when nothing is left or the
   * connection is over its rate. Throws PresenceViolation for what no honest client sends.
   */
  admit(update: Uint8Array, from: P, field: string): { update: Uint8Array; clients: number[] } | null {
    if (update.length > maxAwarenessMessageBytes) throw new PresenceViolation("awareness message too large");
    const speaker = this.speakerFor(from, field);
    let allowed: ReturnType<typeof filterPresence>;
    try {
      allowed = filterPresence(update, speaker.mayUpdate, speaker.rewrite);
    } catch (err) {
      throw err instanceof PresenceViolation ? err : new PresenceViolation("malformed awareness update");
    }
    if (!allowed) return null;
    for (const id of allowed.clients) speaker.setBy.add(id);
    if (speaker.setBy.size > maxAwarenessClients) throw new PresenceViolation("too many awareness states");
    if (!speaker.rate.take()) return null;
    for (const id of allowed.clients) if (!this.owners.has(id)) this.owners.claim(id, from.owner);
    return allowed;
  }

  /** A connection's filter and counts, made once: every presence anyone sends comes back from every connection. */
  private speakerFor(from: P, field: string): Speaker {
    let speaker = this.speakers.get(from);
    if (speaker) return speaker;
    const { owner, identity } = from;
    speaker = {
      setBy: new Set(),
      rate: new PresenceRate(),
      mayUpdate: (id, clock, isNull) => {
        if (!this.changes(id, clock, isNull) || this.remote.has(id)) return false;
        const claimed = this.owners.owner(id);
        // The same person's new connection takes over its states (a reconnect before the old one timed out).
        return claimed === undefined || claimed === owner;
      },
      rewrite: (state) => presenceState(state, identity, field),
    };
    this.speakers.set(from, speaker);
    return speaker;
  }

  /**
   * Whether an entry would change the room's awareness: one older than its state, or the same
   * again (the stock client sends back every state it hears, its own person's other connections'
   * too), is ignored there; so it is not read here either.
   */
  private changes(id: number, clock: number, isNull: boolean): boolean {
    const current = this.clockOf(id);
    return current === undefined || clock > current || (clock === current && isNull);
  }

  /** Another instance's awareness update reduced to the states no connection here holds (it checked them itself). */
  admitRemote(update: Uint8Array): Uint8Array | null {
    return filterPresence(update, this.notHeldHere)?.update ?? null;
  }

  /** These states were set by a connection here. */
  heldBy(holder: P, ids: number[]): void {
    for (const id of ids) this.holders.set(id, holder);
  }

  /** These states were set by another instance's clients. */
  heldRemotely(instance: string, ids: number[]): void {
    for (const id of ids) this.remote.set(id, instance);
  }

  removed(ids: number[]): void {
    for (const id of ids) {
      this.remote.delete(id);
      this.holders.delete(id);
    }
  }

  /** The states a connection holds now: they go when it does. */
  held(holder: P): number[] {
    return [...this.holders].filter(([, h]) => h === holder).map(([id]) => id);
  }

  /** The states of another instance's clients, for when that instance is gone. */
  ofInstance(instance: string): number[] {
    return [...this.remote].filter(([, from]) => from === instance).map(([id]) => id);
  }

  /** Every state held by a connection here, for the other instances. */
  local(): number[] {
    return [...this.holders.keys()];
  }
}
