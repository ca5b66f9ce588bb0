import { describe, expect, it } from "vitest";
import { applyLivePatch, decodeLive, diffLiveData, encodeLive } from "../../app/negotiation/live-patch";
import { seededRandom, type Random } from "../support/prng";

interface Item {
  id: string;
  text: string;
  at: Date;
}

/** A page's data of the shapes the statement page has: lists with ids, lists of ids, maps, plain values. */
function pageData(r: Random, ids: string[]) {
  const pick = () => ids.filter(() => r.chance(0.6));
  const shuffled = (xs: string[]) => (r.chance(0.3) ? [...xs].sort(() => r.next() - 0.5) : xs);
  return {
    items: shuffled(pick()).map<Item>((id) => ({ id, text: r.pick(["a", "b", "c"]), at: new Date(Date.UTC(2026, 11, r.int(1, 3))) })),
    bracketed: shuffled(pick()),
    states: Object.fromEntries(pick().map((id) => [id, r.pick(["open", "agreed"])])),
    locks: { whole: r.pick([null, "silence"]), clauses: pick() },
    silence: r.chance(0.5) ? null : { status: r.pick(["running", "passed"]) },
    count: r.int(0, 3),
  };
}

describe("live patches", () => {
  it("take any data to any other, survive the event stream's encoding, and apply twice to the same result", () => {
    const seed = Number(process.env.PATCH_SEED ?? Date.now() % 100_000);
    const r = seededRandom(seed);
    const ids = Array.from({ length: 12 }, (_, i) => `c${i}`);
    for (let round = 0; round < 500; round++) {
      const before = pageData(r, ids);
      const after = pageData(r, ids);
      const patch = decodeLive<ReturnType<typeof diffLiveData>>(encodeLive(diffLiveData(before, after)));
      const once = patch ? applyLivePatch(before, patch) : before;
      expect(once, `seed ${seed}, round ${round}`).toEqual(after);
      expect(patch ? applyLivePatch(once, patch) : once, `seed ${seed}, round ${round}: applied again`).toEqual(after);
    }
  });

  it("name only what changed: one record of a long list, one key of a map", () => {
    const items = Array.from({ length: 1000 }, (_, i) => ({ id: `t${i}`, text: `comment ${i}` }));
    const states = Object.fromEntries(items.map((t) => [t.id, "open"]));
    const before = { items, states, count: 1 };
    const after = {
      items: [{ id: "t-new", text: "new" }, ...items.slice(0, 500), { id: "t500", text: "edited" }, ...items.slice(501, 999)],
      states: { ...states, t7: "agreed" },
      count: 1,
    };
    expect(diffLiveData(before, after)).toEqual({
      items: {
        list: {
          set: [
            { id: "t-new", text: "new" },
            { id: "t500", text: "edited" },
          ],
          remove: ["t999"],
          place: [["t-new", null]],
        },
      },
      states: { map: { set: { t7: { value: "agreed" } }, remove: [] } },
    });
    expect(diffLiveData(before, { ...before })).toBeNull();
  });

  it("moves a record with one placement, and keeps a record placed after one the page lacks", () => {
    const list = (...ids: string[]) => ids.map((id) => ({ id }));
    const patch = diffLiveData({ items: list("a", "b", "c", "d") }, { items: list("c", "a", "b", "d") })!;
    expect(patch).toEqual({ items: { list: { set: [], remove: [], place: [["c", null]] } } });
    // A page that reloaded just before and lacks "b": "x" after "b" still arrives (last), none is lost.
    const late = applyLivePatch({ items: list("a") }, diffLiveData({ items: list("a", "b") }, { items: list("a", "b", "x") })!);
    expect(late.items.map((i) => i.id)).toEqual(["a", "x"]);
  });
});
