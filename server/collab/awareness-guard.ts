import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";

interface Entry {
  clientId: number;
  clock: number;
  state: string;
}

function readEntries(update: Uint8Array): Entry[] {
  const d = decoding.createDecoder(update);
  const count = decoding.readVarUint(d);
  const entries: Entry[] = [];
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(d);
    const clock = decoding.readVarUint(d);
    const state = decoding.readVarString(d);
    JSON.parse(state);
    entries.push({ clientId, clock, state });
  }
  if (decoding.hasContent(d)) throw new Error("trailing bytes after awareness update");
  return entries;
}

/**
 * Keeps the entries of an awareness update that this connection may speak for, and throws on a
 * malformed update. The stock client re-broadcasts every state it hears, its own and others',
 * so entries about another connection's clients are expected and merely dropped.
 */
export function filterAwarenessUpdate(update: Uint8Array, mayUpdate: (clientId: number) => boolean): Uint8Array | null {
  const entries = readEntries(update);
  const kept = entries.filter((e) => mayUpdate(e.clientId));
  if (kept.length === entries.length) return update;
  if (kept.length === 0) return null;
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, kept.length);
  for (const k of kept) {
    encoding.writeVarUint(e, k.clientId);
    encoding.writeVarUint(e, k.clock);
    encoding.writeVarString(e, k.state);
  }
  return encoding.toUint8Array(e);
}
