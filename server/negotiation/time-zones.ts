import { tzOffset } from "@date-fns/tz";

/**
 * Wall-clock time in an IANA time zone to an instant. The zone's offset at an instant comes from
 * @date-fns/tz (`tzOffset`). The answer is the wall time minus the zone's offset, and that offset is
 * the one in force half a day before, at, or half a day after it (clocks change at most once a day):
 * each candidate is checked by converting it back.
 *
 * Kept our own on purpose (measured with @date-fns/tz 1.5.0):
 * - `new TZDate(y, m, d, h, min, s, zone)` resolves an hour the clocks repeat according to the
 *   *host's* time zone: 2026-10-25 02:30 Europe/Berlin gave 01:30Z with TZ=UTC and 00:30Z with
 *   TZ=America/New_York; a deadline must be the first pass wherever the server runs. It also moves
 *   a skipped time (02:30 on a spring-forward day) to 03:30 where we refuse it.
 * - `tzOffset` answers any string holding "+HH" (e.g. "Mars/+05" gives 300), so the zone itself is
 *   still checked with Intl.DateTimeFormat, which knows only real zone names.
 */

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC at an instant, in milliseconds (east positive). */
export function zoneOffset(zone: string, instant: number): number {
  return Math.round(tzOffset(zone, new Date(instant)) * 60_000);
}

/** The wall-clock time in `zone` at `instant`, as if it were UTC (milliseconds, whole seconds). */
export function wallClock(zone: string, instant: number): number {
  const second = instant - (instant % 1000);
  return second + zoneOffset(zone, second);
}

export type ZonedTimeResult = { ok: true; instant: Date } | { ok: false; error: string };

/**
 * `date` (YYYY-MM-DD) and `time` (HH:MM, or HH:MM:SS) on the clocks of `zone`, as an instant. A time the clocks
 * skip (the hour lost when daylight saving starts) is refused; one they pass twice is the first.
 */
export function zonedTimeToUtc(date: string, time: string, zone: string): ZonedTimeResult {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(time);
  if (!d || !t) return { ok: false, error: "Give the date as YYYY-MM-DD and the time as HH:MM." };
  if (!isTimeZone(zone)) return { ok: false, error: "Choose a time zone." };
  const [year, month, day, hour, minute, second] = [+d[1], +d[2], +d[3], +t[1], +t[2], +(t[3] ?? 0)];
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(wall);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    return { ok: false, error: "That date or time does not exist." };
  }
  // The earlier of the two candidates first, so a repeated hour resolves to its first pass.
  const halfDay = 86_400_000 / 2;
  const candidates = [wall - halfDay, wall + halfDay, wall].map((at) => wall - zoneOffset(zone, at)).sort((a, b) => a - b);
  for (const instant of candidates) {
    if (wallClock(zone, instant) === wall) return { ok: true, instant: new Date(instant) };
  }
  return { ok: false, error: `${time} on ${date} does not exist in ${zone} (the clocks change then).` };
}
