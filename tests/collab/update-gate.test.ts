import { expect, it } from "vitest";
import * as Y from "yjs";
import { decodeUpdate, MalformedUpdate, TooMuchHeld, UpdateGate, type DecodedUpdate } from "../../server/collab/update-check";

/** Three updates of one client typing, each building on the one before, and the document they make. */
function typing() {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on("update", (u: Uint8Array) => updates.push(u));
  for (const ch of "abc") doc.getText("t").insert(doc.getText("t").length, ch);
  return { client: doc.clientID, updates: updates.map(decodeUpdate) };
}

/** A gate in front of a copy that admitted updates are applied to. */
function gated(maxHeldBytes = 1 << 20) {
  const copy = new Y.Doc();
  const gate = new UpdateGate<string>((client) => Y.getState(copy.store, client), maxHeldBytes);
  const admitted: string[] = [];
  const admit = (u: DecodedUpdate, from: string) => {
    Y.applyUpdate(copy, u.bytes);
    admitted.push(`${from}:${copy.getText("t").toJSON()}`);
  };
  return { copy, gate, admitted, admit };
}

it("reads what an update holds once: its clients' reach, and whether it is empty", () => {
  const { client, updates } = typing();
  expect(updates[2].to).toEqual(new Map([[client, 3]]));
  expect(updates[2].empty).toBe(false);
  expect(decodeUpdate(Y.encodeStateAsUpdate(new Y.Doc())).empty).toBe(true);
  expect(() => decodeUpdate(new Uint8Array([200, 1, 2]))).toThrow(MalformedUpdate);
});

it("holds an update until what it builds on is known, then releases it and what it completes, in order", () => {
  const { updates } = typing();
  const { gate, admitted, admit } = gated();
  expect(gate.check(updates[2]).ready).toBe(false);
  gate.hold(updates[2], "ann");
  gate.hold(updates[1], "ann");
  gate.release(admit);
  expect(admitted).toEqual([]);
  expect(gate.holding).toBe(true);
  const first = gate.check(updates[0]);
  expect(first).toEqual({ ready: true, overlaps: false });
  admit(updates[0], "ann");
  gate.release(admit);
  expect(admitted).toEqual(["ann:a", "ann:ab", "ann:abc"]);
  expect(gate.holding).toBe(false);
});

it("sees an update that repeats what the copy has as overlapping", () => {
  const { updates } = typing();
  const { gate, admit } = gated();
  admit(updates[0], "ann");
  expect(gate.check(updates[0])).toEqual({ ready: true, overlaps: true });
});

it("bounds what one peer holds, and forgets a peer's held updates", () => {
  const { updates } = typing();
  const { gate } = gated(updates[1].bytes.length + updates[2].bytes.length - 1);
  gate.hold(updates[1], "ann");
  expect(() => gate.hold(updates[2], "ann")).toThrow(TooMuchHeld);
  expect(gate.holding).toBe(false);
  gate.hold(updates[2], "bob");
  gate.forget("bob");
  expect(gate.holding).toBe(false);
});
