import { expect, it } from "vitest";
import * as Y from "yjs";
import * as syncProtocol from "y-protocols/sync";
import { decodeMessage, MessageReceiver, type MessageTarget } from "../../server/collab/message-receiver";
import { encodeAwareness, encodeSyncStep1, encodeSyncStep2, encodeUpdate, messageQueryAwareness } from "../../app/statement/protocol";
import { ProtocolError, type Peer } from "../../server/collab/room";
import { encodeMessage } from "../support/raw-socket";

/** A room that records what it is handed, and a peer that records what it is sent. */
function setup() {
  const calls: [string, Uint8Array | null, Peer | null][] = [];
  const room: MessageTarget = {
    diffFor: (sv) => (calls.push(["diffFor", sv, null]), new Uint8Array([9, 9])),
    receiveUpdate: (u, from) => void calls.push(["update", u, from]),
    receiveAwareness: (u, from) => void calls.push(["awareness", u, from]),
    awarenessState: () => (calls.push(["awarenessState", null, null]), new Uint8Array([7])),
  };
  const sent: Uint8Array[] = [];
  const peer: Peer = {
    canWrite: true,
    owner: "ann",
    identity: { name: "", color: "#000000", role: "", delegation: null },
    send: (m) => void sent.push(m),
    close() {},
  };
  return { calls, sent, peer, receiver: new MessageReceiver(room, peer) };
}

const update = (() => {
  const doc = new Y.Doc();
  doc.getText("t").insert(0, "hello");
  return Y.encodeStateAsUpdate(doc);
})();

it("answers a sync step 1 with the room's diff for that state vector", () => {
  const { calls, sent, receiver } = setup();
  const sv = new Uint8Array([1, 5, 3]);
  receiver.receive(encodeSyncStep1(sv));
  expect(calls).toEqual([["diffFor", sv, null]]);
  expect(sent).toEqual([encodeSyncStep2(new Uint8Array([9, 9]))]);
});

it("hands sync step 2 and updates to the room as document updates from the peer, answering nothing", () => {
  const { calls, sent, peer, receiver } = setup();
  receiver.receive(encodeSyncStep2(update));
  receiver.receive(encodeUpdate(update));
  expect(calls).toEqual([
    ["update", update, peer],
    ["update", update, peer],
  ]);
  expect(sent).toEqual([]);
});

it("hands awareness to the room, and answers a query with the room's awareness", () => {
  const { calls, sent, peer, receiver } = setup();
  receiver.receive(encodeAwareness(new Uint8Array([1, 2, 3])));
  receiver.receive(encodeMessage(messageQueryAwareness));
  expect(calls).toEqual([
    ["awareness", new Uint8Array([1, 2, 3]), peer],
    ["awarenessState", null, null],
  ]);
  expect(sent).toEqual([encodeAwareness(new Uint8Array([7]))]);
});

it("refuses what is not a y-websocket message, before the room sees it", () => {
  const { calls, receiver } = setup();
  expect(() => receiver.receive(encodeMessage(0, 9, new Uint8Array()))).toThrow(new ProtocolError("unknown sync message 9"));
  expect(() => receiver.receive(encodeMessage(42))).toThrow(new ProtocolError("unknown message type 42"));
  expect(() => receiver.receive(new Uint8Array([0, syncProtocol.messageYjsUpdate, 50, 1]))).toThrow(new ProtocolError("malformed message"));
  expect(() => receiver.receive(new Uint8Array())).toThrow(new ProtocolError("malformed message"));
  expect(calls).toEqual([]);
});

it("reads a frame once into what it carries", () => {
  expect(decodeMessage(encodeUpdate(update))).toEqual({ type: "update", update });
  expect(decodeMessage(encodeSyncStep1(new Uint8Array([0])))).toEqual({ type: "sync-step-1", stateVector: new Uint8Array([0]) });
  expect(decodeMessage(encodeMessage(messageQueryAwareness))).toEqual({ type: "query-awareness" });
});
