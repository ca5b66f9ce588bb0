import { beforeAll, expect, it } from "vitest";
import * as Y from "yjs";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { startTestServer, type TestServer } from "../support/server";
import { redisEnv } from "../support/redis";
import { connectSyncedClient, roundTrip, waitFor, withTimeout, type TestClient } from "../support/clients";
import { statementText, storedDoc, typeInClause } from "../support/statement";
import * as syncProtocol from "y-protocols/sync";
import { encodeMessage, openRawSocket, replicate } from "../support/raw-socket";
import { closeCodes, concordSaved, messageConcord, messageSync } from "../../app/statement/protocol";
import { createSignedInPerson, createStatement } from "../support/factories";

let db: TestDatabase;
let a: TestServer;
let b: TestServer;

beforeAll(async () => {
  db = await createTestDatabase();
  const env = redisEnv();
  [a, b] = await Promise.all([startTestServer({ databaseUrl: db.url, env }), startTestServer({ databaseUrl: db.url, env })]);
});

/**
 * A document with a victim (the chair) who has typed, and another writer of the conference;
 * `openOnB` opens the document on instance B first, so that B hears of the victim's claim only
 * through Redis.
 */
async function setUp({ openOnB = false } = {}) {
  const { documentId, conferenceId, cookie } = await createStatement(db.sql);
  const attacker = await createSignedInPerson(db.sql, { conferenceId, role: "secretariat" });
  if (openOnB) await connectSyncedClient(b.wsUrl, documentId, { cookie });
  const victim = await connectSyncedClient(a.wsUrl, documentId, { cookie });
  typeInClause(victim.doc, 0, " [victim's first words]");
  await waitFor(() => victim.isSaved(), { what: "the victim's first edit to be saved" });
  return { documentId, victim, attacker };
}

/**
 * The attacker's connection sends text under the victim's client id, at the clock the victim will
 * use next; resolves with how the server closed it.
 */
async function forge(wsUrl: string, documentId: string, victim: TestClient, cookie: string, text: string) {
  const raw = openRawSocket(wsUrl, documentId, { cookie });
  await raw.opened;
  const doc = await replicate(raw);
  doc.clientID = victim.doc.clientID;
  const before = Y.encodeStateVector(doc);
  typeInClause(doc, 1, text);
  raw.ws.send(encodeMessage(messageSync, syncProtocol.messageYjsUpdate, Y.encodeStateAsUpdate(doc, before)));
  return withTimeout(raw.closed, 10_000, "the server to close the forging connection");
}

it("refuses structures under another participant's client id, and the victim's next edit is stored as typed", async () => {
  const { documentId, victim, attacker } = await setUp();
  // The forged text takes the clock the victim will use next: stored first, it would shadow the victim's edit.
  const { code, reason } = await forge(a.wsUrl, documentId, victim, attacker.cookie, " [forged]");
  expect(code).toBe(closeCodes.malformed);
  expect(reason).toMatch(/another participant's client id/);

  typeInClause(victim.doc, 1, " [victim's second words]");
  await waitFor(() => victim.isSaved(), { what: "the victim's second edit to be saved" });
  const stored = statementText(await storedDoc(db.sql, documentId));
  expect(stored).toContain("[victim's second words]");
  expect(stored).not.toContain("[forged]");
});

it("holds across instances: the claim is relayed with the first update, and stored with it", async () => {
  const { documentId, victim, attacker } = await setUp({ openOnB: true });
  // On the other instance, which only heard of the victim's edits through Redis and PostgreSQL.
  expect((await forge(b.wsUrl, documentId, victim, attacker.cookie, " [forged on B]")).code).toBe(closeCodes.malformed);
  const [claim] = await db.sql<{ owner: string }[]>`
    select owner from document_clients where document_id = ${documentId} and client_id = ${victim.doc.clientID}`;
  expect(claim.owner).not.toBe(attacker.id);
  expect(statementText(await storedDoc(db.sql, documentId))).not.toContain("[forged on B]");
});

it("holds across restarts: a room loaded afresh knows whose client ids are whose", async () => {
  const { documentId, victim, attacker } = await setUp();
  victim.destroy();
  await waitFor(() => !a.concord.collab.rooms.has(documentId), { what: "the room to be released" });
  expect((await forge(a.wsUrl, documentId, victim, attacker.cookie, " [forged after reload]")).code).toBe(closeCodes.malformed);
});

it("lets the same person reconnect under their client id (a page that lost its connection)", async () => {
  const { documentId, victim } = await setUp();
  victim.provider.disconnect();
  typeInClause(victim.doc, 2, " [typed while away]");
  victim.provider.connect();
  await waitFor(() => victim.isSaved(), { what: "the offline edit to be saved after reconnecting" });
  await roundTrip(victim);
  expect(statementText(await storedDoc(db.sql, documentId))).toContain("[typed while away]");
});

it("cuts off what the room already has: a re-sent update is acknowledged, not stored again", async () => {
  const { documentId, cookie } = await createStatement(db.sql);
  const raw = openRawSocket(a.wsUrl, documentId, { cookie });
  await raw.opened;
  const doc = await replicate(raw);
  const before = Y.encodeStateVector(doc);
  typeInClause(doc, 1, " [sent twice]");
  const update = encodeMessage(messageSync, syncProtocol.messageYjsUpdate, Y.encodeStateAsUpdate(doc, before));
  // The greeting already said what is stored; count from there.
  const greeted = raw.received.filter((m) => m[0] === messageConcord && m[1] === concordSaved).length;
  const acks = () => raw.received.filter((m) => m[0] === messageConcord && m[1] === concordSaved).length - greeted;
  const rows = async () =>
    (await db.sql<{ n: number }[]>`select count(*)::int as n from document_updates where document_id = ${documentId}`)[0].n;
  raw.ws.send(update);
  await waitFor(() => acks() === 1, { what: "the first acknowledgment" });
  const stored = await rows();
  raw.ws.send(update);
  await waitFor(() => acks() === 2, { what: "the re-sent update to be acknowledged" });
  expect(await rows()).toBe(stored);
  expect(statementText(await storedDoc(db.sql, documentId)).match(/\[sent twice\]/g)).toHaveLength(1);
});
