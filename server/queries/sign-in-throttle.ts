import type { Db, Sql } from "../db/sql";

export interface ThrottleRow {
  key: string;
  failures: number;
  windowStartedAt: Date;
  lastFailureAt: Date;
}

/**
 * The rows of these keys (created empty when missing), locked until the transaction ends, and the
 * database's clock: every instance judges time by the same clock.
 */
export async function lockThrottleRows(tx: Db, keys: string[]): Promise<{ rows: Map<string, ThrottleRow>; now: Date }> {
  const sorted = [...new Set(keys)].sort();
  // Inserted and locked in key order, so two sign-ins on overlapping keys cannot deadlock.
  await tx`insert into sign_in_throttle ${tx(sorted.map((key) => ({ key })))} on conflict (key) do nothing`;
  const rows = await tx<(ThrottleRow & { now: Date })[]>`
    select key, failures, window_started_at as "windowStartedAt", last_failure_at as "lastFailureAt", now() as now
    from sign_in_throttle where key in ${tx(sorted)} order by key for update`;
  return { rows: new Map(rows.map(({ now: _, ...row }) => [row.key, row])), now: rows[0].now };
}

export async function saveThrottleRow(tx: Db, row: ThrottleRow): Promise<void> {
  await tx`
    update sign_in_throttle
    set failures = ${row.failures}, window_started_at = ${row.windowStartedAt}, last_failure_at = ${row.lastFailureAt}
    where key = ${row.key}`;
}

/** A successful sign-in: the pair's failures are forgotten, and the attempt no longer counts against the address. */
export async function forgiveSignIn(sql: Sql, pairKey: string, addressKey: string): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`delete from sign_in_throttle where key = ${pairKey}`;
    await tx`update sign_in_throttle set failures = greatest(failures - 1, 0) where key = ${addressKey}`;
  });
}

/** Rows of these keys that count no failure (created by lockThrottleRows for an attempt that was refused). */
export async function deleteUnusedThrottleRows(tx: Db, keys: string[]): Promise<void> {
  await tx`delete from sign_in_throttle where key in ${tx(keys)} and failures = 0`;
}

/** Rows without a failure for `ageMs`, by the database's clock. */
export async function deleteIdleThrottleRows(sql: Db, ageMs: number): Promise<void> {
  await sql`delete from sign_in_throttle where last_failure_at < now() - ${ageMs} * interval '1 millisecond'`;
}
