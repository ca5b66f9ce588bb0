import * as Y from "yjs";

export class MalformedUpdate extends Error {}

/** A peer holds more updates whose dependencies never arrive than the bound. */
export class TooMuchHeld extends Error {}

export interface UpdateCheck {
  /** Nothing in it: no structures and no deletions. */
  empty: boolean;
  /**
   * Everything it builds on is known (in the document or queued before it). When false, Yjs
   * would keep it pending, invisible and unresolvable until its missing part arrives.
   */
  ready: boolean;
  /** Per client, the clock just after its last structure in this update. */
  to: Map<number, number>;
  /** Some structures are already known (a copy the client got from the server, sent back). */
  overlaps: boolean;
}

/**
 * Reads a client's Yjs update and checks what `Y.applyUpdate` silently assumes: structures have
 * a length, an item refers to earlier structures of its own client only, deletions are of at
 * least one item. Updates that break these assumptions decode fine but make `applyUpdate` throw
 * half-way (after the update was stored, every later load of the document would throw too), so
 * they are refused as malformed. `known(client)` is how far the server's copy of a client's
 * structures reaches.
 */
export function checkUpdate(update: Uint8Array, known: (client: number) => number): UpdateCheck {
  let decoded: ReturnType<typeof Y.decodeUpdate>;
  try {
    decoded = Y.decodeUpdate(update);
  } catch {
    throw new MalformedUpdate("undecodable");
  }
  const { structs, ds } = decoded;
  const to = new Map<number, number>();
  // How far each client reaches once this update's own structures are added (they may refer to each other).
  const reach = new Map<number, number>();
  const reached = (client: number) => reach.get(client) ?? known(client);
  let gap = false;
  let overlaps = false;
  for (const s of structs) {
    if (s instanceof Y.Skip) continue;
    const { client, clock } = s.id;
    const end = clock + s.length;
    if (s.length < 1 || !Number.isSafeInteger(end)) throw new MalformedUpdate("structure of invalid length");
    if (clock < known(client)) overlaps = true;
    if (clock > reached(client)) gap = true;
    else reach.set(client, Math.max(reached(client), end));
    to.set(client, Math.max(to.get(client) ?? 0, end));
  }
  let missing = gap;
  const refers = (item: Y.Item, id: Y.ID | null) => {
    if (!id) return;
    // Yjs looks these up without checking they exist: a reference to the item itself or later throws.
    if (id.client === item.id.client && id.clock >= item.id.clock)
      throw new MalformedUpdate("item refers to a later structure of its own client");
    if (id.clock >= reached(id.client)) missing = true;
  };
  for (const s of structs) {
    if (!(s instanceof Y.Item)) continue;
    refers(s, s.origin);
    refers(s, s.rightOrigin);
    if (s.parent instanceof Y.ID) refers(s, s.parent);
  }
  for (const [client, ranges] of ds.clients) {
    for (const { clock, len } of ranges) {
      if (len < 1 || !Number.isSafeInteger(clock + len)) throw new MalformedUpdate("deletion of invalid length");
      if (clock + len > reached(client)) missing = true;
    }
  }
  return { empty: structs.length === 0 && ds.clients.size === 0, ready: !missing, to, overlaps };
}

/**
 * Holds a peer's updates that build on something the document does not have yet, and gives them
 * back once it does. `known(client)` is how far the room's copy (stored, or admitted and being
 * stored) reaches for a client.
 *
 * Such an update is not stored, applied or relayed: Yjs would keep it pending in the document, and
 * in every copy loaded from the log, for good if what it lacks never came, and send it along to
 * every client that syncs. A stock client sends one only in the moment between reconnecting and
 * answering the server's sync step 1, whose answer brings what it lacks; so it is held for its
 * peer, bounded, and released as soon as it can be applied.
 */
export class UpdateGate<P> {
  private readonly held = new Map<P, { updates: Uint8Array[]; bytes: number }>();

  constructor(private readonly known: (client: number) => number, private readonly maxHeldBytes: number) {}

  /** Throws MalformedUpdate. */
  check(update: Uint8Array): UpdateCheck {
    return checkUpdate(update, this.known);
  }

  /** Keeps an update that is not ready; throws TooMuchHeld past the bound. */
  hold(update: Uint8Array, from: P): void {
    const held = this.held.get(from) ?? { updates: [], bytes: 0 };
    held.updates.push(update);
    held.bytes += update.length;
    this.held.set(from, held);
    if (held.bytes > this.maxHeldBytes) {
      this.held.delete(from);
      throw new TooMuchHeld("document updates whose dependencies never arrived");
    }
  }

  /**
   * Passes each held update that is ready now to `admit`, in the order each peer sent them, until
   * none is (admitting one may complete another).
   */
  release(admit: (update: Uint8Array, from: P, check: UpdateCheck) => void): void {
    let progress = true;
    while (progress && this.held.size > 0) {
      progress = false;
      for (const [from, held] of this.held) {
        let check: UpdateCheck | null = null;
        const i = held.updates.findIndex((u) => (check = this.check(u)).ready);
        if (i < 0) continue;
        const [update] = held.updates.splice(i, 1);
        held.bytes -= update.length;
        if (held.updates.length === 0) this.held.delete(from);
        admit(update, from, check!);
        progress = true;
      }
    }
  }

  get holding(): boolean {
    return this.held.size > 0;
  }

  forget(peer: P): void {
    this.held.delete(peer);
  }
}
