import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import * as syncProtocol from "y-protocols/sync";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { startTestServer, type TestServer } from "../support/server";
import { connectSyncedClient, roundTrip, waitFor, waitForConvergence } from "../support/clients";
import { encodeMessage, openRawSocket, upgradeStatus } from "../support/raw-socket";
import { sameContent, statementFragment, statementText, storedDoc, typeInClause } from "../support/statement";
import { messageSync } from "../../app/statement/protocol";
import { publishAccessEvent } from "../../server/auth/access-events";
import { removeMembership, setMembership } from "../../server/queries/memberships";
import { createSignedInPerson, createStatement, sessionCookieFor } from "../support/factories";

let db: TestDatabase;
let server: TestServer;
let documentId: string;
let conferenceId: string;
let chairCookie: string;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer({ databaseUrl: db.url });
  ({ documentId, conferenceId, cookie: chairCookie } = await createStatement(db.sql));
});

const room = () => `${server.wsUrl}/${documentId}`;
/** The newest row of the update log, and how many rows came after one (compaction deletes rows but never adds any). */
const lastLogged = async () => (await db.sql<{ id: string }[]>`select coalesce(max(id), 0)::text as id from document_updates`)[0].id;
const loggedSince = async (id: string) =>
  (
    await db.sql<{ n: number }[]>`select count(*)::int as n from document_updates where document_id = ${documentId} and id > ${id}::bigint`
  )[0].n;

describe("the upgrade is authenticated before the handshake", () => {
  it("refuses a connection without a session cookie with 401", async () => {
    expect(await upgradeStatus(room())).toBe(401);
  });

  it("refuses a forged cookie with 401", async () => {
    expect(await upgradeStatus(room(), { cookie: `concord_session=${randomBytes(40).toString("base64url")}` })).toBe(401);
    // A cookie whose signature is right for another value: tampering with the token breaks it.
    const [name, value] = chairCookie.split("=");
    expect(await upgradeStatus(room(), { cookie: `${name}=x${value}` })).toBe(401);
  });

  it("refuses an expired session with 401", async () => {
    const { id: userId } = await createSignedInPerson(db.sql, { conferenceId, role: "chair" });
    const cookie = await sessionCookieFor(db.sql, userId);
    await db.sql`update sessions set expires_at = now() - interval '1 second' where user_id = ${userId}`;
    expect(await upgradeStatus(room(), { cookie })).toBe(401);
  });

  it("answers 404 to a member of another conference, as for a document that does not exist", async () => {
    const other = await createStatement(db.sql);
    expect(await upgradeStatus(room(), { cookie: other.cookie })).toBe(404);
  });

  it("refuses a handshake from a page of another site", async () => {
    expect(await upgradeStatus(room(), { cookie: chairCookie, origin: "http://evil.example" })).toBe(403);
  });
});

describe("delegates and observers receive the text read-only", () => {
  for (const role of ["delegate", "observer"] as const) {
    it(`drops every update a ${role} sends: the text, the database and the other clients are unchanged`, async () => {
      const chair = await connectSyncedClient(server.wsUrl, documentId, { cookie: chairCookie });
      const reader = await createSignedInPerson(db.sql, { conferenceId, role });
      const before = statementText(chair.doc);
      const lastBefore = await lastLogged();

      // Through the stock client: an edit that deletes the whole text.
      const client = await connectSyncedClient(server.wsUrl, documentId, { cookie: reader.cookie });
      expect(client.readOnly).toBe(true);
      const fragment = statementFragment(client.doc);
      fragment.delete(0, fragment.length);
      expect(statementText(client.doc)).toBe("");

      // And raw: a sync step 2 and an update carrying the same deletion.
      const raw = openRawSocket(server.wsUrl, documentId, { cookie: reader.cookie });
      await raw.opened;
      const deletion = Y.encodeStateAsUpdate(client.doc);
      raw.ws.send(encodeMessage(messageSync, syncProtocol.messageYjsSyncStep2, deletion));
      raw.ws.send(encodeMessage(messageSync, syncProtocol.messageYjsUpdate, deletion));

      await Promise.all([roundTrip(client), roundTrip(chair)]);
      expect(statementText(chair.doc)).toBe(before);
      expect(statementText(server.concord.collab.rooms.get(documentId)!.doc)).toBe(before);
      expect(await loggedSince(lastBefore)).toBe(0);
      expect(statementText(await storedDoc(db.sql, documentId))).toBe(before);

      // The chair still edits, and the reader's next connection shows the chair's text, not its own.
      typeInClause(chair.doc, 1, " [chair-after]");
      await waitForConvergence([chair]);
      expect(sameContent(await storedDoc(db.sql, documentId), chair.doc)).toBe(true);
      const again = await connectSyncedClient(server.wsUrl, documentId, { cookie: reader.cookie });
      expect(statementText(again.doc)).toBe(statementText(chair.doc));
      expect(statementText(again.doc)).toContain("[chair-after]");
      chair.destroy();
      client.destroy();
    });
  }
});

describe("a change of access reaches open connections within a second", () => {
  it("closes the connections of a person removed from the conference", async () => {
    const person = await createSignedInPerson(db.sql, { conferenceId, role: "chair" });
    const raw = openRawSocket(server.wsUrl, documentId, { cookie: person.cookie });
    await raw.opened;
    const started = Date.now();
    await removeMembership(db.sql, conferenceId, person.id);
    await publishAccessEvent(db.sql, { type: "membership", conferenceId, userId: person.id });
    expect(await raw.closed).toEqual({ code: 4403, reason: "your access to this conference was removed" });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await upgradeStatus(room(), { cookie: person.cookie })).toBe(404);
  });

  it("downgrades a chair who becomes an observer: told read-only, later edits dropped", async () => {
    const person = await createSignedInPerson(db.sql, { conferenceId, role: "chair" });
    const client = await connectSyncedClient(server.wsUrl, documentId, { cookie: person.cookie });
    expect(client.readOnly).toBe(false);
    const witness = await connectSyncedClient(server.wsUrl, documentId, { cookie: chairCookie });
    typeInClause(client.doc, 2, " [while-chair]");
    await waitFor(() => statementText(witness.doc).includes("[while-chair]"), { what: "the chair's edit to arrive" });

    const started = Date.now();
    await setMembership(db.sql, { conferenceId, userId: person.id, role: "observer", delegationId: null });
    await publishAccessEvent(db.sql, { type: "membership", conferenceId, userId: person.id });
    await waitFor(() => client.readOnly === true, { what: "the read-only message", timeoutMs: 1000 });
    expect(Date.now() - started).toBeLessThan(1000);

    typeInClause(client.doc, 2, " [after-downgrade]");
    await Promise.all([roundTrip(client), roundTrip(witness)]);
    expect(statementText(witness.doc)).not.toContain("[after-downgrade]");
    expect(statementText(await storedDoc(db.sql, documentId))).not.toContain("[after-downgrade]");
  });

  it("closes the connections of a session that signs out", async () => {
    const person = await createSignedInPerson(db.sql, { conferenceId, role: "observer" });
    const raw = openRawSocket(server.wsUrl, documentId, { cookie: person.cookie });
    await raw.opened;
    const res = await fetch(`${server.url}/logout`, { method: "POST", headers: { cookie: person.cookie }, redirect: "manual" });
    expect(res.status).toBe(302);
    expect(await raw.closed).toEqual({ code: 4401, reason: "signed out" });
    expect(await upgradeStatus(room(), { cookie: person.cookie })).toBe(401);
  });
});
