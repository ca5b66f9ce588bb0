import { expect, it } from "vitest";
import * as Y from "yjs";
import * as decoding from "lib0/decoding";
import { createStatement } from "../support/factories";
import { clauseTexts, typeInClause } from "../support/statement";
import { appendUpdates, compactDocument, countLoggedUpdates, loadUpdates } from "../../server/queries/document-state";
import { recordingPeer, testRooms } from "../support/rooms";
import { concordSaved, messageConcord, messageSync } from "../../app/statement/protocol";

/**
 * A room opened on a stored document answers its first clients from the bytes it read, and makes
 * its Y.Doc only when something needs it (see Room.load): what they are sent must be exactly what is stored.
 */

const rooms = testRooms();

const turn = () => new Promise((resolve) => setImmediate(resolve));

/** A stored statement with a logged edit after its first state, and the document as stored. */
async function storedStatement() {
  const { documentId } = await createStatement(rooms.db.sql);
  const doc = new Y.Doc();
  for (const update of await loadUpdates(rooms.db.sql, documentId)) Y.applyUpdate(doc, update);
  const before = Y.encodeStateVector(doc);
  typeInClause(doc, 0, "stored later ");
  await appendUpdates(rooms.db.sql, documentId, [Y.encodeStateAsUpdate(doc, before)]);
  return { documentId, stored: doc, beforeEdit: before };
}

/** What a sync message or a "saved" message carries (a state vector or an update). */
function payloadOf(message: Uint8Array, type: number, subtype: number): Uint8Array {
  const d = decoding.createDecoder(message);
  expect(decoding.readVarUint(d)).toBe(type);
  expect(decoding.readVarUint(d)).toBe(subtype);
  return decoding.readVarUint8Array(d);
}

it("asks a writer on a cold document for what it has a turn after joining, with the stored state vector, and tells it what is stored", async () => {
  const { documentId, stored } = await storedStatement();
  const room = await rooms.open(documentId);
  const ann = recordingPeer("ann", true);
  room.join(ann);
  // Its access at once; its own sync request is answered before the room reads the state vector.
  expect(ann.writes.map((messages) => messages.map((m) => m[0]))).toEqual([[messageConcord]]);
  const fresh = new Y.Doc();
  Y.applyUpdate(fresh, room.diffFor(Y.encodeStateVector(fresh)));
  expect(clauseTexts(fresh)).toEqual(clauseTexts(stored));
  await turn();
  expect(ann.writes).toHaveLength(2);
  const [saved, step1] = ann.writes[1];
  expect(payloadOf(saved, messageConcord, concordSaved)).toEqual(Y.encodeStateVector(stored));
  expect(payloadOf(step1, messageSync, 0)).toEqual(Y.encodeStateVector(stored));
  expect(ann.closes).toEqual([]);
});

it("greets a writer on a compacted document at once, with the state vector kept with the snapshot", async () => {
  const { documentId, stored } = await storedStatement();
  await compactDocument(rooms.db.sql, documentId);
  const [kept] = await rooms.db.sql<{ stateVector: Buffer }[]>`
    select state_vector as "stateVector" from document_snapshots where document_id = ${documentId}`;
  expect(new Uint8Array(kept.stateVector)).toEqual(Y.encodeStateVector(stored));
  const room = await rooms.open(documentId);
  const ann = recordingPeer("ann", true);
  room.join(ann);
  expect(ann.writes.map((messages) => messages.map((m) => m[0]))).toEqual([[messageConcord, messageConcord, messageSync]]);
  const [, saved, step1] = ann.writes[0];
  expect(payloadOf(saved, messageConcord, concordSaved)).toEqual(Y.encodeStateVector(stored));
  expect(payloadOf(step1, messageSync, 0)).toEqual(Y.encodeStateVector(stored));
});

it("reads the state vector of a snapshot kept without one from its state", async () => {
  const { documentId, stored } = await storedStatement();
  await compactDocument(rooms.db.sql, documentId);
  await rooms.db.sql`update document_snapshots set state_vector = null where document_id = ${documentId}`;
  const room = await rooms.open(documentId);
  const ann = recordingPeer("ann", true);
  room.join(ann);
  expect(ann.writes).toHaveLength(1);
  await turn();
  expect(payloadOf(ann.writes[1][1], messageSync, 0)).toEqual(Y.encodeStateVector(stored));
});

it("sends a client that has part of a cold document what it lacks, and nothing it has", async () => {
  const { documentId, stored, beforeEdit } = await storedStatement();
  const room = await rooms.open(documentId);
  // What it has: the document as it was before the logged edit.
  const older = new Y.Doc();
  for (const update of (await loadUpdates(rooms.db.sql, documentId)).slice(0, 1)) Y.applyUpdate(older, update);
  expect(Y.encodeStateVector(older)).toEqual(beforeEdit);
  const missing = room.diffFor(Y.encodeStateVector(older));
  expect(missing).toEqual(Y.encodeStateAsUpdate(stored, beforeEdit));
  Y.applyUpdate(older, missing);
  expect(clauseTexts(older)).toEqual(clauseTexts(stored));
  expect(clauseTexts(older)[0]).toContain("stored later");
});

it("stores and relays a first write to a cold document, built on the stored text", async () => {
  const { documentId, stored } = await storedStatement();
  const room = await rooms.open(documentId);
  const ann = recordingPeer("ann", true);
  const bob = recordingPeer("bob", false);
  room.join(ann);
  room.join(bob);
  const mine = new Y.Doc();
  Y.applyUpdate(mine, room.diffFor(Y.encodeStateVector(mine)));
  const bobs = new Y.Doc();
  Y.applyUpdate(bobs, room.diffFor(Y.encodeStateVector(bobs)));
  const before = Y.encodeStateVector(mine);
  typeInClause(mine, 1, "first words ");
  room.receiveUpdate(Y.encodeStateAsUpdate(mine, before), ann);
  await room.drain();
  await turn();
  expect(await countLoggedUpdates(rooms.db.sql, documentId)).toBe(3);
  expect(clauseTexts(room.doc)).toEqual(clauseTexts(mine));
  expect(clauseTexts(mine)[1]).not.toEqual(clauseTexts(stored)[1]);
  // Bob is sent the stored write as a document update (after his greeting).
  const relayed = bob.writes.flat().filter((m) => m[0] === messageSync && m[1] === 2);
  expect(relayed).toHaveLength(1);
  Y.applyUpdate(bobs, payloadOf(relayed[0], messageSync, 2));
  expect(clauseTexts(bobs)).toEqual(clauseTexts(mine));
});

it("closes the peers of a document whose stored bytes are not a document, and stores nothing they send", async () => {
  const { documentId } = await createStatement(rooms.db.sql);
  await rooms.db.sql`delete from document_updates where document_id = ${documentId}`;
  await appendUpdates(rooms.db.sql, documentId, [new Uint8Array([1, 2, 3, 255])]);
  const room = await rooms.open(documentId);
  const ann = recordingPeer("ann", true);
  room.join(ann);
  await turn();
  expect(ann.closes).toEqual([{ code: 1011, reason: "document could not be loaded" }]);
  const mine = new Y.Doc();
  mine.getText("anything").insert(0, "anything");
  room.receiveUpdate(Y.encodeStateAsUpdate(mine), ann);
  await room.drain();
  expect(await countLoggedUpdates(rooms.db.sql, documentId)).toBe(1);
});
