import { expect, it } from "vitest";
import { Compactor } from "../../server/collab/compactor";

/** A store whose compactions are recorded and end only when told to. */
function fakeStore(after = 3) {
  const ends: { resolve: () => void; reject: (err: Error) => void }[] = [];
  const logged: string[] = [];
  const compactor = new Compactor("doc-1", {
    compact: () => new Promise<void>((resolve, reject) => ends.push({ resolve, reject })),
    after,
    log: (msg) => logged.push(msg),
  });
  return {
    compactor,
    logged,
    calls: () => ends.length,
    end: (i: number) => ends[i].resolve(),
    fail: (i: number) => ends[i].reject(new Error("lock timeout")),
  };
}

const settled = (p: Promise<unknown>) => Promise.race([p.then(() => true), new Promise((r) => setTimeout(() => r(false), 20))]);

it("compacts once as many rows as the threshold were appended, counting those found on loading", () => {
  const store = fakeStore(3);
  store.compactor.appended(2);
  store.compactor.compactIfDue();
  expect(store.calls()).toBe(0);
  store.compactor.appended(1);
  store.compactor.compactIfDue();
  expect(store.calls()).toBe(1);
});

it("never runs two compactions at once; rows appended during one count towards the next", async () => {
  const store = fakeStore(3);
  store.compactor.appended(3);
  store.compactor.compactIfDue();
  store.compactor.appended(3);
  store.compactor.compactIfDue();
  store.compactor.compact();
  expect(store.calls()).toBe(1);
  store.end(0);
  await store.compactor.finished();
  store.compactor.compactIfDue();
  expect(store.calls()).toBe(2);
  // That one started from nothing again.
  store.end(1);
  await store.compactor.finished();
  store.compactor.compactIfDue();
  expect(store.calls()).toBe(2);
});

it("a room closing waits for the compaction under way", async () => {
  const store = fakeStore();
  expect(await settled(store.compactor.finished())).toBe(true);
  store.compactor.compact();
  const finished = store.compactor.finished();
  expect(await settled(finished)).toBe(false);
  store.end(0);
  expect(await settled(finished)).toBe(true);
});

it("logs a failed compaction, and compacts again at the next threshold", async () => {
  const store = fakeStore(2);
  store.compactor.appended(2);
  store.compactor.compactIfDue();
  store.fail(0);
  await store.compactor.finished();
  expect(store.logged).toEqual(["compacting doc-1 failed"]);
  store.compactor.appended(1);
  store.compactor.compactIfDue();
  expect(store.calls()).toBe(1);
  store.compactor.appended(1);
  store.compactor.compactIfDue();
  expect(store.calls()).toBe(2);
});
