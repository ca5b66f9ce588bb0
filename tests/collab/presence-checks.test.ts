import { beforeAll, expect, it } from "vitest";
import * as Y from "yjs";
import * as syncProtocol from "y-protocols/sync";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { startTestServer, type TestServer } from "../support/server";
import { connectSyncedClient, waitFor, withTimeout, type TestClient } from "../support/clients";
import { awarenessUpdate, encodeMessage, openRawSocket, type RawSocket } from "../support/raw-socket";
import { caretAt } from "../support/statement";
import { closeCodes, messageAwareness, messageSync } from "../../app/statement/protocol";
import { colorFor } from "../../app/statement/presence-colors";
import { createSignedInPerson, createStatement } from "../support/factories";

let db: TestDatabase;
let server: TestServer;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer({ databaseUrl: db.url });
});

type State = { user?: { name: string; color: string; role: string; delegation: string | null }; cursor?: unknown } | undefined;
const stateOf = (client: TestClient, clientId: number) => client.provider.awareness.getStates().get(clientId) as State;

async function room() {
  const { documentId, conferenceId, cookie } = await createStatement(db.sql);
  const delegate = await createSignedInPerson(db.sql, { conferenceId, role: "delegate", name: "Delegate of Ruritania" });
  const observer = await createSignedInPerson(db.sql, { conferenceId, role: "observer", name: "An observer" });
  const witness = await connectSyncedClient(server.wsUrl, documentId, { cookie });
  return { documentId, cookie, delegate, observer, witness };
}

/** Sends awareness entries for arbitrary client ids and clocks from a raw socket. */
function sendPresence(raw: RawSocket, entries: { id: number; clock: number; state: unknown }[]) {
  raw.ws.send(encodeMessage(messageAwareness, awarenessUpdate(entries.map((e) => ({ ...e, state: JSON.stringify(e.state) })))));
}

/** Waits until the server has handled everything the raw socket sent before. */
async function handled(raw: RawSocket) {
  const before = raw.received.length;
  raw.ws.send(encodeMessage(messageSync, syncProtocol.messageYjsSyncStep1, Y.encodeStateVector(new Y.Doc())));
  await waitFor(() => raw.received.slice(before).some((m) => m[0] === messageSync && m[1] === syncProtocol.messageYjsSyncStep2), {
    what: "the server to answer",
  });
}

it("shows everyone the identity of the session, whatever name and colour a client claims", async () => {
  const { documentId, delegate, witness } = await room();
  const client = await connectSyncedClient(server.wsUrl, documentId, { cookie: delegate.cookie });
  client.provider.awareness.setLocalState({
    user: { name: "Chair of the Conference", color: "red; background:url(https://evil.example/x)" },
    cursor: caretAt(client.doc, 0),
  });
  await waitFor(() => stateOf(witness, client.doc.clientID)?.user !== undefined, { what: "the delegate's presence" });
  const seen = stateOf(witness, client.doc.clientID)!;
  expect(seen.user).toEqual({
    name: expect.stringMatching(/^Delegate of Ruritania \(D[0-9A-Fa-f]+\)$/) as unknown,
    color: colorFor(delegate.id),
    role: "delegate",
    delegation: expect.stringMatching(/^Delegation /) as unknown,
  });
  expect(seen.cursor).toEqual(caretAt(client.doc, 0));
});

it("closes a connection that sends a malformed caret, and relays none of it", async () => {
  const { documentId, observer, witness } = await room();
  const raw = openRawSocket(server.wsUrl, documentId, { cookie: observer.cookie });
  await raw.opened;
  sendPresence(raw, [{ id: 4242, clock: 1, state: { user: { name: "x" }, cursor: { anchor: {}, head: {} } } }]);
  expect((await withTimeout(raw.closed, 10_000, "the server to close")).code).toBe(closeCodes.malformed);
  await new Promise((r) => setTimeout(r, 100));
  expect(witness.provider.awareness.getStates().has(4242)).toBe(false);
});

it("closes a connection whose presence state is oversized", async () => {
  const { documentId, observer } = await room();
  const raw = openRawSocket(server.wsUrl, documentId, { cookie: observer.cookie });
  await raw.opened;
  sendPresence(raw, [{ id: 4343, clock: 1, state: { user: { name: "x".repeat(5000) } } }]);
  const { code, reason } = await withTimeout(raw.closed, 10_000, "the server to close");
  expect(code).toBe(closeCodes.malformed);
  expect(reason).toMatch(/too large/);
});

it("keeps a participant's presence theirs after they reconnect: others can neither overwrite nor remove it", async () => {
  const { documentId, delegate, observer, witness } = await room();
  const id = 31337;
  // The delegate's page loses its connection without a goodbye and reconnects before the old one is noticed gone.
  const first = openRawSocket(server.wsUrl, documentId, { cookie: delegate.cookie });
  await first.opened;
  sendPresence(first, [{ id, clock: 1, state: { cursor: null } }]);
  await handled(first);
  const second = openRawSocket(server.wsUrl, documentId, { cookie: delegate.cookie });
  await second.opened;
  sendPresence(second, [{ id, clock: 2, state: { cursor: null } }]);
  await handled(second);
  first.ws.terminate();
  await new Promise((r) => setTimeout(r, 200));
  expect(stateOf(witness, id)?.user?.name).toMatch(/^Delegate of Ruritania /);

  const attacker = openRawSocket(server.wsUrl, documentId, { cookie: observer.cookie });
  await attacker.opened;
  sendPresence(attacker, [{ id, clock: 100, state: { cursor: null, user: { name: "Chair of the Conference" } } }]);
  sendPresence(attacker, [{ id, clock: 101, state: null }]);
  await handled(attacker);
  expect(stateOf(witness, id)?.user?.name).toMatch(/^Delegate of Ruritania /);

  // The holding connection closes: its presence goes with it.
  second.ws.close();
  await waitFor(() => stateOf(witness, id) === undefined, { what: "the presence to go with its connection" });
});

it("counts every presence id a connection ever set: add, remove and re-add does not get past the cap", async () => {
  const { documentId, observer, witness } = await room();
  const raw = openRawSocket(server.wsUrl, documentId, { cookie: observer.cookie });
  await raw.opened;
  for (let id = 1; id <= 16; id++) {
    sendPresence(raw, [{ id: 9000 + id, clock: 1, state: { cursor: null } }]);
    sendPresence(raw, [{ id: 9000 + id, clock: 2, state: null }]);
  }
  await handled(raw);
  sendPresence(raw, [{ id: 9100, clock: 1, state: { cursor: null } }]);
  const { code, reason } = await withTimeout(raw.closed, 10_000, "the server to close");
  expect(code).toBe(closeCodes.malformed);
  expect(reason).toMatch(/too many awareness states/);
  // Removals go out with the room's next presence message (up to presenceAloneMs later); a state
  // left behind would stay with the witness until its awareness timeout (30 s), past this wait.
  const ghosts = () => [...witness.provider.awareness.getStates().keys()].filter((id) => id >= 9000 && id <= 9200);
  await waitFor(() => ghosts().length === 0, {
    timeoutMs: 10_000,
    what: `no state of the closed connection left (${ghosts().join(", ")})`,
  });
});
