import { beforeAll, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { startTestServer, type TestServer } from "../support/server";
import { connectSyncedClient, waitFor } from "../support/clients";
import { openRawSocket, upgradeStatus } from "../support/raw-socket";
import { statementText, typeInClause } from "../support/statement";
import { createDocument } from "../../server/queries/documents";
import { withTimeout } from "../support/wait";
import { loadConfig } from "../../server/config";
import { createSignedInPerson, createStatement } from "../support/factories";

/** COLLAB_MAX_CONNECTIONS_PER_USER: one person's open connections, all documents of the process together. */

const limit = 3;
let db: TestDatabase;
let server: TestServer;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer({ databaseUrl: db.url, env: { COLLAB_MAX_CONNECTIONS_PER_USER: String(limit) } });
});

it("refuses a person's connection beyond the limit with HTTP 429 before the handshake, counting every document, and admits again once one closes", async () => {
  const { documentId, conferenceId, cookie } = await createStatement(db.sql);
  const second = await createDocument(db.sql, conferenceId, "Second statement");
  const room = (id: string) => `${server.wsUrl}/${id}`;

  const a1 = await connectSyncedClient(server.wsUrl, documentId, { cookie });
  const a2 = await connectSyncedClient(server.wsUrl, documentId, { cookie });
  const a3 = openRawSocket(server.wsUrl, second.id, { cookie });
  await a3.opened;

  const before = server.concord.collab.stats().connections;
  expect(await upgradeStatus(room(documentId), { cookie })).toBe(429);
  expect(await upgradeStatus(room(second.id), { cookie })).toBe(429);
  expect(server.concord.collab.stats().connections).toBe(before);

  // Someone else is not affected, and the person's open connections work on.
  const other = await createSignedInPerson(db.sql, { conferenceId, role: "chair" });
  const b = await connectSyncedClient(server.wsUrl, documentId, { cookie: other.cookie });
  typeInClause(a1.doc, 3, " [a1-edit]");
  await waitFor(() => statementText(b.doc).includes("[a1-edit]") && statementText(a2.doc).includes("[a1-edit]"), {
    what: "the edit to arrive",
  });

  // One closes; the place is free again (the server counts it when the socket has closed).
  a3.ws.close();
  await withTimeout(a3.closed, 10_000, "the raw connection to close");
  await waitFor(async () => (await upgradeStatus(room(second.id), { cookie })) === 101, { what: "the person to be admitted again" });
});

it("is configured by COLLAB_MAX_CONNECTIONS_PER_USER (20 by default), as is the send-buffer bound COLLAB_MAX_BUFFERED_BYTES (8 MiB)", () => {
  const env = (e: Record<string, string>) => e as NodeJS.ProcessEnv;
  expect(loadConfig(env({}))).toMatchObject({ COLLAB_MAX_CONNECTIONS_PER_USER: 20, COLLAB_MAX_BUFFERED_BYTES: 8 * 1024 * 1024 });
  expect(loadConfig(env({ COLLAB_MAX_CONNECTIONS_PER_USER: "5", COLLAB_MAX_BUFFERED_BYTES: "100000" }))).toMatchObject({
    COLLAB_MAX_CONNECTIONS_PER_USER: 5,
    COLLAB_MAX_BUFFERED_BYTES: 100000,
  });
  expect(() => loadConfig(env({ COLLAB_MAX_CONNECTIONS_PER_USER: "0" }))).toThrow(/COLLAB_MAX_CONNECTIONS_PER_USER must be at least 1/);
  expect(() => loadConfig(env({ COLLAB_MAX_BUFFERED_BYTES: "many" }))).toThrow(/COLLAB_MAX_BUFFERED_BYTES must be a number/);
});

it("counts upgrades still being authorized, so a burst cannot get past the limit", async () => {
  const { documentId, conferenceId } = await createStatement(db.sql);
  const person = await createSignedInPerson(db.sql, { conferenceId, role: "delegate" });
  const sockets = Array.from({ length: 10 }, () => openRawSocket(server.wsUrl, documentId, { cookie: person.cookie }));
  const results = await Promise.all(
    sockets.map((s) =>
      s.opened.then(
        () => "open",
        (e: Error) => e.message,
      ),
    ),
  );
  expect(results.filter((r) => r === "open")).toHaveLength(limit);
  expect(results.filter((r) => r === "upgrade refused with HTTP 429")).toHaveLength(10 - limit);
});
