import { describe, expect, it } from "vitest";
import { zonedTimeToUtc, zoneOffset } from "../../server/negotiation/time-zones";

const utc = (date: string, time: string, zone: string) => {
  const r = zonedTimeToUtc(date, time, zone);
  if (!r.ok) throw new Error(r.error);
  return r.instant.toISOString();
};

describe("a deadline on the clocks of a time zone, in UTC", () => {
  it("Asia/Baku is UTC+4 all year", () => {
    expect(utc("2026-06-01", "18:00", "Asia/Baku")).toBe("2026-06-01T14:00:00.000Z");
    expect(utc("2026-12-31", "23:30", "Asia/Baku")).toBe("2026-12-31T19:30:00.000Z");
    expect(utc("2026-01-01", "02:00", "Asia/Baku")).toBe("2025-12-31T22:00:00.000Z");
  });

  it("America/New_York is UTC-5 in winter and UTC-4 in summer", () => {
    expect(utc("2026-01-15", "12:00", "America/New_York")).toBe("2026-01-15T17:00:00.000Z");
    expect(utc("2026-07-01", "12:00", "America/New_York")).toBe("2026-07-01T16:00:00.000Z");
    // Either side of the change on 8 March 2026 (02:00 → 03:00).
    expect(utc("2026-03-08", "01:59", "America/New_York")).toBe("2026-03-08T06:59:00.000Z");
    expect(utc("2026-03-08", "03:00", "America/New_York")).toBe("2026-03-08T07:00:00.000Z");
  });

  it("refuses a time the clocks skip, and takes the first of an hour they repeat", () => {
    const skipped = zonedTimeToUtc("2026-03-08", "02:30", "America/New_York");
    expect(skipped.ok).toBe(false);
    // 1 November 2026: 01:30 happens at 05:30 UTC (EDT), then again at 06:30 UTC (EST).
    expect(utc("2026-11-01", "01:30", "America/New_York")).toBe("2026-11-01T05:30:00.000Z");
    expect(utc("2026-10-25", "02:30", "Europe/Berlin")).toBe("2026-10-25T00:30:00.000Z");
    expect(zonedTimeToUtc("2026-03-29", "02:30", "Europe/Berlin").ok).toBe(false);
  });

  it("handles zones with half-hour offsets and seconds", () => {
    expect(utc("2026-06-01", "00:00", "Asia/Kolkata")).toBe("2026-05-31T18:30:00.000Z");
    expect(utc("2026-06-01", "00:00:30", "UTC")).toBe("2026-06-01T00:00:30.000Z");
  });

  it("refuses unknown zones, impossible dates and malformed input", () => {
    expect(zonedTimeToUtc("2026-06-01", "12:00", "Mars/Olympus_Mons")).toMatchObject({ ok: false, error: "Choose a time zone." });
    expect(zonedTimeToUtc("2026-02-30", "12:00", "UTC").ok).toBe(false);
    expect(zonedTimeToUtc("2026-06-01", "24:00", "UTC").ok).toBe(false);
    expect(zonedTimeToUtc("1 June", "noon", "UTC").ok).toBe(false);
  });

  it("reads offsets from Intl", () => {
    expect(zoneOffset("Asia/Baku", Date.UTC(2026, 5, 1))).toBe(4 * 3_600_000);
    expect(zoneOffset("America/New_York", Date.UTC(2026, 0, 15))).toBe(-5 * 3_600_000);
  });
});
