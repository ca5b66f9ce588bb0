import * as Y from "yjs";

export class MalformedUpdate extends Error {}

/** A peer holds more updates whose dependencies never arrive than the bound. */
export class TooMuchHeld extends Error {}

/**
 * What the checks need of a client's Yjs update, read from its bytes once: whether it can be
 * admitted is asked again whenever the room's copy grows (a held update), without decoding it again.
 */
export interface DecodedUpdate {
  readonly bytes: Uint8Array;
  /** Nothing in it: no structures and no deletions. */
  readonly empty: boolean;
  /** Per client, the clock just after its last structure in this update. */
  readonly to: ReadonlyMap<number, number>;
  /** Client, clock and end of each structure, in the update's order, flat. */
  readonly structs: readonly number[];
  /** Client and clock of each structure an item builds on (origins and parents), flat. */
  readonly refs: readonly number[];
  /** Client and end of each deleted range, flat. */
  readonly deletions: readonly number[];
}

export interface UpdateCheck {
  /**
   * Everything it builds on is known (in the document or queued before it). When false, Yjs
   * would keep it pending, invisible and unresolvable until its missing part arrives.
   */
  ready: boolean;
  /** Some structures are already known (a copy the client got from the server, sent back). */
  overlaps: boolean;
}

/**
 * Reads a client's Yjs update and checks what `Y.applyUpdate` silently assumes: structures have
 * a length, an item refers to earlier structures of its own client only, deletions are of at
 * least one item. Updates that break these assumptions decode fine but make `applyUpdate` throw
 * half-way (after the update was stored, every later load of the document would throw too), so
 * they are refused as malformed (MalformedUpdate).
 */
export function decodeUpdate(update: Uint8Array): DecodedUpdate {
  let decoded: ReturnType<typeof Y.decodeUpdate>;
  try {
    decoded = Y.decodeUpdate(update);
  } catch {
    throw new MalformedUpdate("undecodable");
  }
  const to = new Map<number, number>();
  const structs: number[] = [];
  const refs: number[] = [];
  const deletions: number[] = [];
  for (const s of decoded.structs) {
    if (s instanceof Y.Skip) continue;
    const { client, clock } = s.id;
    const end = clock + s.length;
    if (s.length < 1 || !Number.isSafeInteger(end)) throw new MalformedUpdate("structure of invalid length");
    structs.push(client, clock, end);
    to.set(client, Math.max(to.get(client) ?? 0, end));
  }
  const refers = (item: Y.Item, id: Y.ID | null) => {
    if (!id) return;
    // Yjs looks these up without checking they exist: a reference to the item itself or later throws.
    if (id.client === item.id.client && id.clock >= item.id.clock)
      throw new MalformedUpdate("item refers to a later structure of its own client");
    refs.push(id.client, id.clock);
  };
  for (const s of decoded.structs) {
    if (!(s instanceof Y.Item)) continue;
    refers(s, s.origin);
    refers(s, s.rightOrigin);
    if (s.parent instanceof Y.ID) refers(s, s.parent);
  }
  for (const [client, ranges] of decoded.ds.clients) {
    for (const { clock, len } of ranges) {
      if (len < 1 || !Number.isSafeInteger(clock + len)) throw new MalformedUpdate("deletion of invalid length");
      deletions.push(client, clock + len);
    }
  }
  const empty = decoded.structs.length === 0 && decoded.ds.clients.size === 0;
  return { bytes: update, empty, to, structs, refs, deletions };
}

/** Whether a decoded update can be admitted now; `known(client)` is how far the server's copy of a client's structures reaches. */
export function checkUpdate(update: DecodedUpdate, known: (client: number) => number): UpdateCheck {
  // How far each client reaches once this update's own structures are added (they may refer to each other).
  const reach = new Map<number, number>();
  const reached = (client: number) => reach.get(client) ?? known(client);
  let overlaps = false;
  const { structs, refs, deletions } = update;
  for (let i = 0; i < structs.length; i += 3) {
    const client = structs[i];
    const clock = structs[i + 1];
    if (clock < known(client)) overlaps = true;
    if (clock > reached(client)) return { ready: false, overlaps };
    reach.set(client, Math.max(reached(client), structs[i + 2]));
  }
  for (let i = 0; i < refs.length; i += 2) if (refs[i + 1] >= reached(refs[i])) return { ready: false, overlaps };
  for (let i = 0; i < deletions.length; i += 2) if (deletions[i + 1] > reached(deletions[i])) return { ready: false, overlaps };
  return { ready: true, overlaps };
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
  private readonly held = new Map<P, { updates: DecodedUpdate[]; bytes: number }>();

  constructor(
    private readonly known: (client: number) => number,
    private readonly maxHeldBytes: number,
  ) {}

  check(update: DecodedUpdate): UpdateCheck {
    return checkUpdate(update, this.known);
  }

  /** Keeps an update that is not ready; throws TooMuchHeld past the bound. */
  hold(update: DecodedUpdate, from: P): void {
    const held = this.held.get(from) ?? { updates: [], bytes: 0 };
    held.updates.push(update);
    held.bytes += update.bytes.length;
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
  release(admit: (update: DecodedUpdate, from: P, check: UpdateCheck) => void): void {
    let progress = true;
    while (progress && this.held.size > 0) {
      progress = false;
      for (const [from, held] of this.held) {
        let check: UpdateCheck | null = null;
        const i = held.updates.findIndex((u) => (check = this.check(u)).ready);
        if (i < 0) continue;
        const [update] = held.updates.splice(i, 1);
        held.bytes -= update.bytes.length;
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
