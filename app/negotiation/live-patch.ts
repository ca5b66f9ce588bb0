/**
 * What changed in a live page's data between two negotiation events, as the server sends it on
 * the event stream and the page applies it instead of reloading (server/negotiation/live.ts).
 *
 * A field is patched in the smallest unit that keeps the patch small and its application safe
 * to repeat: a list of records with ids by the records that changed and where they now stand, a
 * map by its changed keys, anything else whole. Applying a patch twice, or to data that already
 * holds part of it (a page that reloaded just as the event was sent), gives the same result.
 */

/**
 * A list of records with ids (or of ids alone): those that changed or are new, those gone, and
 * where each moved or new one now follows.
 */
export interface ListPatch {
  list: {
    set: Element[];
    remove: string[];
    /** [id, the id it follows now (null: first)], in the list's new order. */
    place: [string, string | null][];
  };
}
/** A map (an object) by the keys that changed, each patched in turn. */
export interface MapPatch {
  map: { set: Record<string, FieldPatch>; remove: string[] };
}
export interface WholePatch {
  value: unknown;
}
export type FieldPatch = ListPatch | MapPatch | WholePatch;
/** A page's data by the fields that changed. */
export type LivePatch = Record<string, FieldPatch>;

export interface Identified {
  id: string;
}
type Element = Identified | string;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date);
const isList = (v: unknown): v is Element[] =>
  Array.isArray(v) && (v.every((e) => isRecord(e) && typeof e.id === "string") || v.every((e) => typeof e === "string"));
const idOf = (e: Element) => (typeof e === "string" ? e : e.id);

/**
 * Each element's serialized form, kept with the object: a field's previous value was the next
 * value of the previous diff, so across events every element is serialized once.
 */
const serialized = new WeakMap<object, string>();
function keyOf(value: unknown): string {
  if (typeof value !== "object" || value === null) return JSON.stringify(value) ?? "undefined";
  let s = serialized.get(value);
  if (s === undefined) serialized.set(value, (s = JSON.stringify(value)));
  return s;
}

/**
 * The ids of `next` that keep their relative order from `previous`: the longest increasing run of
 * their previous positions, so one moved record costs one placement, not the records it passed.
 */
function stayingInOrder(previous: Map<string, number>, next: readonly string[]): Set<string> {
  const seq = next.flatMap((id) => (previous.has(id) ? [{ id, at: previous.get(id)! }] : []));
  const tails: number[] = [];
  const back: number[] = new Array<number>(seq.length);
  for (let i = 0; i < seq.length; i++) {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (seq[tails[mid]].at < seq[i].at) lo = mid + 1;
      else hi = mid;
    }
    back[i] = lo > 0 ? tails[lo - 1] : -1;
    tails[lo] = i;
  }
  const kept = new Set<string>();
  for (let i = tails.length ? tails[tails.length - 1] : -1; i >= 0; i = back[i]) kept.add(seq[i].id);
  return kept;
}

function diffList(previous: Element[], next: Element[]): ListPatch | null {
  const ids = next.map(idOf);
  const old = new Map(previous.map((e) => [idOf(e), e]));
  const kept = stayingInOrder(new Map(previous.map((e, i) => [idOf(e), i])), ids);
  const set: Element[] = [];
  const place: [string, string | null][] = [];
  next.forEach((e, i) => {
    const was = old.get(ids[i]);
    if (was !== e && (was === undefined || keyOf(was) !== keyOf(e))) set.push(e);
    if (!kept.has(ids[i])) place.push([ids[i], i > 0 ? ids[i - 1] : null]);
  });
  const present = new Set(ids);
  const remove = [...old.keys()].filter((id) => !present.has(id));
  return set.length || remove.length || place.length ? { list: { set, remove, place } } : null;
}

function diffMap(previous: Record<string, unknown>, next: Record<string, unknown>): LivePatch | null {
  const set: LivePatch = {};
  let changed = false;
  for (const [k, v] of Object.entries(next)) {
    const p = diffValue(previous[k], v);
    if (p) {
      set[k] = p;
      changed = true;
    }
  }
  return changed ? set : null;
}

/**
 * Diffs already worked out, by the two values compared: many readers' views share their values
 * (the comments, the signals of one statement's room), and each pair is compared once.
 */
const diffed = new WeakMap<object, WeakMap<object, FieldPatch | null>>();

function diffValue(was: unknown, value: unknown): FieldPatch | null {
  if (was === value) return null;
  if (typeof was !== "object" || was === null || typeof value !== "object" || value === null) return diffFresh(was, value);
  let pairs = diffed.get(was);
  if (!pairs) diffed.set(was, (pairs = new WeakMap()));
  let p = pairs.get(value);
  if (p === undefined) pairs.set(value, (p = diffFresh(was, value)));
  return p;
}

function diffFresh(was: unknown, value: unknown): FieldPatch | null {
  if (isList(was) && isList(value)) return diffList(was, value);
  if (isRecord(was) && isRecord(value)) {
    const remove = Object.keys(was).filter((k) => !(k in value));
    const set = diffMap(was, value);
    return set || remove.length ? { map: { set: set ?? {}, remove } } : null;
  }
  return keyOf(was) === keyOf(value) ? null : { value };
}

/** The patch taking `previous` to `next`, field by field; null when nothing changed. */
export function diffLiveData(previous: Record<string, unknown>, next: Record<string, unknown>): LivePatch | null {
  return diffMap(previous, next);
}

function applyList(current: unknown, { set, remove, place }: ListPatch["list"]): Element[] {
  const had = isList(current) ? current : [];
  const records = new Map(had.map((e) => [idOf(e), e] as const));
  for (const e of set) records.set(idOf(e), e);
  const gone = new Set(remove);
  const moved = new Set(place.map(([id]) => id));
  const order = had.map(idOf).filter((id) => !gone.has(id) && !moved.has(id));
  for (const [id, after] of place) {
    const at = after === null ? 0 : order.indexOf(after) + 1;
    // A record placed after one this page never had goes last: the next reload puts it right.
    order.splice(at > 0 || after === null ? at : order.length, 0, id);
  }
  return order.flatMap((id) => (records.has(id) ? [records.get(id)!] : []));
}

function applyValue(current: unknown, p: FieldPatch): unknown {
  if ("list" in p) return applyList(current, p.list);
  if ("map" in p) return applyMap(isRecord(current) ? current : {}, p.map.set, p.map.remove);
  return p.value;
}

function applyMap(current: Record<string, unknown>, set: LivePatch, remove: readonly string[]): Record<string, unknown> {
  const out = { ...current };
  for (const [k, p] of Object.entries(set)) out[k] = applyValue(out[k], p);
  for (const k of remove) delete out[k];
  return out;
}

/** `data` with the patch applied; fields the patch does not name are kept as they are. */
export function applyLivePatch<T extends object>(data: T, patch: LivePatch): T {
  return applyMap(data as Record<string, unknown>, patch, []) as T;
}

/** JSON for the event stream, keeping dates as dates (the page's data has them, as its loader sent them). */
export function encodeLive(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, v: unknown) {
    const raw = this[key];
    return raw instanceof Date ? { $date: raw.toISOString() } : v;
  });
}

export function decodeLive<T>(text: string): T {
  return JSON.parse(text, (_key, v: unknown) =>
    isRecord(v) && typeof v.$date === "string" && Object.keys(v).length === 1 ? new Date(v.$date) : v,
  ) as T;
}
