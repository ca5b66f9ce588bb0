/**
 * Wall-clock time in an IANA time zone to an instant, without a library: the zone's offset at an
 * instant is read from Intl.DateTimeFormat. The answer is the wall time minus the zone's offset, and
 * that offset is the one in force half a day before, at, or half a day after it (clocks change at
 * most once a day): each candidate is checked by converting it back.
 */

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(zone, f);
  }
  return f;
}

/** The wall-clock time in `zone` at `instant`, as if it were UTC (milliseconds). */
export function wallClock(zone: string, instant: number): number {
  const parts = Object.fromEntries(formatterFor(zone).formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  return Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second);
}

/** The zone's offset from UTC at an instant, in milliseconds (east positive). */
export function zoneOffset(zone: string, instant: number): number {
  return wallClock(zone, instant - (instant % 1000)) - (instant - (instant % 1000));
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
  const candidates = [wall - zoneOffset(zone, wall - 86_400_000 / 2), wall - zoneOffset(zone, wall + 86_400_000 / 2), wall - zoneOffset(zone, wall)]
.sort((a, b) => a - b);
  for (const instant of candidates) {
    if (wallClock(zone, instant) === wall) return { ok: true, instant: new Date(instant) };
  }
  return { ok: false, error: `${time} on ${date} does not exist in ${zone} (the clocks change then).` };
}
