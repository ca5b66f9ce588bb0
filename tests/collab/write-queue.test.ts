import { afterEach, beforeEach, expect, it, vi } from "vitest";
import * as Y from "yjs";
import { retryDelay, WriteQueue, type Write } from "../../server/collab/write-queue";
import type { ClientClaims } from "../../server/collab/client-owners";

/** Updates of one client typing: each builds on the one before. */
function typing(count: number): Uint8Array[] {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on("update", (u: Uint8Array) => updates.push(u));
  for (let i = 0; i < count; i++) doc.getText("t").insert(i, String.fromCharCode(97 + i));
  return updates;
}

const textOf = (update: Uint8Array) => {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return doc.getText("t").toJSON();
};

/** A store that refuses the first `failures` writes, and records what it took. */
function fakeStore(failures = 0) {
  const events: string[] = [];
  /** What the stored batches make together. */
  const durable = new Y.Doc();
  const taken: { update: Uint8Array; claims: ClientClaims }[] = [];
  let release: (() => void) | null = null;
  const store = {
    events,
    taken,
    attempts: 0,
    /** Holds the next write until `proceed` is called. */
    hold: false,
    proceed: () => release?.(),
    queue: null as unknown as WriteQueue<string>,
  };
  store.queue = new WriteQueue<string>("doc-1", {
    async store(update, claims) {
      store.attempts += 1;
      if (store.hold) await new Promise<void>((r) => (release = r));
      if (store.attempts <= failures) throw new Error("database unavailable");
      taken.push({ update, claims: new Map(claims) });
    },
    stored: (batch, update) => {
      Y.applyUpdate(durable, update);
      events.push(`stored ${batch.map((w) => w.from).join("+")} "${durable.getText("t").toJSON()}"`);
    },
    pausedChanged: (paused) => events.push(paused ? "paused" : "resumed"),
    idle: () => events.push("idle"),
    log: (msg) => events.push(`log ${msg}`),
  });
  return store;
}

const write = (update: Uint8Array, from: string, claims: ClientClaims = new Map()): Write<string> => ({ update, from, claims });

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

it("stores what arrives during a write in the next one, merged, in order, and is idle once all is durable", async () => {
  const [a, b, c] = typing(3);
  const store = fakeStore();
  store.hold = true;
  store.queue.push(write(a, "ann"));
  await vi.advanceTimersByTimeAsync(0);
  store.queue.push(write(b, "bob"));
  store.queue.push(write(c, "ann"));
  expect(store.queue.pending.map((w) => w.from)).toEqual(["ann", "bob", "ann"]);
  store.hold = false;
  store.proceed();
  await store.queue.drain();
  expect(store.attempts).toBe(2);
  expect(store.events).toEqual(['stored ann "a"', 'stored bob+ann "abc"', "idle"]);
  expect(store.queue.pending).toEqual([]);
});

it("keeps a batch the store refused and retries it with growing delays, pausing saving until it succeeds", async () => {
  const [a, b] = typing(2);
  const store = fakeStore(3);
  store.queue.push(write(a, "ann", new Map([[7, "ann"]])));
  await vi.advanceTimersByTimeAsync(0);
  expect(store.attempts).toBe(1);
  expect(store.queue.savingPaused).toBe(true);
  expect(store.events).toEqual(["log saving doc-1 failed; holding edits and retrying", "paused"]);
  // Arrives while saving is paused: goes with the held batch, after it.
  store.queue.push(write(b, "bob", new Map([[8, "bob"]])));
  await vi.advanceTimersByTimeAsync(retryDelay(1) - 1);
  expect(store.attempts).toBe(1);
  await vi.advanceTimersByTimeAsync(1);
  expect(store.attempts).toBe(2);
  await vi.advanceTimersByTimeAsync(retryDelay(2) - 1);
  expect(store.attempts).toBe(2);
  await vi.advanceTimersByTimeAsync(1 + retryDelay(3));
  expect(store.attempts).toBe(4);
  await store.queue.drain();
  expect(store.taken).toHaveLength(1);
  expect(textOf(store.taken[0].update)).toBe("ab");
  // The claims of a refused batch are not lost: they go with the write that succeeds.
  expect(store.taken[0].claims).toEqual(
    new Map([
      [7, "ann"],
      [8, "bob"],
    ]),
  );
  expect(store.queue.savingPaused).toBe(false);
  expect(store.events.slice(2)).toEqual(["resumed", 'stored ann+bob "ab"', "idle"]);
});

it("waits longer after each failure, up to five seconds", () => {
  expect([1, 2, 3, 4, 5, 6, 10].map(retryDelay)).toEqual([200, 400, 800, 1600, 3200, 5000, 5000]);
});

it("stops retrying once closed, keeping the refused batch", async () => {
  const [a] = typing(1);
  const store = fakeStore(Infinity);
  store.queue.close();
  store.queue.push(write(a, "ann"));
  await store.queue.drain();
  expect(store.attempts).toBe(1);
  expect(store.queue.pending).toHaveLength(1);
  expect(store.events).not.toContain("idle");
});

it("logs once, and pauses once, however many times in a row the store refuses", async () => {
  const [a] = typing(1);
  const store = fakeStore(5);
  store.queue.push(write(a, "ann"));
  await vi.advanceTimersByTimeAsync(60_000);
  await store.queue.drain();
  expect(store.attempts).toBe(6);
  expect(store.events.filter((e) => e.startsWith("log"))).toHaveLength(1);
  expect(store.events.filter((e) => e === "paused" || e === "resumed")).toEqual(["paused", "resumed"]);
});
