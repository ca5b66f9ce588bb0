import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";

interface Entry {
  clientId: number;
  clock: number;
  state: string;
}

/** The entries `keep` accepts, read and checked in full; the others are only skipped over. */
function readEntries(update: Uint8Array, keep: (clientId: number) => boolean): { kept: Entry[]; total: number } {
  const d = decoding.createDecoder(update);
  const total = decoding.readVarUint(d);
  const kept: Entry[] = [];
  for (let i = 0; i < total; i++) {
    const clientId = decoding.readVarUint(d);
    const clock = decoding.readVarUint(d);
    const state = decoding.readVarString(d);
    if (!keep(clientId)) continue;
    JSON.parse(state);
    kept.push({ clientId, clock, state });
  }
  if (decoding.hasContent(d)) throw new Error("trailing bytes after awareness update");
  return { kept, total };
}

/**
 * Keeps the entries of an awareness update that this connection may speak for, and throws on a
 * malformed update. The stock client re-broadcasts every state it hears, its own and others',
 * so entries about another connection's clients are expected and merely dropped.
 */
export function filterAwarenessUpdate(update: Uint8Array, mayUpdate: (clientId: number) => boolean): Uint8Array | null {
  const { kept, total } = readEntries(update, mayUpdate);
  if (kept.length === total) return update;
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
