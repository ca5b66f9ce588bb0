import { beforeAll, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { startTestServer, type TestServer } from "../support/server";
import { connectSyncedClient, startTyping, waitFor, waitForConvergence, type TestClient } from "../support/clients";
import { sameContent, statementText, storedDoc } from "../support/statement";
import { compactDocument, countLoggedUpdates } from "../../server/queries/document-state";
import { createStatement } from "../support/factories";

let db: TestDatabase;
let server: TestServer;

beforeAll(async () => {
  db = await createTestDatabase();
  // Compact after every few appends, so compactions keep overlapping with new writes.
  server = await startTestServer({ databaseUrl: db.url, env: { COLLAB_COMPACT_AFTER: "3" } });
});

const hasSnapshot = async (documentId: string) =>
  (await db.sql`select 1 from document_snapshots where document_id = ${documentId}`).length === 1;

/** The log's id sequence; while one test types, its growth is the number of rows that test wrote. */
const lastLogId = async () => Number((await db.sql<{ v: string }[]>`select last_value::text as v from document_updates_id_seq`)[0].v);

function typeTogether(clients: TestClient[], words: number) {
  return clients.map((c, i) => startTyping(c.doc, { clause: [0, 7, 7][i % 3], tag: `t${i}-`, everyMs: 3 + i, limit: words }));
}

/** After everyone leaves, the room compacts once more; then the log is empty and the snapshot is everything. */
async function expectFoldedAfterLeaving(documentId: string, cookie: string, clients: TestClient[]) {
  const expected = statementText(clients[0].doc);
  for (const c of clients) c.destroy();
  await waitFor(async () => (await countLoggedUpdates(db.sql, documentId)) === 0, {
    what: "the log to be folded after the last client left",
  });
  expect(await hasSnapshot(documentId)).toBe(true);
  expect(statementText(await storedDoc(db.sql, documentId))).toBe(expected);
  const fresh = await connectSyncedClient(server.wsUrl, documentId, { cookie });
  expect(statementText(fresh.doc)).toBe(expected);
}

it("background compaction while three clients type loses nothing", async () => {
  const { documentId, cookie } = await createStatement(db.sql);
  const clients = await Promise.all([0, 1, 2].map(() => connectSyncedClient(server.wsUrl, documentId, { cookie })));
  const idsBefore = await lastLogId();
  const typists = typeTogether(clients, 50);
  await Promise.all(typists.map((t) => t.done));
  await waitForConvergence(clients);

  // Compaction ran while they were typing: there is a snapshot, and rows they wrote are gone from the log.
  await waitFor(() => hasSnapshot(documentId), { what: "a snapshot" });
  const written = (await lastLogId()) - idsBefore;
  expect(written).toBeGreaterThan(3);
  expect(await countLoggedUpdates(db.sql, documentId)).toBeLessThan(written);

  for (const word of typists.flatMap((t) => t.words)) expect(statementText(clients[0].doc)).toContain(word);
  expect(sameContent(await storedDoc(db.sql, documentId), clients[0].doc)).toBe(true);
  await expectFoldedAfterLeaving(documentId, cookie, clients);
});

it("compactions run concurrently with the server's own, during editing, lose nothing", async () => {
  const { documentId, cookie } = await createStatement(db.sql);
  const clients = await Promise.all([0, 1, 2].map(() => connectSyncedClient(server.wsUrl, documentId, { cookie })));
  const typists = typeTogether(clients, 60);
  const typing = Promise.all(typists.map((t) => t.done));

  // Two compactors of our own, back to back, racing each other and the room's background compactions.
  let stop = false;
  let folded = 0;
  const compactor = async () => {
    while (!stop) folded += (await compactDocument(db.sql, documentId)).folded;
  };
  const compactors = [compactor(), compactor()];
  await typing;
  await waitForConvergence(clients);
  stop = true;
  await Promise.all(compactors);
  expect(folded).toBeGreaterThan(0);

  const text = statementText(clients[0].doc);
  for (const word of typists.flatMap((t) => t.words)) expect(text).toContain(word);
  expect(sameContent(await storedDoc(db.sql, documentId), clients[0].doc)).toBe(true);
  await expectFoldedAfterLeaving(documentId, cookie, clients);
});
