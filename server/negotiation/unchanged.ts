/**
 * Keeping what did not change between two readings of the same data, so that everything derived
 * from it (views, their serialized forms, the patches between them) is found unchanged by
 * identity instead of being built, serialized and compared again.
 */

/** Whether two values read from the database hold the same data: plain values, dates, arrays, sets, maps, records. */
export function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => sameData(v, b[i]));
  if (a instanceof Date) return b instanceof Date && a.getTime() === b.getTime();
  if (a instanceof Set) return b instanceof Set && a.size === b.size && [...a].every((v) => b.has(v));
  if (a instanceof Map) return b instanceof Map && a.size === b.size && [...a].every(([k, v]) => b.has(k) && sameData(v, b.get(k)));
  if (Array.isArray(b) || b instanceof Date || b instanceof Set || b instanceof Map) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => k in b && sameData((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** The previous value when the next holds the same data. */
export function keep<T>(previous: T | undefined, next: T): T {
  return previous !== undefined && sameData(previous, next) ? previous : next;
}

const idOf = (row: unknown): unknown => (typeof row === "object" && row !== null ? (row as { id?: unknown }).id : undefined);

/**
 * The next rows, each one that did not change being the previous row itself (matched by id, or
 * by place for rows without one), and
 * the previous list itself when none changed, none came and none went.
 */
export function keepRows<T>(previous: readonly T[], next: T[]): T[] {
  if (previous === next) return next;
  const byId = new Map<unknown, T[]>();
  for (const row of previous) {
    const id = idOf(row);
    if (id === undefined) continue;
    const same = byId.get(id);
    if (same) same.push(row);
    else byId.set(id, [row]);
  }
  let all = previous.length === next.length;
  const rows = next.map((row, i) => {
    const id = idOf(row);
    // A row without an id can only be the one at its place.
    const candidates =
      id === undefined ? (i < previous.length && idOf(previous[i]) === undefined ? [previous[i]] : undefined) : byId.get(id);
    const at = candidates ? candidates.findIndex((p) => sameData(p, row)) : -1;
    if (at < 0) {
      all = false;
      return row;
    }
    const kept = candidates![at];
    candidates!.splice(at, 1);
    if (kept !== previous[i]) all = false;
    return kept;
  });
  return all ? (previous as T[]) : rows;
}
