import { randomUUID } from "node:crypto";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import * as encoding from "lib0/encoding";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { startTestServer, type TestServer } from "../support/server";
import { connectSyncedClient, startTyping, waitForConvergence, type TestClient } from "../support/clients";
import { encodeMessage, openRawSocket, upgradeStatus } from "../support/raw-socket";
import { waitFor, withTimeout } from "../support/wait";
import { sameContent, statementFragment, statementText, storedDoc, typeInClause } from "../support/statement";
import { createStatement } from "../support/factories";

const maxMessageBytes = 16 * 1024;
const marker = "EVIL-PAYLOAD";

let db: TestDatabase;
let server: TestServer;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer({ databaseUrl: db.url, env: { COLLAB_MAX_MESSAGE_BYTES: String(maxMessageBytes) } });
});

/** A well-formed update that would add `text` to the statement, were it ever accepted. */
function evilUpdate(text = marker): Uint8Array {
  const doc = new Y.Doc();
  const p = new Y.XmlElement("paragraph");
  p.insert(0, [new Y.XmlText(text)]);
  statementFragment(doc).insert(0, [p]);
  return Y.encodeStateAsUpdate(doc);
}

const syncUpdate = (update: Uint8Array) => encodeMessage(0, 2, update);

let documentId: string;
let cookie: string;
let a: TestClient;
let b: TestClient;
let seededClients: Set<number>;
let drops: number;

beforeEach(async () => {
  ({ documentId, cookie } = await createStatement(db.sql));
  seededClients = new Set(Y.decodeStateVector(Y.encodeStateVector(await storedDoc(db.sql, documentId))).keys());
  a = await connectSyncedClient(server.wsUrl, documentId, { cookie });
  b = await connectSyncedClient(server.wsUrl, documentId, { cookie });
  drops = 0;
  for (const c of [a, b]) c.provider.on("status", ({ status }: { status: string }) => status === "disconnected" && drops++);
});

/**
 * Opens a raw connection on the room, waits until the server has admitted it (its sync step 1
 * arrived), sends `payload`, and returns how the server closed the connection. Meanwhile A keeps
 * typing, and afterwards A and B must still edit and converge, with nothing of the bad
 * connection in the database.
 */
async function misbehave(send: (ws: import("ws").WebSocket) => void): Promise<{ code: number; reason: string }> {
  const typist = startTyping(a.doc, { clause: 2, tag: "a", everyMs: 4, limit: 30 });
  const raw = openRawSocket(server.wsUrl, documentId, { cookie });
  await raw.opened;
  await waitFor(() => raw.received.length > 0, { what: "the server to greet the raw connection" });
  send(raw.ws);
  const closed = await withTimeout(raw.closed, 10_000, "the server to close the bad connection");

  await typist.done;
  typeInClause(b.doc, 9, " [b-after]");
  await waitForConvergence([a, b]);
  for (const word of [...typist.words, "[b-after]"]) expect(statementText(b.doc)).toContain(word);
  expect(drops).toBe(0);

  const stored = await storedDoc(db.sql, documentId);
  expect(sameContent(stored, a.doc)).toBe(true);
  expect(statementText(stored)).not.toContain(marker);
  const writers = [...Y.decodeStateVector(Y.encodeStateVector(stored)).keys()];
  expect(writers.filter((id) => !seededClients.has(id) && id !== a.doc.clientID && id !== b.doc.clientID)).toEqual([]);
  return closed;
}

describe("a connection that sends what the protocol does not allow is closed, and the room is unharmed", () => {
  it("garbage bytes", async () => {
    const closed = await misbehave((ws) => ws.send(Uint8Array.from([0xde, 0xad, 0xbe, 0xef, 0xff, 0xff, 0xff, 0xff, 0x7f, 0x13])));
    expect(closed.code).toBe(4400);
    expect(closed.reason).not.toBe("");
  });

  it("a truncated message (a length prefix longer than the data)", async () => {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 0);
    encoding.writeVarUint(e, 2);
    encoding.writeVarUint(e, 200);
    encoding.writeUint8Array(e, evilUpdate().slice(0, 20));
    const closed = await misbehave((ws) => ws.send(encoding.toUint8Array(e)));
    expect(closed).toEqual({ code: 4400, reason: "malformed message" });
  });

  it("an unknown message type", async () => {
    const closed = await misbehave((ws) => ws.send(encodeMessage(7, evilUpdate())));
    expect(closed).toEqual({ code: 4400, reason: "unknown message type 7" });
  });

  it("an unknown sync step", async () => {
    const closed = await misbehave((ws) => ws.send(encodeMessage(0, 9, evilUpdate())));
    expect(closed).toEqual({ code: 4400, reason: "unknown sync message 9" });
  });

  it("a text frame", async () => {
    const closed = await misbehave((ws) => ws.send(Buffer.from(syncUpdate(evilUpdate())).toString("latin1")));
    expect(closed).toEqual({ code: 4400, reason: "text frames are not part of the protocol" });
  });

  it("a message above COLLAB_MAX_MESSAGE_BYTES", async () => {
    const big = syncUpdate(evilUpdate(marker + "x".repeat(maxMessageBytes)));
    expect(big.length).toBeGreaterThan(maxMessageBytes);
    const closed = await misbehave((ws) => ws.send(big));
    expect(closed.code).toBe(1009);
  });

  it.each([
    ["an update", 2],
    ["a sync step 2", 1],
  ])("%s whose bytes are garbage inside valid framing", async (_what, step) => {
    const full = evilUpdate();
    const garbage = full.slice(0, full.length - 6);
    expect(() => Y.decodeUpdate(garbage)).toThrow();
    const closed = await misbehave((ws) => ws.send(encodeMessage(0, step, garbage)));
    expect(closed).toEqual({ code: 4400, reason: "malformed document update" });
  });

  it("a malformed awareness update", async () => {
    const closed = await misbehave((ws) => ws.send(encodeMessage(1, Uint8Array.from([1, 5, 1, 3, 0x7b, 0x7b]))));
    expect(closed).toEqual({ code: 4400, reason: "malformed awareness update" });
  });
});

describe("a room that is no document is refused before the WebSocket handshake", () => {
  it.each([
    ["an unknown document id", () => randomUUID()],
    ["an id that is not a uuid", () => "not-a-uuid"],
  ])("%s gets HTTP 404", async (_what, id) => {
    const documents = async () => (await db.sql<{ n: number }[]>`select count(*)::int as n from documents`)[0].n;
    const before = await documents();
    const room = id();
    expect(await upgradeStatus(`${server.wsUrl}/${room}`, { cookie })).toBe(404);
    expect(server.concord.collab.rooms.has(room)).toBe(false);
    expect(await documents()).toBe(before);

    // The good clients never noticed.
    typeInClause(a.doc, 4, " [a-after]");
    await waitFor(() => statementText(b.doc).includes("[a-after]"), { what: "B to receive A's edit" });
    await waitForConvergence([a, b]);
    expect(sameContent(await storedDoc(db.sql, documentId), a.doc)).toBe(true);
  });
});
