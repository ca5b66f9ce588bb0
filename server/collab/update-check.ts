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
  for (const s of structs) {
    if (s instanceof Y.Skip) continue;
    const { client, clock } = s.id;
    const end = clock + s.length;
    if (s.length < 1 || !Number.isSafeInteger(end)) throw new MalformedUpdate("structure of invalid length");
    if (clock > reached(client)) gap = true;
    else reach.set(client, Math.max(reached(client), end));
    to.set(client, Math.max(to.get(client) ?? 0, end));
  }
  let missing = gap;
  const refers = (item: Y.Item, id: Y.ID | null) => {
    if (!id) return;
    // Yjs looks these up without checking they exist: a reference to the item itself or later throws.
    if (id.client === item.id.client && id.clock >= item.id.clock) throw new MalformedUpdate("item refers to a later structure of its own client");
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
  return { empty: structs.length === 0 && ds.clients.size === 0, ready: !missing, to };
}

/**
 * Decides when a peer's update may go to the room: at once if it is well-formed and everything it
 * builds on is here (in the document, or admitted before it and still being written), later if not.
 *
 * An update that builds on something missing is not stored, applied or relayed: Yjs would keep it
 * pending in the document, and in every copy loaded from the log, for good if what it lacks never
 * came, and send it along to every client that syncs. A stock client sends one only in the moment
 * between reconnecting and answering the server's sync step 1, whose answer brings what it lacks;
 * so it is held for its peer, bounded, and released as soon as it can be applied.
 */
export class UpdateGate<P> {
  /** How far each client reaches counting every update admitted (written to the document or still being written). */
  private readonly admitted = new Map<number, number>();
  private readonly held = new Map<P, { updates: Uint8Array[]; bytes: number }>();

  constructor(
    private readonly doc: Y.Doc,
    private readonly maxHeldBytes: number,
  ) {}

  private check(update: Uint8Array): UpdateCheck {
    return checkUpdate(update, (client) => Math.max(Y.getState(this.doc.store, client), this.admitted.get(client) ?? 0));
  }

  private take(update: Uint8Array, check: UpdateCheck): Uint8Array {
    for (const [client, clock] of check.to) this.admitted.set(client, Math.max(clock, this.admitted.get(client) ?? 0));
    return update;
  }

  /**
   * The updates of `from` to pass on now, in order: this one if it is ready, and any held ones it
   * completes. Throws MalformedUpdate if it is malformed, TooMuchHeld if `from` holds more than
   * the bound of updates whose dependencies never arrive.
   */
  admit(update: Uint8Array, from: P): Uint8Array[] {
    const check = this.check(update);
    if (check.empty) return [];
    if (!check.ready) {
      const held = this.held.get(from) ?? { updates: [], bytes: 0 };
      held.updates.push(update);
      held.bytes += update.length;
      this.held.set(from, held);
      if (held.bytes > this.maxHeldBytes) {
        this.held.delete(from);
        throw new TooMuchHeld("document updates whose dependencies never arrived");
      }
      return [];
    }
    return [this.take(update, check), ...this.release(from).map((r) => r.update)];
  }

  /** Held updates (of one peer, or of all) that can be passed on now, in the order each peer sent them. */
  release(only?: P): { update: Uint8Array; from: P }[] {
    const ready: { update: Uint8Array; from: P }[] = [];
    for (const [from, held] of this.held) {
      if (only !== undefined && from !== only) continue;
      for (let i = 0; i < held.updates.length; ) {
        const check = this.check(held.updates[i]);
        if (!check.ready) {
          i++;
          continue;
        }
        const [update] = held.updates.splice(i, 1);
        held.bytes -= update.length;
        ready.push({ update: this.take(update, check), from });
        // An earlier held update may have been waiting for this one.
        i = 0;
      }
      if (held.updates.length === 0) this.held.delete(from);
    }
    return ready;
  }

  get holding(): boolean {
    return this.held.size > 0;
  }

  forget(peer: P): void {
    this.held.delete(peer);
  }
}
