import net from "node:net";
import type { Sql } from "../db/sql";
import {
  deleteIdleThrottleRows,
  deleteUnusedThrottleRows,
  forgiveSignIn,
  lockThrottleRows,
  saveThrottleRow,
  type ThrottleRow,
} from "../queries/sign-in-throttle";

/**
 * Sign-in throttling, shared by every instance through PostgreSQL.
 *
 * - One account from one address: the first `freePairFailures` failures cost nothing, then each
 *   attempt waits 2^n seconds after the n-th failure, up to `maxPairDelayMs`. There is no limit on
 *   an account as a whole: that would let anyone lock its owner out by failing on purpose, while
 *   the owner, from their own address, is never slowed by someone else's guesses.
 * - One address, all accounts: at most `addressLimit` failures per `addressWindowMs`, against
 *   spraying one password over many accounts.
 *
 * An attempt is counted as a failure before the password is checked, in the same transaction as
 * the check of the limits, so parallel requests (or N instances) cannot all pass the check before
 * any of them is counted; a success takes it back. An IPv6 client is counted by its /64, which a
 * single subscriber usually holds whole.
 */
const signInLimits = {
  freePairFailures: 2,
  maxPairDelayMs: 15 * 60_000,
  addressLimit: 30,
  addressWindowMs: 15 * 60_000,
  /** Failures of a pair are forgotten after this long without another. */
  forgetAfterMs: 24 * 3600_000,
};

export type SignInClaim = { ok: true; forgive(): Promise<void> } | { ok: false; retryAfterMs: number };

/** The address's network as counted: IPv4 as is, IPv6 by its /64. */
export function addressGroup(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1];
  const bare = address.replace(/%.*$/, "");
  if (!net.isIPv6(bare)) return address;
  const [head, tail] = bare.split("::");
  const h = head ? head.split(":") : [];
  const t = tail ? tail.split(":") : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(Math.max(0, 8 - h.length - t.length)).fill("0"), ...t];
  return `${groups
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(":")}::/64`;
}

const pairDelayMs = (failures: number) =>
  failures <= signInLimits.freePairFailures ? 0 : Math.min(2 ** failures * 1000, signInLimits.maxPairDelayMs);

/**
 * `scope` keeps another kind of attempt's counts apart (password reset requests: "reset:"), so
 * that one kind never uses up an address's allowance of the other.
 */
export function createSignInThrottle(sql: Sql, scope = "") {
  return {
    /** Counts an attempt of this account from this address, or says how long to wait first. */
    async claim(email: string, address: string): Promise<SignInClaim> {
      const group = addressGroup(address);
      const pairKey = `${scope}pair:${group}|${email}`;
      const addressKey = `${scope}address:${group}`;
      const verdict = await sql.begin(async (tx) => {
        const { rows, now } = await lockThrottleRows(tx, [pairKey, addressKey]);
        const t = now.getTime();
        const pair = rows.get(pairKey)!;
        const byAddress = rows.get(addressKey)!;
        const pairFailures = t - pair.lastFailureAt.getTime() > signInLimits.forgetAfterMs ? 0 : pair.failures;
        const windowOver = t - byAddress.windowStartedAt.getTime() >= signInLimits.addressWindowMs;
        const addressFailures = windowOver ? 0 : byAddress.failures;
        const pairWait = pair.lastFailureAt.getTime() + pairDelayMs(pairFailures) - t;
        const addressWait =
          addressFailures >= signInLimits.addressLimit ? byAddress.windowStartedAt.getTime() + signInLimits.addressWindowMs - t : 0;
        const wait = Math.max(pairWait, addressWait, 0);
        if (wait > 0) {
          // Refused attempts are not counted, and leave no row behind for a sprayed address.
          await deleteUnusedThrottleRows(tx, [pairKey, addressKey]);
          return { ok: false as const, retryAfterMs: wait };
        }
        const counted = (row: ThrottleRow, failures: number, windowStartedAt: Date): ThrottleRow => ({
          ...row,
          failures: failures + 1,
          windowStartedAt,
          lastFailureAt: now,
        });
        await saveThrottleRow(tx, counted(pair, pairFailures, pair.windowStartedAt));
        await saveThrottleRow(tx, counted(byAddress, addressFailures, windowOver ? now : byAddress.windowStartedAt));
        return { ok: true as const };
      });
      if (!verdict.ok) return verdict;
      await deleteIdleThrottleRows(sql, signInLimits.forgetAfterMs);
      return { ok: true, forgive: () => forgiveSignIn(sql, pairKey, addressKey) };
    },
  };
}
