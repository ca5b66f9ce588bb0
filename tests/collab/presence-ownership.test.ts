import { expect, it, vi } from "vitest";
import * as decoding from "lib0/decoding";
import { ClientOwners } from "../../server/collab/client-owners";
import { PresenceOwnership, type PresenceHolder } from "../../server/collab/presence-ownership";
import { PresenceViolation } from "../../server/collab/presence";
import { awarenessUpdate } from "../support/raw-socket";

const field = "default";

const holder = (owner: string): PresenceHolder => ({
  owner,
  identity: { name: `Person ${owner}`, color: "#123456", role: "delegate", delegation: null },
});

/** An awareness update setting these client ids, each with a name the client made up and no caret. */
const presence = (...ids: number[]) =>
  awarenessUpdate(ids.map((id) => ({ id, clock: 1, state: JSON.stringify({ user: { name: "Chair", color: "red" }, cursor: null }) })));

/** The states an awareness update sets, by client id. */
function statesOf(update: Uint8Array): Map<number, unknown> {
  const d = decoding.createDecoder(update);
  const states = new Map<number, unknown>();
  for (let n = decoding.readVarUint(d); n > 0; n--) {
    const id = decoding.readVarUint(d);
    decoding.readVarUint(d);
    states.set(id, JSON.parse(decoding.readVarString(d)));
  }
  return states;
}

function setup() {
  const owners = new ClientOwners();
  /** The clock of the room's state of each awareness client. */
  const clocks = new Map<number, number>();
  return { owners, clocks, presence: new PresenceOwnership<PresenceHolder>(owners, (id) => clocks.get(id)) };
}

it("keeps the states of client ids its person does not own out, and claims the free ones for them", () => {
  const { owners, presence: ownership } = setup();
  const ann = holder("ann");
  owners.claim(2, "bob");
  const allowed = ownership.admit(presence(1, 2), ann, field);
  expect(allowed?.clients).toEqual([1]);
  expect(owners.owner(1)).toBe("ann");
  // The identity is the session's, whatever the client said.
  expect(statesOf(allowed!.update)).toEqual(new Map([[1, { user: ann.identity, cursor: null }]]));
  expect(ownership.admit(presence(2), ann, field)).toBeNull();
});

it("lets another connection of the same person take over its states (a reconnect)", () => {
  const { presence: ownership } = setup();
  const first = holder("ann");
  const second = holder("ann");
  ownership.admit(presence(1), first, field);
  ownership.heldBy(first, [1]);
  expect(ownership.admit(presence(1), second, field)?.clients).toEqual([1]);
  expect(ownership.admit(presence(1), holder("bob"), field)).toBeNull();
});

it("refuses a connection that sets more than 16 client ids, removed ones counted", () => {
  const { presence: ownership } = setup();
  const ann = holder("ann");
  for (let id = 1; id <= 16; id++) {
    ownership.admit(presence(id), ann, field);
    ownership.removed([id]);
  }
  expect(() => ownership.admit(presence(17), ann, field)).toThrow(new PresenceViolation("too many awareness states"));
  // Another connection has its own count.
  expect(ownership.admit(presence(18), holder("bob"), field)?.clients).toEqual([18]);
});

it("drops a connection's changes past its rate, without refusing it", () => {
  const { presence: ownership } = setup();
  const ann = holder("ann");
  vi.useFakeTimers();
  try {
    const burst = () => Array.from({ length: 100 }, () => ownership.admit(presence(1), ann, field)).filter(Boolean).length;
    expect(burst()).toBe(60);
    vi.advanceTimersByTime(1000);
    expect(burst()).toBe(30);
  } finally {
    vi.useRealTimers();
  }
});

it("refuses malformed and oversized updates, and carets that are not positions", () => {
  const { presence: ownership } = setup();
  const ann = holder("ann");
  expect(() => ownership.admit(new Uint8Array([5, 1]), ann, field)).toThrow(PresenceViolation);
  expect(() => ownership.admit(new Uint8Array(1024 * 1024 + 1), ann, field)).toThrow("awareness message too large");
  const badCaret = awarenessUpdate([{ id: 1, clock: 1, state: JSON.stringify({ cursor: { anchor: 1, head: 2 } }) }]);
  expect(() => ownership.admit(badCaret, ann, field)).toThrow("malformed caret");
});

it("knows which states each connection holds, so that they go when it leaves", () => {
  const { presence: ownership } = setup();
  const ann = holder("ann");
  const bob = holder("bob");
  ownership.heldBy(ann, [1, 2]);
  ownership.heldBy(bob, [3]);
  expect(ownership.held(ann)).toEqual([1, 2]);
  expect(ownership.local()).toEqual([1, 2, 3]);
  ownership.removed([2]);
  expect(ownership.held(ann)).toEqual([1]);
});

it("keeps other instances' clients and this instance's apart", () => {
  const { presence: ownership } = setup();
  const ann = holder("ann");
  ownership.heldRemotely("instance-b", [5, 6]);
  // Nobody here may speak for another instance's client.
  expect(ownership.admit(presence(5), ann, field)).toBeNull();
  expect(ownership.ofInstance("instance-b")).toEqual([5, 6]);
  expect(ownership.ofInstance("instance-c")).toEqual([]);
  // Nor may another instance overwrite a state held here.
  ownership.heldBy(ann, [1]);
  expect(ownership.admitRemote(presence(1, 7))).toEqual(presence(7));
  expect(ownership.admitRemote(presence(1))).toBeNull();
  ownership.removed([5]);
  expect(ownership.ofInstance("instance-b")).toEqual([6]);
});

it("skips what would change nothing in the room unread: an older state, or the same one sent back", () => {
  const { clocks, presence: ownership } = setup();
  const ann = holder("ann");
  clocks.set(1, 5);
  const entry = (clock: number, state: string) => awarenessUpdate([{ id: 1, clock, state }]);
  // Not even parsed: a stock client sends back every state it hears, its own person's too.
  expect(ownership.admit(entry(4, "{not json"), ann, field)).toBeNull();
  expect(ownership.admit(entry(5, "{not json"), ann, field)).toBeNull();
  expect(() => ownership.admit(entry(6, "{not json"), ann, field)).toThrow(new PresenceViolation("presence state is not JSON"));
  // Its client leaving, at the clock of its last state, is a change.
  expect(ownership.admit(entry(5, "null"), ann, field)?.clients).toEqual([1]);
  expect(ownership.admit(entry(6, JSON.stringify({ cursor: null })), ann, field)?.clients).toEqual([1]);
});
