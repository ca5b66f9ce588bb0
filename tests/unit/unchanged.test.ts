import { describe, expect, it } from "vitest";
import { keep, keepRows, sameData } from "../../server/negotiation/unchanged";

describe("values read again", () => {
  it("are the same data when dates, sets, maps and records hold the same, and not when any part differs", () => {
    const at = (iso: string) => new Date(iso);
    const value = () => ({
      at: at("2026-01-01T00:00:00Z"),
      tags: new Set(["a", "b"]),
      states: new Map([["c1", "agreed"]]),
      list: [1, { x: null }],
    });
    expect(sameData(value(), value())).toBe(true);
    expect(sameData(value(), { ...value(), at: at("2026-01-01T00:00:01Z") })).toBe(false);
    expect(sameData(value(), { ...value(), tags: new Set(["a"]) })).toBe(false);
    expect(sameData(value(), { ...value(), states: new Map([["c1", "under_negotiation"]]) })).toBe(false);
    expect(sameData(value(), { ...value(), list: [1, { x: 0 }] })).toBe(false);
    expect(sameData({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(sameData([], {})).toBe(false);
    const previous = value();
    expect(keep(previous, value())).toBe(previous);
    const changed = { ...value(), list: [2] };
    expect(keep(previous, changed)).toBe(changed);
  });

  it("keep the previous rows that did not change, and the previous list when none did", () => {
    const rows = () => [
      { id: "1", body: "one" },
      { id: "2", body: "two" },
      { id: "3", body: "three" },
    ];
    const previous = rows();
    expect(keepRows(previous, rows())).toBe(previous);

    // One row changed, one came first, one went: the others are the previous objects, in the new order.
    const next = [
      { id: "0", body: "new" },
      { id: "3", body: "three" },
      { id: "1", body: "one, edited" },
    ];
    const kept = keepRows(previous, next);
    expect(kept).toEqual(next);
    expect(kept[0]).toBe(next[0]);
    expect(kept[1]).toBe(previous[2]);
    expect(kept[2]).toBe(next[2]);

    // The same rows in another order are a new list of the previous rows.
    const moved = keepRows(previous, [rows()[1], rows()[0], rows()[2]]);
    expect(moved).not.toBe(previous);
    expect(moved).toEqual([previous[1], previous[0], previous[2]]);
    expect(moved[0]).toBe(previous[1]);

    // Rows sharing an id (a group's signal for each aligned member) are each matched once.
    const shared = [
      { id: "g", member: "a" },
      { id: "g", member: "b" },
    ];
    const again = keepRows(shared, [
      { id: "g", member: "b" },
      { id: "g", member: "a" },
    ]);
    expect(again[0]).toBe(shared[1]);
    expect(again[1]).toBe(shared[0]);
  });
});
