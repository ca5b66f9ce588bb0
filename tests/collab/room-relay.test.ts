import { afterEach, expect, it, vi } from "vitest";
import * as Y from "yjs";
import { fromDatabase, Remote, RoomRelay } from "../../server/collab/room-relay";
import { retryDelay } from "../../server/collab/write-queue";
import type { ClientClaims } from "../../server/collab/client-owners";
import type { Relay, RelayReceiver } from "../../server/collab/relay";

/** An update by a client of its own, independent of the others: "key" set to "value" in the map "m". */
function edit(client: number, key: string, value: string): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = client;
  doc.getMap("m").set(key, value);
  return Y.encodeStateAsUpdate(doc);
}

const contentOf = (update: Uint8Array) => {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return doc.getMap("m").toJSON();
};

/**
 * A room on a relay: the channel records what is published, the subscription completes when told,
 * and each read of the stored document waits until it is answered with `stored`, or refused.
 */
function setUp(stored: Uint8Array[] = []) {
  const events: string[] = [];
  let receiver!: RelayReceiver;
  let subscribed!: () => void;
  const relay: Relay = {
    join(_documentId, r) {
      receiver = r;
      return {
        subscribed: new Promise<void>((resolve) => (subscribed = resolve)),
        publishUpdate: (update) => events.push(`publish update ${JSON.stringify(contentOf(update))}`),
        publishClaims: (claims) => events.push(`publish claims ${[...claims.keys()].join(",")}`),
        publishAwareness: () => events.push("publish presence"),
        queryAwareness: () => events.push("query presence"),
        leave: () => events.push("leave"),
      };
    },
    close: async () => {},
  };
  const reads: { answer: () => void; refuse: () => void }[] = [];
  const claims: ClientClaims = new Map();
  const doc = new Y.Doc();
  const applied: { update: Uint8Array; origin: unknown }[] = [];
  doc.on("update", (update: Uint8Array, origin: unknown) => applied.push({ update, origin }));
  const roomRelay = new RoomRelay("doc-1", relay, {
    doc,
    load: () =>
      new Promise((resolve, reject) =>
        reads.push({ answer: () => resolve([stored, new Map([[9, "ann"]])]), refuse: () => reject(new Error("database unavailable")) }),
      ),
    learnClaims: (c) => c.forEach((owner, client) => claims.set(client, owner)),
    receiveAwareness: (_update, instance) => events.push(`presence from ${instance}`),
    localAwareness: () => new Uint8Array([1]),
    forgetInstance: (instance) => events.push(`forget ${instance}`),
    log: (msg) => events.push(`log ${msg}`),
  });
  return { roomRelay, receiver: () => receiver, subscribed: () => subscribed(), events, reads, claims, doc, applied };
}

/** Lets the resync's awaits run. */
const turn = () => new Promise((r) => setImmediate(r));

afterEach(() => vi.useRealTimers());

it("a resync asked for while one runs is followed by exactly one more, however often it was asked", async () => {
  const room = setUp();
  room.roomRelay.loaded();
  room.receiver().resync();
  expect(room.reads).toHaveLength(1);
  for (let i = 0; i < 5; i++) room.receiver().resync();
  room.receiver().instanceGone("i2");
  expect(room.reads).toHaveLength(1);
  room.reads[0].answer();
  await turn();
  // The first read may have come before what prompted the others was stored.
  expect(room.reads).toHaveLength(2);
  room.reads[1].answer();
  await turn();
  expect(room.reads).toHaveLength(2);
  // Once over, the next request starts a new one.
  room.receiver().resync();
  expect(room.reads).toHaveLength(3);
});

it("a resync applies only what this copy lacks, in one change that is not published again", async () => {
  const [a, b, c] = [edit(1, "a", "ann's"), edit(2, "b", "bob's"), edit(3, "c", "cid's")];
  const room = setUp([a, b, c]);
  Y.applyUpdate(room.doc, a);
  room.applied.length = 0;
  room.roomRelay.loaded();
  room.receiver().resync();
  room.reads[0].answer();
  await turn();
  expect(room.applied).toHaveLength(1);
  expect(room.applied[0].origin).toBe(fromDatabase);
  expect(contentOf(room.applied[0].update)).toEqual({ b: "bob's", c: "cid's" });
  expect(room.claims).toEqual(new Map([[9, "ann"]]));
  expect(room.events.filter((e) => e.startsWith("publish"))).toEqual([]);
});

it("holds what other instances send until the document is loaded, then applies it in order; nothing once it left", () => {
  const [a, b] = [edit(1, "a", "ann's"), edit(2, "b", "bob's")];
  const room = setUp();
  room.receiver().claims(new Map([[1, "ann"]]), "i2");
  room.receiver().update(a, "i2");
  room.receiver().update(new Uint8Array([255, 255]), "i2");
  room.receiver().awareness(new Uint8Array([1]), "i2");
  expect(room.applied).toEqual([]);
  expect(room.claims.size).toBe(0);
  room.roomRelay.loaded();
  expect(room.claims).toEqual(new Map([[1, "ann"]]));
  expect(room.applied.map((u) => contentOf(u.update))).toEqual([{ a: "ann's" }]);
  expect(room.applied[0].origin).toEqual(new Remote("i2"));
  // A message that cannot be applied is logged; the ones after it still are.
  expect(room.events).toEqual(["log a message from another instance about doc-1 could not be applied", "presence from i2"]);
  room.roomRelay.leave();
  room.receiver().update(b, "i2");
  room.receiver().resync();
  expect(room.applied).toHaveLength(1);
  expect(room.reads).toHaveLength(0);
});

it("reads the document only once subscribed, asks for the others' presence, and publishes what is stored with its claims first", async () => {
  const room = setUp();
  let done = false;
  void room.roomRelay.subscribe().then(() => (done = true));
  await turn();
  expect(done).toBe(false);
  room.subscribed();
  await turn();
  expect(done).toBe(true);
  room.roomRelay.loaded();
  room.receiver().awarenessQuery();
  room.roomRelay.publishStored(edit(1, "a", "ann's"), new Map([[1, "ann"]]));
  room.roomRelay.publishStored(edit(1, "a", "again"), new Map());
  expect(room.events).toEqual([
    "query presence",
    "publish presence",
    "publish claims 1",
    'publish update {"a":"ann\'s"}',
    'publish update {"a":"again"}',
  ]);
});

it("retries a failed reload with growing delays, logging once, until it succeeds or the room leaves", async () => {
  vi.useFakeTimers();
  const room = setUp([edit(3, "c", "cid's")]);
  room.roomRelay.loaded();
  room.receiver().instanceGone("i2");
  expect(room.events).toEqual(["forget i2"]);
  room.reads[0].refuse();
  await vi.advanceTimersByTimeAsync(retryDelay(1) - 1);
  expect(room.reads).toHaveLength(1);
  await vi.advanceTimersByTimeAsync(1);
  expect(room.reads).toHaveLength(2);
  room.reads[1].refuse();
  await vi.advanceTimersByTimeAsync(retryDelay(2));
  room.reads[2].answer();
  await vi.advanceTimersByTimeAsync(0);
  expect(room.doc.getMap("m").toJSON()).toEqual({ c: "cid's" });
  expect(room.events.filter((e) => e.startsWith("log"))).toEqual(["log reloading doc-1 from the database failed; retrying"]);

  room.receiver().resync();
  room.reads[3].refuse();
  await vi.advanceTimersByTimeAsync(0);
  room.roomRelay.leave();
  await vi.advanceTimersByTimeAsync(60_000);
  expect(room.reads).toHaveLength(4);
});
