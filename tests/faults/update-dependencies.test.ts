import { beforeAll, beforeEach, expect, it } from "vitest";
import * as Y from "yjs";
import * as encoding from "lib0/encoding";
import { statementField } from "../../app/statement/schema";
import { loadUpdates } from "../../server/queries/document-state";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { startTestServer, type TestServer } from "../support/server";
import { connectSyncedClient, roundTrip, waitFor, waitForConvergence, type TestClient } from "../support/clients";
import { encodeMessage, openRawSocket, rawRoundTrip, replicate, type RawSocket } from "../support/raw-socket";
import { withTimeout } from "../support/wait";
import { sameContent, statementText, typeInClause } from "../support/statement";
import { createStatement } from "../support/factories";

/**
 * Updates that are well-formed Yjs but cannot be applied as they stand: some build on structures
 * the server does not have (yet), some make Yjs throw half-way. Neither may reach PostgreSQL:
 * the first would stay pending in the document for good, the second would make every later load
 * of the document throw.
 */

const maxMessageBytes = 16 * 1024;
let db: TestDatabase;
let server: TestServer;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer({ databaseUrl: db.url, env: { COLLAB_MAX_MESSAGE_BYTES: String(maxMessageBytes) } });
});

let documentId: string;
let cookie: string;
let b: TestClient;
let raw: RawSocket;

beforeEach(async () => {
  ({ documentId, cookie } = await createStatement(db.sql));
  b = await connectSyncedClient(server.wsUrl, documentId, { cookie });
  raw = openRawSocket(server.wsUrl, documentId, { cookie });
  await raw.opened;
});

const room = () => server.concord.collab.rooms.get(documentId)!;
const rows = async () =>
  (await db.sql<{ n: number }[]>`select count(*)::int as n from document_updates where document_id = ${documentId}`)[0].n;
const update = (u: Uint8Array) => encodeMessage(0, 2, u);

/** Each stored row applies, in order, to a fresh document, leaving nothing pending. */
async function expectStoredLogSound() {
  const doc = new Y.Doc();
  for (const row of await loadUpdates(db.sql, documentId)) Y.applyUpdate(doc, row);
  expect(doc.store.pendingStructs).toBeNull();
  expect(doc.store.pendingDs).toBeNull();
  return doc;
}

it("an update that arrives before what it builds on is held, then stored and relayed once that arrives (a client typing while it reconnects)", async () => {
  const local = await replicate(raw);
  const sv0 = Y.encodeStateVector(local);
  typeInClause(local, 2, " FIRST-PART");
  const sv1 = Y.encodeStateVector(local);
  const first = Y.encodeStateAsUpdate(local, sv0);
  typeInClause(local, 2, " SECOND-PART");
  const second = Y.encodeStateAsUpdate(local, sv1);
  const before = await rows();

  raw.ws.send(update(second));
  await rawRoundTrip(raw);
  await roundTrip(b);
  expect(room().doc.store.pendingStructs).toBeNull();
  expect(statementText(room().doc)).not.toContain("SECOND-PART");
  expect(statementText(b.doc)).not.toContain("SECOND-PART");
  expect(await rows()).toBe(before);

  raw.ws.send(update(first));
  await waitFor(() => statementText(b.doc).includes("FIRST-PART SECOND-PART"), { what: "B to receive both parts" });
  expect(room().doc.store.pendingStructs).toBeNull();
  expect(statementText(await expectStoredLogSound())).toContain("FIRST-PART SECOND-PART");
  expect(raw.ws.readyState).toBe(raw.ws.OPEN);
});

it("updates whose dependencies never arrive are never stored or relayed, and a connection that piles them up is closed", async () => {
  await replicate(raw);
  const before = await rows();
  /** The second half of a new client's edit, without the first: ~1 KB that can never be applied. */
  const orphan = (i: number) => {
    const d = new Y.Doc();
    d.clientID = 1_000_000 + i;
    const text = new Y.XmlText();
    d.getXmlFragment(statementField).insert(0, [text]);
    text.insert(0, "ORPHAN-ROOT");
    const sv = Y.encodeStateVector(d);
    text.insert(11, ` ORPHAN-${i} ${"x".repeat(1000)}`);
    return Y.encodeStateAsUpdate(d, sv);
  };

  const underBound = Math.floor(maxMessageBytes / orphan(0).length) - 1;
  for (let i = 0; i < underBound; i++) raw.ws.send(update(orphan(i)));
  await rawRoundTrip(raw);
  expect(room().doc.store.pendingStructs).toBeNull();
  expect(await rows()).toBe(before);

  // One more, and the bound (COLLAB_MAX_MESSAGE_BYTES) is exceeded.
  for (let i = underBound; i < underBound + 2; i++) raw.ws.send(update(orphan(i)));
  expect(await withTimeout(raw.closed, 10_000, "the server to close the connection")).toEqual({
    code: 4400,
    reason: "document updates whose dependencies never arrived",
  });

  typeInClause(b.doc, 4, " [b-after]");
  await waitFor(() => b.isSaved(), { what: "B's edit to be saved" });
  const fresh = await connectSyncedClient(server.wsUrl, documentId, { cookie });
  await waitForConvergence([b, fresh]);
  expect(fresh.doc.store.pendingStructs).toBeNull();
  expect(statementText(fresh.doc)).not.toContain("ORPHAN");
  const stored = await expectStoredLogSound();
  expect(statementText(stored)).not.toContain("ORPHAN");
  expect(sameContent(stored, b.doc)).toBe(true);
});

it("an update that decodes but would make Yjs throw half-way is refused as malformed; nothing of it is stored and the server goes on", async () => {
  // Two structures of one client; the second names as its left neighbour a later clock of its
  // own client, which Yjs looks up without checking. Before the fix this was stored, then
  // applying it threw in the write path (an unhandled rejection), and every later load of the
  // document threw the same.
  const e = encoding.createEncoder();
  const client = 777;
  encoding.writeVarUint(e, 1);
  encoding.writeVarUint(e, 2);
  encoding.writeVarUint(e, client);
  encoding.writeVarUint(e, 0);
  encoding.writeUint8(e, 4); // a string, parent given by name
  encoding.writeVarUint(e, 1);
  encoding.writeVarString(e, statementField);
  encoding.writeVarString(e, "POISON-A");
  encoding.writeUint8(e, 0x80 | 4); // a string after (client, 100)
  encoding.writeVarUint(e, client);
  encoding.writeVarUint(e, 100);
  encoding.writeVarString(e, "POISON-B");
  encoding.writeVarUint(e, 0);
  const poison = encoding.toUint8Array(e);
  expect(Y.decodeUpdate(poison).structs).toHaveLength(2);
  expect(() => Y.applyUpdate(new Y.Doc(), poison)).toThrow();

  await replicate(raw);
  const before = await rows();
  raw.ws.send(update(poison));
  expect(await withTimeout(raw.closed, 10_000, "the server to close the connection")).toEqual({
    code: 4400,
    reason: "malformed document update",
  });
  expect(await rows()).toBe(before);

  typeInClause(b.doc, 6, " [b-after]");
  const fresh = await connectSyncedClient(server.wsUrl, documentId, { cookie });
  await waitFor(() => statementText(fresh.doc).includes("[b-after]"), { what: "a new client to receive B's edit" });
  await waitForConvergence([b, fresh]);
  const stored = await expectStoredLogSound();
  expect(statementText(stored)).not.toContain("POISON");
  expect(sameContent(stored, b.doc)).toBe(true);
});
