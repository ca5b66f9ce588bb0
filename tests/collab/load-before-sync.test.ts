import { beforeAll, expect, it } from "vitest";
import * as Y from "yjs";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { startTestServer, type TestServer } from "../support/server";
import { connectClient, waitFor, withTimeout } from "../support/clients";
import { statementText, storedDoc, typeInClause } from "../support/statement";
import { appendUpdates, countLoggedUpdates } from "../../server/queries/document-state";
import { createStatement } from "../support/factories";

let db: TestDatabase;
let server: TestServer;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer({ databaseUrl: db.url });
});

/** Gives a document a long history: `edits` updates, each logged as its own row. */
async function withLongHistory(documentId: string, edits: number): Promise<string> {
  const doc = await storedDoc(db.sql, documentId);
  const updates: Uint8Array[] = [];
  doc.on("update", (u: Uint8Array) => updates.push(u));
  for (let i = 0; i < edits; i++) typeInClause(doc, i % 14, ` [h${i}]`);
  for (let i = 0; i < updates.length; i += 1000) await appendUpdates(db.sql, documentId, updates.slice(i, i + 1000));
  return statementText(doc);
}

it("a document with a long history is delivered whole in the first sync, to clients that arrive while it loads", async () => {
  const { documentId, cookie } = await createStatement(db.sql);
  const expected = await withLongHistory(documentId, 4000);
  expect(await countLoggedUpdates(db.sql, documentId)).toBe(4001);
  expect(server.concord.collab.rooms.has(documentId)).toBe(false);

  // Both connect before the room exists, so both handshakes happen while the log is being read.
  const clients = [connectClient(server.wsUrl, documentId, { cookie }), connectClient(server.wsUrl, documentId, { cookie })];
  const atFirstSync = clients.map(
    (c) =>
      new Promise<{ text: string; sv: Uint8Array }>((resolve) =>
        c.provider.once("sync", () => resolve({ text: statementText(c.doc), sv: Y.encodeStateVector(c.doc) })),
      ),
  );
  const seen = await withTimeout(Promise.all(atFirstSync), 30_000, "both clients' first sync");
  const stored = Y.encodeStateVector(await storedDoc(db.sql, documentId));
  for (const s of seen) {
    expect(s.text).toBe(expected);
    expect(s.sv).toEqual(stored);
  }
  expect(expected).toContain("[h3999]");
});

it("a client with an older copy, opening a document not in memory, is sent what it lacks, and its edits made offline are stored", async () => {
  const { documentId, cookie } = await createStatement(db.sql);
  const first = connectClient(server.wsUrl, documentId, { cookie });
  await withTimeout(first.synced, 10_000, "the first sync");
  const older = first.doc;
  first.provider.destroy();
  await waitFor(() => !server.concord.collab.rooms.has(documentId), { what: "the room to be released" });

  // Others' edits stored meanwhile (the old copy lacks them), and one of its own made offline.
  const othersText = await withLongHistory(documentId, 300);
  typeInClause(older, 3, " [offline]");
  expect(statementText(older)).not.toContain("[h299]");

  const again = connectClient(server.wsUrl, documentId, { doc: older, cookie });
  await withTimeout(again.synced, 10_000, "the sync of the older copy");
  expect(statementText(again.doc)).toContain("[h299]");
  await waitFor(() => again.isSaved(), { what: "the offline edit to be saved" });
  const stored = await storedDoc(db.sql, documentId);
  expect(statementText(stored)).toBe(statementText(again.doc));
  expect(statementText(stored)).toContain("[offline]");
  expect(statementText(stored).replace(" [offline]", "")).toBe(othersText);
});
