import { expect, it } from "vitest";
import * as Y from "yjs";
import * as awarenessProtocol from "y-protocols/awareness";
import * as decoding from "lib0/decoding";
import { createStatement } from "../support/factories";
import { caretAt, clauseTexts, typeInClause } from "../support/statement";
import { waitFor } from "../support/wait";
import { presenceIntervalMs } from "../../server/collab/room";
import { recordingPeer, testRooms } from "../support/rooms";
import { messageAwareness, messageConcord, messageSync } from "../../app/statement/protocol";

const rooms = testRooms();

async function openRoom(options: { presenceIntervalMs?: number; presenceAloneMs?: number } = {}) {
  const { documentId } = await createStatement(rooms.db.sql);
  const room = await rooms.open(documentId, options);
  const observer = recordingPeer("observer");
  room.join(observer);
  observer.writes.length = 0;
  return { room, observer };
}

/** A client's presence, whose clock goes up with each change. */
function presenceOf(doc = new Y.Doc()) {
  const awareness = new awarenessProtocol.Awareness(doc);
  let n = 0;
  return {
    doc,
    next: () => {
      awareness.setLocalState({ cursor: null, n: ++n });
      return awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID]);
    },
  };
}

/** The clock of each awareness state in a presence message. */
function clocksIn(message: Uint8Array): Map<number, number> {
  const d = decoding.createDecoder(message);
  expect(decoding.readVarUint(d)).toBe(messageAwareness);
  const u = decoding.createDecoder(decoding.readVarUint8Array(d));
  const clocks = new Map<number, number>();
  for (let n = decoding.readVarUint(u); n > 0; n--) {
    const id = decoding.readVarUint(u);
    clocks.set(id, decoding.readVarUint(u));
    decoding.readVarString(u);
  }
  return clocks;
}

const turn = () => new Promise((r) => setImmediate(r));
const presenceMessages = (peer: { writes: Uint8Array[][] }) => peer.writes.flat().filter((m) => m[0] === messageAwareness);

it("sends a presence change at once, then what changes within presenceIntervalMs together once it has passed", async () => {
  const { room, observer } = await openRoom();
  const ann = recordingPeer("ann");
  room.join(ann);
  const presence = presenceOf();
  room.receiveAwareness(presence.next(), ann);
  await turn();
  expect(presenceMessages(observer).map(clocksIn)).toEqual([new Map([[presence.doc.clientID, 1]])]);
  for (let i = 0; i < 4; i++) {
    room.receiveAwareness(presence.next(), ann);
    await turn();
  }
  // Four caret moves in a few turns: nothing yet, then only the latest.
  expect(presenceMessages(observer)).toHaveLength(1);
  await waitFor(() => presenceMessages(observer).length === 2, { what: "the waiting presence" });
  expect(clocksIn(presenceMessages(observer)[1])).toEqual(new Map([[presence.doc.clientID, 5]]));
  await new Promise((r) => setTimeout(r, presenceIntervalMs * 2));
  expect(presenceMessages(observer)).toHaveLength(2);
});

it("sends presence renewed unchanged a slice at a time with the presence messages, and a real change with the first", async () => {
  const { room, observer } = await openRoom({ presenceIntervalMs: 5, presenceAloneMs: 5 });
  const people = Array.from({ length: 60 }, (_, i) => {
    const peer = recordingPeer(`person-${i}`);
    const awareness = new awarenessProtocol.Awareness(new Y.Doc());
    room.join(peer);
    awareness.setLocalState({ cursor: null, n: 0 });
    room.receiveAwareness(awarenessProtocol.encodeAwarenessUpdate(awareness, [awareness.clientID]), peer);
    return { peer, awareness };
  });
  const seen = () => {
    const clocks = new Map<number, number>();
    for (const message of presenceMessages(observer)) for (const [id, clock] of clocksIn(message)) clocks.set(id, clock);
    return clocks;
  };
  await waitFor(() => seen().size === 60, { what: "everyone's presence" });
  observer.writes.length = 0;
  // Everyone renews their presence as it is (the stock client does so every 15 s); one moves.
  for (const { peer, awareness } of people) {
    awareness.setLocalState({ ...awareness.getLocalState() });
    room.receiveAwareness(awarenessProtocol.encodeAwarenessUpdate(awareness, [awareness.clientID]), peer);
  }
  const mover = people[59];
  mover.awareness.setLocalState({ cursor: caretAt(room.doc, 1), n: 0 });
  room.receiveAwareness(awarenessProtocol.encodeAwarenessUpdate(mover.awareness, [mover.awareness.clientID]), mover.peer);
  await waitFor(() => seen().size === 60, { what: "everyone's renewal" });
  const messages = presenceMessages(observer).map(clocksIn);
  expect(messages[0].get(mover.awareness.clientID)).toBe(3);
  expect(messages.map((m) => m.size)).toEqual([26, 25, 9]);
  expect(seen()).toEqual(new Map(people.map(({ awareness }) => [awareness.clientID, awareness.meta.get(awareness.clientID)!.clock])));
});

it("a document change goes out at once, the presence that is not due yet waits for its turn", async () => {
  const { room, observer } = await openRoom({ presenceIntervalMs: 60_000 });
  const ann = recordingPeer("ann", true);
  room.join(ann);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(room.doc));
  const presence = presenceOf(doc);
  room.receiveAwareness(presence.next(), ann);
  await turn();
  observer.writes.length = 0;
  room.receiveAwareness(presence.next(), ann);
  const before = Y.encodeStateVector(doc);
  typeInClause(doc, 0, "word ");
  room.receiveUpdate(Y.encodeStateAsUpdate(doc, before), ann);
  await waitFor(() => observer.writes.length > 0, { what: "the stored change" });
  await turn();
  expect(observer.writes.map((messages) => messages.map((m) => m[0]))).toEqual([[messageSync]]);
});

it("presence waiting for its turn goes out with the next document change, in the same write", async () => {
  const { room, observer } = await openRoom({ presenceIntervalMs: 0, presenceAloneMs: 60_000 });
  const ann = recordingPeer("ann", true);
  room.join(ann);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(room.doc));
  const presence = presenceOf(doc);
  room.receiveAwareness(presence.next(), ann);
  await turn();
  expect(presenceMessages(observer).map(clocksIn)).toEqual([new Map([[doc.clientID, 1]])]);
  observer.writes.length = 0;
  // Alone, the caret move waits (for presenceAloneMs) ...
  room.receiveAwareness(presence.next(), ann);
  await turn();
  await turn();
  expect(observer.writes).toEqual([]);
  // ... and goes with the text once some is stored.
  const before = Y.encodeStateVector(doc);
  typeInClause(doc, 0, "word ");
  room.receiveUpdate(Y.encodeStateAsUpdate(doc, before), ann);
  await waitFor(() => observer.writes.length > 0, { what: "the stored change" });
  expect(observer.writes.map((messages) => messages.map((m) => m[0]))).toEqual([[messageSync, messageAwareness]]);
  expect(clocksIn(observer.writes[0][1])).toEqual(new Map([[doc.clientID, 2]]));
});

it("sends a joining peer what it needs to start in one write, then everyone's presence, the same message to all who join before the next", async () => {
  const { room } = await openRoom();
  // A room in use: its document made (reading it makes it; a cold room's first peers are asked
  // for what they have a turn after joining, see join).
  expect(room.doc.isDestroyed).toBe(false);
  const ann = recordingPeer("ann", true);
  room.join(ann);
  room.receiveAwareness(presenceOf().next(), ann);
  const bob = recordingPeer("bob", true);
  room.join(bob);
  const carl = recordingPeer("carl");
  room.join(carl);
  // Access, what is stored, sync step 1; then everyone's presence.
  expect(bob.writes.map((messages) => messages.map((m) => m[0]))).toEqual([
    [messageConcord, messageConcord, messageSync],
    [messageAwareness],
  ]);
  expect(carl.writes.map((messages) => messages.map((m) => m[0]))).toEqual([[messageConcord, messageSync], [messageAwareness]]);
  // One message (framed once) for both, not a copy in each one's first write.
  expect(carl.writes[1][0]).toBe(bob.writes[1][0]);
  expect(presenceSeenBy(carl)).toEqual(presenceSeenBy(bob));
  expect(presenceSeenBy(carl).size).toBe(1);
});

it("sends everyone joining between two presence messages the same one, and what changed meanwhile with the next", async () => {
  const { room, observer } = await openRoom();
  const ann = recordingPeer("ann");
  room.join(ann);
  const annPresence = presenceOf();
  room.receiveAwareness(annPresence.next(), ann);
  await waitFor(() => presenceMessages(observer).length === 1, { what: "Ann's first presence" });
  const bob = recordingPeer("bob");
  room.join(bob);
  // Ann moves, and Carl arrives, before the next presence message is due: Dan, joining now, is
  // sent what Bob was, not a message of his own.
  room.receiveAwareness(annPresence.next(), ann);
  const carl = recordingPeer("carl");
  room.join(carl);
  const carlPresence = presenceOf();
  room.receiveAwareness(carlPresence.next(), carl);
  const dan = recordingPeer("dan");
  room.join(dan);
  expect(presenceMessages(dan)).toHaveLength(1);
  expect(presenceMessages(dan)[0]).toBe(presenceMessages(bob)[0]);
  expect([...presenceSeenBy(dan).keys()]).toEqual([annPresence.doc.clientID]);
  // The next message brings Ann's move and Carl to everyone, the joiners included.
  await waitFor(() => presenceMessages(dan).length === 2, { what: "the next presence message" });
  const everyone = new Map(room.awareness.getStates());
  for (const peer of [observer, bob, dan]) expect(presenceSeenBy(peer)).toEqual(everyone);
  expect(clocksIn(presenceMessages(dan)[1])).toEqual(
    new Map([
      [annPresence.doc.clientID, 2],
      [carlPresence.doc.clientID, 1],
    ]),
  );
  // Once it went out, a peer joining is sent everyone's presence as it is now.
  const erin = recordingPeer("erin");
  room.join(erin);
  expect(presenceMessages(erin)[0]).not.toBe(presenceMessages(dan)[0]);
  expect(presenceSeenBy(erin)).toEqual(everyone);
});

/** What a peer shows of everyone's presence once it has applied the presence messages it was sent. */
function presenceSeenBy(peer: { writes: Uint8Array[][] }): Map<number, unknown> {
  const view = new awarenessProtocol.Awareness(new Y.Doc());
  for (const message of presenceMessages(peer)) {
    const d = decoding.createDecoder(message);
    decoding.readVarUint(d);
    awarenessProtocol.applyAwarenessUpdate(view, decoding.readVarUint8Array(d), "server");
  }
  const states = new Map(view.getStates());
  states.delete(view.clientID);
  view.destroy();
  return states;
}

it("a peer that leaves while its presence waits for its turn is gone from the room at once, and from everyone once it goes out", async () => {
  const { room, observer } = await openRoom();
  const ann = recordingPeer("ann");
  const bob = recordingPeer("bob");
  room.join(ann);
  room.join(bob);
  const annPresence = presenceOf();
  const bobPresence = presenceOf();
  room.receiveAwareness(annPresence.next(), ann);
  await turn();
  // Ann's change and Bob's first state both wait for the interval when they leave.
  room.receiveAwareness(annPresence.next(), ann);
  room.receiveAwareness(bobPresence.next(), bob);
  room.leave(ann);
  room.leave(bob);
  expect(room.awareness.getStates().size).toBe(0);
  expect(presenceSeenBy(observer).has(annPresence.doc.clientID)).toBe(true);
  await waitFor(() => presenceMessages(observer).length === 2, { what: "the waiting presence" });
  expect(presenceSeenBy(observer)).toEqual(new Map());
  await new Promise((r) => setTimeout(r, presenceIntervalMs * 2));
  expect(presenceMessages(observer)).toHaveLength(2);
  expect(room.awareness.getStates().size).toBe(0);
});

it("new clients are sent the whole document encoded once, until it changes, then with the change", async () => {
  const { room } = await openRoom();
  const nothingYet = Y.encodeStateVector(new Y.Doc());
  const whole = room.diffFor(nothingYet);
  expect(room.diffFor(nothingYet)).toBe(whole);
  const ann = recordingPeer("ann", true);
  room.join(ann);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, whole);
  const before = Y.encodeStateVector(doc);
  typeInClause(doc, 0, "word ");
  room.receiveUpdate(Y.encodeStateAsUpdate(doc, before), ann);
  await room.drain();
  const fresh = new Y.Doc();
  Y.applyUpdate(fresh, room.diffFor(nothingYet));
  expect(clauseTexts(fresh)[0]).toContain("word");
  expect(clauseTexts(fresh)).toEqual(clauseTexts(doc));
});
