import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { isRecord, readCaret } from "../../app/statement/presence-state";

/** A presence state the server refuses (malformed, oversized, or a caret that is not a position). */
export class PresenceViolation extends Error {}

/** Who a connection is, as everyone sees them: set from the session, never taken from the client. */
export interface PresenceIdentity {
  name: string;
  /** #rrggbb */
  color: string;
  role: string;
  delegation: string | null;
}

/** A stock client's state is its user and its caret, a few hundred bytes. */
const maxPresenceStateBytes = 2048;

/**
 * The state everyone will see for a connection: its identity from the session and its caret,
 * checked; other fields are dropped. Null (the client leaving) stays null. Throws
 * PresenceViolation for what no honest client sends.
 */
export function presenceState(json: string, identity: PresenceIdentity, field: string): string {
  if (json.length > maxPresenceStateBytes) throw new PresenceViolation("presence state too large");
  let state: unknown;
  try {
    state = JSON.parse(json);
  } catch {
    throw new PresenceViolation("presence state is not JSON");
  }
  if (state === null) return "null";
  if (!isRecord(state)) throw new PresenceViolation("presence state is not an object");
  // A caret end that is not a position in the document makes Yjs throw, or create another root,
  // in every client that draws it.
  const cursor = readCaret(state.cursor, field);
  if (cursor === undefined) throw new PresenceViolation("malformed caret");
  return JSON.stringify({ user: identity, cursor });
}

interface Entry {
  clientId: number;
  clock: number;
  state: string;
}

const utf8 = new TextDecoder();

/** Whether the `length` bytes at `at` are the state `null` (its client leaving), as the stock client writes it. */
const isNullAt = (bytes: Uint8Array, at: number, length: number) =>
  length === 4 && bytes[at] === 0x6e && bytes[at + 1] === 0x75 && bytes[at + 2] === 0x6c && bytes[at + 3] === 0x6c;

/**
 * Rewrites an awareness update to the entries `mayUpdate` accepts (given each one's client id,
 * clock and whether its state is null), each passed through `rewrite`; the others are only skipped
 * over, their text not even decoded nor sliced (the stock client re-sends every state it hears, so
 * most entries are other people's echoed back). Returns null when nothing is left; throws
 * PresenceViolation on a malformed update.
 */
export function filterPresence(
  update: Uint8Array,
  mayUpdate: (clientId: number, clock: number, isNull: boolean) => boolean,
  rewrite: (state: string) => string = (s) => s,
): { update: Uint8Array; clients: number[] } | null {
  const kept: Entry[] = [];
  let changed = false;
  try {
    const d = decoding.createDecoder(update);
    const total = decoding.readVarUint(d);
    for (let i = 0; i < total; i++) {
      const clientId = decoding.readVarUint(d);
      const clock = decoding.readVarUint(d);
      const length = decoding.readVarUint(d);
      const at = d.pos;
      if (at + length > update.length) throw new PresenceViolation("malformed awareness update");
      d.pos += length;
      if (!mayUpdate(clientId, clock, isNullAt(update, at, length))) {
        changed = true;
        continue;
      }
      const state = utf8.decode(update.subarray(at, at + length));
      const rewritten = rewrite(state);
      if (rewritten !== state) changed = true;
      kept.push({ clientId, clock, state: rewritten });
    }
    if (decoding.hasContent(d)) throw new PresenceViolation("trailing bytes after awareness update");
  } catch (err) {
    if (err instanceof PresenceViolation) throw err;
    throw new PresenceViolation("malformed awareness update");
  }
  if (kept.length === 0) return null;
  const clients = kept.map((k) => k.clientId);
  if (!changed) return { update, clients };
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, kept.length);
  for (const k of kept) {
    encoding.writeVarUint(e, k.clientId);
    encoding.writeVarUint(e, k.clock);
    encoding.writeVarString(e, k.state);
  }
  return { update: encoding.toUint8Array(e), clients };
}

/**
 * How many presence changes a connection may make: a caret moves with every keystroke, a few
 * dozen a second at most; past that the changes are dropped (the next one that fits shows where
 * the caret is).
 */
export class PresenceRate {
  private tokens: number;
  private last = Date.now();

  constructor(
    private readonly perSecond = 30,
    private readonly burst = 60,
  ) {
    this.tokens = burst;
  }

  take(): boolean {
    const now = Date.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
