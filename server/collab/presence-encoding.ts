import * as encoding from "lib0/encoding";
import type { Awareness } from "y-protocols/awareness";
import { messageAwareness } from "../../app/statement/protocol";

const varUintLength = (n: number) => {
  let length = 1;
  for (; n > 127; length++) n = Math.floor(n / 128);
  return length;
};

/** Writes n as lib0's writeVarUint does; returns the position after it. */
function writeVarUint(out: Uint8Array, at: number, n: number): number {
  for (; n > 127; n = Math.floor(n / 128)) out[at++] = 0x80 | (n & 127);
  out[at++] = n;
  return at;
}

/**
 * Awareness updates of a room's presence, encoded as `encodeAwarenessUpdate` does, from each
 * state's entry encoded once per change. A joining peer is sent everyone's presence, and when
 * many join at once everyone's presence changes between two of them: encoding every state again
 * for each was quadratic in the people present.
 */
export class PresenceEncoder {
  /** Each client's entry (id, clock, state as JSON) as last encoded, with the clock and state it was encoded from. */
  private readonly entries = new Map<number, { clock: number; state: unknown; bytes: Uint8Array }>();

  constructor(private readonly awareness: Awareness) {}

  /** An awareness update of these clients' states (null for a removed one); each must have a clock. */
  encode(clients: readonly number[]): Uint8Array {
    return this.write(clients, false);
  }

  /**
   * The awareness message of these clients' states (the update after its message type), made in
   * one buffer of its size: with hundreds present, everyone's presence is 100 KB or more, made
   * again whenever it changed for a peer joining, and each copy on the way was as large.
   */
  message(clients: readonly number[]): Uint8Array {
    return this.write(clients, true);
  }

  /** Every state the room has. */
  everyone(): Uint8Array {
    return this.encode([...this.awareness.getStates().keys()]);
  }

  /** A client's state is gone from the room: its entry is not kept. */
  forget(clients: readonly number[]): void {
    for (const id of clients) this.entries.delete(id);
  }

  private write(clients: readonly number[], asMessage: boolean): Uint8Array {
    const entries = clients.map((id) => this.entry(id));
    let updateLength = varUintLength(entries.length);
    for (const bytes of entries) updateLength += bytes.length;
    const out = new Uint8Array(asMessage ? varUintLength(messageAwareness) + varUintLength(updateLength) + updateLength : updateLength);
    let at = asMessage ? writeVarUint(out, writeVarUint(out, 0, messageAwareness), updateLength) : 0;
    at = writeVarUint(out, at, entries.length);
    for (const bytes of entries) {
      out.set(bytes, at);
      at += bytes.length;
    }
    return out;
  }

  private entry(id: number): Uint8Array {
    const state = this.awareness.getStates().get(id) ?? null;
    const clock = this.awareness.meta.get(id)!.clock;
    const cached = this.entries.get(id);
    if (cached && cached.clock === clock && cached.state === state) return cached.bytes;
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, id);
    encoding.writeVarUint(e, clock);
    encoding.writeVarString(e, JSON.stringify(state));
    const bytes = encoding.toUint8Array(e);
    if (state !== null) this.entries.set(id, { clock, state, bytes });
    return bytes;
  }
}
