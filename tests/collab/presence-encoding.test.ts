import { expect, it } from "vitest";
import * as Y from "yjs";
import * as awarenessProtocol from "y-protocols/awareness";
import { PresenceEncoder } from "../../server/collab/presence-encoding";
import { encodeAwareness } from "../../app/statement/protocol";

/** A client's awareness whose state changes are applied to the room's, as the server applies them. */
function clientOf(room: awarenessProtocol.Awareness) {
  const awareness = new awarenessProtocol.Awareness(new Y.Doc());
  const send = (ids: number[]) =>
    awarenessProtocol.applyAwarenessUpdate(room, awarenessProtocol.encodeAwarenessUpdate(awareness, ids), "peer");
  return {
    id: awareness.clientID,
    set(state: Record<string, unknown>) {
      awareness.setLocalState(state);
      send([awareness.clientID]);
    },
    leave() {
      awareness.setLocalState(null);
      send([awareness.clientID]);
    },
  };
}

it("encodes as y-protocols does, after changes and removals, whatever was encoded before", () => {
  const room = new awarenessProtocol.Awareness(new Y.Doc());
  room.setLocalState(null);
  const encoder = new PresenceEncoder(room);
  room.on("update", ({ removed }: { removed: number[] }) => encoder.forget(removed));
  const reference = (ids: number[]) => awarenessProtocol.encodeAwarenessUpdate(room, ids);
  const everyone = () => [...room.getStates().keys()];
  const [ann, bob, eve] = [clientOf(room), clientOf(room), clientOf(room)];
  ann.set({ user: { name: "Ann" }, cursor: null });
  bob.set({ user: { name: "Bob" }, cursor: { anchor: 1 } });
  expect(encoder.everyone()).toEqual(reference(everyone()));
  // A state changed since it was last encoded (same object shape, new clock and content).
  bob.set({ user: { name: "Bob" }, cursor: { anchor: 2 } });
  eve.set({ user: { name: "Ève ✓" }, cursor: null });
  expect(encoder.everyone()).toEqual(reference(everyone()));
  expect(encoder.encode([bob.id])).toEqual(reference([bob.id]));
  // A state removed is encoded as null, with its new clock.
  ann.leave();
  expect(encoder.encode([ann.id, eve.id])).toEqual(reference([ann.id, eve.id]));
  expect(encoder.everyone()).toEqual(reference(everyone()));
  expect(everyone()).not.toContain(ann.id);
  // And set again after leaving.
  ann.set({ user: { name: "Ann" }, cursor: { anchor: 3 } });
  expect(encoder.everyone()).toEqual(reference(everyone()));
  room.destroy();
});

it("makes the awareness message of any number of states as encodeAwareness makes it of their update", () => {
  const room = new awarenessProtocol.Awareness(new Y.Doc());
  room.setLocalState(null);
  const encoder = new PresenceEncoder(room);
  const everyone = () => [...room.getStates().keys()];
  const clients: ReturnType<typeof clientOf>[] = [];
  // Counts and lengths whose variable-length integers take one, two and three bytes.
  for (const count of [1, 127, 128, 300]) {
    while (clients.length < count) {
      const c = clientOf(room);
      c.set({
        user: { name: `Delegate ${clients.length} ✓`, color: "#123456" },
        cursor: { anchor: { type: null, tname: "default", item: null, assoc: 0 } },
      });
      clients.push(c);
    }
    expect(encoder.message(everyone())).toEqual(encodeAwareness(encoder.encode(everyone())));
    expect(encoder.message([clients[0].id])).toEqual(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(room, [clients[0].id])));
  }
  expect(encoder.everyone().length).toBeGreaterThan(16384);
  room.destroy();
});
