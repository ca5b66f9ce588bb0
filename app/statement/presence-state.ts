/**
 * Reading a presence (awareness state). Every participant can publish anything as their
 * presence; a state is shown only if every field we draw from it is what our own client would
 * have sent. Anything else is skipped whole, never repaired: a half-trusted state is how a caret
 * or a style attribute ends up built from hostile input. The server reads carets with the same
 * rules before it relays a state (server/collab/presence.ts).
 */

interface IdJSON {
  client: number;
  clock: number;
}

/** A Y.RelativePosition as JSON (y-protocols sends presence as JSON). */
export interface RelativePositionJSON {
  type: IdJSON | null;
  tname: string | null;
  item: IdJSON | null;
  assoc: number;
}

export interface CaretJSON {
  anchor: RelativePositionJSON;
  head: RelativePositionJSON;
}

export interface RemotePresence {
  name: string;
  color: string;
  /** Where their caret is; null when they are not in the text. */
  cursor: CaretJSON | null;
}

const colorPattern = /^#[0-9a-fA-F]{6}$/;
const maxNameLength = 200;

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isId = (v: unknown): v is IdJSON => isRecord(v) && Object.keys(v).length === 2 && isCount(v.client) && isCount(v.clock);
const positionKeys = new Set(["type", "tname", "item", "assoc"]);

/**
 * Yjs resolves a position by its item, else its root type's name, else its type's id, and throws
 * ("Unexpected case") when none is set; a root name other than the text's would make it create
 * that root type in our document.
 */
function readPosition(v: unknown, field: string): RelativePositionJSON | null {
  if (!isRecord(v) || !Object.keys(v).every((k) => positionKeys.has(k))) return null;
  const { type = null, tname = null, item = null, assoc = 0 } = v;
  if (item !== null && !isId(item)) return null;
  if (type !== null && !isId(type)) return null;
  if (tname !== null && tname !== field) return null;
  if (item === null && type === null && tname === null) return null;
  if (!Number.isInteger(assoc) || Math.abs(assoc as number) > 1) return null;
  const id = (x: IdJSON | null) => (x ? { client: x.client, clock: x.clock } : null);
  return { type: id(type), tname: tname, item: id(item), assoc: assoc as number };
}

/** A caret as y-prosemirror publishes it (fresh copies of its positions), null for none, undefined if malformed. */
export function readCaret(v: unknown, field: string): CaretJSON | null | undefined {
  if (v === null || v === undefined) return null;
  if (!isRecord(v)) return undefined;
  const anchor = readPosition(v.anchor, field);
  const head = readPosition(v.head, field);
  return anchor && head ? { anchor, head } : undefined;
}

/** The presence to show for one awareness state of the text stored in `field`, or null to skip it. */
export function readPresence(state: unknown, field: string): RemotePresence | null {
  if (!isRecord(state) || !isRecord(state.user)) return null;
  const { name, color } = state.user;
  if (typeof name !== "string" || name.trim() === "" || name.length > maxNameLength) return null;
  if (typeof color !== "string" || !colorPattern.test(color)) return null;
  const cursor = readCaret(state.cursor, field);
  if (cursor === undefined) return null;
  return { name, color, cursor };
}
