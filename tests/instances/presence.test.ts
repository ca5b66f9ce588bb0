import { beforeAll, expect, it } from "vitest";
import * as Y from "yjs";
import * as awarenessProtocol from "y-protocols/awareness";
import * as syncProtocol from "y-protocols/sync";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { startTestServer, type TestServer } from "../support/server";
import { redisEnv } from "../support/redis";
import { connectSyncedClient, waitFor } from "../support/clients";
import { encodeMessage, openRawSocket } from "../support/raw-socket";
import { caretAt } from "../support/statement";
import { messageAwareness, messageSync } from "../../app/statement/protocol";
import { createStatement } from "../support/factories";

let db: TestDatabase;
let a: TestServer;
let b: TestServer;

beforeAll(async () => {
  db = await createTestDatabase();
  const env = redisEnv();
  [a, b] = await Promise.all([startTestServer({ databaseUrl: db.url, env }), startTestServer({ databaseUrl: db.url, env })]);
});

type Caret = { anchor: unknown; head: unknown };
const stateOf = (client: { provider: { awareness: awarenessProtocol.Awareness } }, clientId: number) =>
  client.provider.awareness.getStates().get(clientId) as { user?: { name: string }; cursor?: Caret | null } | undefined;

const sameCaret = (a: Caret | null | undefined, b: Caret) => JSON.stringify(a) === JSON.stringify(b);

it("presence of a client on one instance appears on the other, follows its changes, and disappears when it leaves", async () => {
  const { documentId, cookie } = await createStatement(db.sql);
  const onA = await connectSyncedClient(a.wsUrl, documentId, { cookie });
  onA.provider.awareness.setLocalStateField("cursor", caretAt(onA.doc, 1));
  // B opens the document only now: it asks A for the presence it missed.
  const onB = await connectSyncedClient(b.wsUrl, documentId, { cookie });
  await waitFor(() => sameCaret(stateOf(onB, onA.doc.clientID)?.cursor, caretAt(onA.doc, 1)), { what: "A's client's presence on B" });

  onB.provider.awareness.setLocalStateField("cursor", caretAt(onB.doc, 2));
  await waitFor(() => sameCaret(stateOf(onA, onB.doc.clientID)?.cursor, caretAt(onB.doc, 2)), { what: "B's client's presence on A" });

  onA.provider.awareness.setLocalStateField("cursor", caretAt(onA.doc, 0));
  await waitFor(() => sameCaret(stateOf(onB, onA.doc.clientID)?.cursor, caretAt(onA.doc, 0)), { what: "A's client's caret to move on B" });

  const leaving = onA.doc.clientID;
  onA.destroy();
  await waitFor(() => !onB.provider.awareness.getStates().has(leaving), {
    what: "A's client's presence to disappear on B",
    timeoutMs: 5000,
  });
  expect(b.concord.collab.rooms.get(documentId)!.awareness.getStates().has(leaving)).toBe(false);
});

it("a connection on one instance cannot speak for a client of another instance", async () => {
  const { documentId, cookie } = await createStatement(db.sql);
  const onA = await connectSyncedClient(a.wsUrl, documentId, { cookie });
  const real = caretAt(onA.doc, 1);
  onA.provider.awareness.setLocalStateField("cursor", real);
  const witness = await connectSyncedClient(b.wsUrl, documentId, { cookie });
  await waitFor(() => sameCaret(stateOf(witness, onA.doc.clientID)?.cursor, real), { what: "A's client's presence on B" });

  // A raw connection on B claims A's client id, with a newer clock, then removes it.
  const raw = openRawSocket(b.wsUrl, documentId, { cookie });
  await raw.opened;
  const impostor = new awarenessProtocol.Awareness(new Y.Doc());
  impostor.clientID = onA.doc.clientID;
  for (let i = 0; i < 10; i++) impostor.setLocalState({ cursor: null });
  raw.ws.send(encodeMessage(messageAwareness, awarenessProtocol.encodeAwarenessUpdate(impostor, [onA.doc.clientID])));
  impostor.setLocalState(null);
  raw.ws.send(encodeMessage(messageAwareness, awarenessProtocol.encodeAwarenessUpdate(impostor, [onA.doc.clientID])));
  impostor.destroy();

  // B has handled the impostor's messages once it answers the next one...
  const before = raw.received.length;
  raw.ws.send(encodeMessage(messageSync, syncProtocol.messageYjsSyncStep1, Y.encodeStateVector(new Y.Doc())));
  await waitFor(() => raw.received.slice(before).some((m) => m[0] === messageSync && m[1] === syncProtocol.messageYjsSyncStep2), {
    what: "B to answer the raw connection",
  });
  // ...and whatever B published about it has reached A once a later change from B has.
  const marker = caretAt(witness.doc, 3);
  witness.provider.awareness.setLocalStateField("cursor", marker);
  await waitFor(() => sameCaret(stateOf(onA, witness.doc.clientID)?.cursor, marker), { what: "a later presence change from B to reach A" });

  expect(sameCaret(stateOf(witness, onA.doc.clientID)?.cursor, real)).toBe(true);
  expect(sameCaret(stateOf(onA, onA.doc.clientID)?.cursor, real)).toBe(true);
  for (const server of [a, b]) {
    const state = server.concord.collab.rooms.get(documentId)!.awareness.getStates().get(onA.doc.clientID) as { cursor: Caret };
    expect(sameCaret(state.cursor, real)).toBe(true);
  }
});
