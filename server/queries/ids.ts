const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids come from URLs; anything that is not a uuid names no row and must not reach PostgreSQL as one. */
export function isUuid(id: string): boolean {
  return uuidPattern.test(id);
}
