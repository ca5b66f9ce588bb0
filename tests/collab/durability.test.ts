import { beforeAll, expect, it } from "vitest";
import * as Y from "yjs";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { startTestServer, type TestServer } from "../support/server";
import { connectSyncedClient, covers, roundTrip, startTyping, waitFor, waitForConvergence } from "../support/clients";
import { statementText, storedDoc, typeInClause } from "../support/statement";
import { createStatement } from "../support/factories";

let db: TestDatabase;
let server: TestServer;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer({ databaseUrl: db.url });
});

/** Holds a lock that makes every INSERT into the update log wait, until the returned function is called. */
async function blockAppends(): Promise<{ release(): Promise<void> }> {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let locked!: () => void;
  const acquired = new Promise<void>((r) => (locked = r));
  const tx = db.sql.begin(async (t) => {
    await t`lock table document_updates in share mode`;
    locked();
    await held;
  });
  await Promise.race([acquired, tx]);
  return {
    release: async () => {
      release();
      await tx;
    },
  };
}

async function appendsWaiting(): Promise<number> {
  const [row] = await db.sql<{ n: number }[]>`
    select count(*)::int as n from pg_locks
    where not granted and relation = 'document_updates'::regclass
      and database = (select oid from pg_database where datname = current_database())`;
  return row.n;
}

it("an edit reaches other clients, and its writer hears 'saved', only once it is in PostgreSQL", async () => {
  const { documentId, cookie } = await createStatement(db.sql);
  const a = await connectSyncedClient(server.wsUrl, documentId, { cookie });
  const b = await connectSyncedClient(server.wsUrl, documentId, { cookie });

  // On joining, a writer is told what is already stored; acknowledgments of the edit come after.
  await waitFor(() => a.saved.length > 0, { what: "A's greeting 'saved' message" });
  const greeting = a.saved.length;

  const appends = await blockAppends();
  try {
    typeInClause(a.doc, 3, " DURABLE-EDIT");
    // The server has the edit and is writing it: its INSERT is queued behind our lock.
    await waitFor(async () => (await appendsWaiting()) > 0, { what: "the server's INSERT to wait for the lock" });
    await Promise.all([roundTrip(a), roundTrip(b)]);
    expect(statementText(b.doc)).not.toContain("DURABLE-EDIT");
    expect(a.saved).toHaveLength(greeting);
  } finally {
    await appends.release();
  }

  // The moment B sees the edit, PostgreSQL must already have it.
  let storedWhenSeen: Promise<string> | undefined;
  b.doc.on("update", () => {
    if (!storedWhenSeen && statementText(b.doc).includes("DURABLE-EDIT")) {
      storedWhenSeen = storedDoc(db.sql, documentId).then(statementText);
    }
  });
  await waitFor(() => storedWhenSeen !== undefined, { what: "B to receive the edit" });
  expect(await storedWhenSeen).toContain("DURABLE-EDIT");

  // The writer's acknowledgment is [64, 0, state vector] and covers the edit.
  await waitFor(() => a.saved.length > greeting, { what: "A's saved message" });
  expect(covers(a.saved[0], Y.encodeStateVector(a.doc))).toBe(false);
  expect(covers(a.saved[greeting], Y.encodeStateVector(a.doc))).toBe(true);
  expect(a.saved[greeting]).toEqual(Y.encodeStateVector(server.concord.collab.rooms.get(documentId)!.doc));
});

it("during a burst, every state a client observes is already in PostgreSQL", async () => {
  const { documentId, cookie } = await createStatement(db.sql);
  const a = await connectSyncedClient(server.wsUrl, documentId, { cookie });
  const b = await connectSyncedClient(server.wsUrl, documentId, { cookie });

  // Each time B's document changes, read the database at once and compare with what B has.
  const checks: Promise<{ seen: Uint8Array; stored: Uint8Array }>[] = [];
  b.doc.on("update", () => {
    const seen = Y.encodeStateVector(b.doc);
    checks.push(storedDoc(db.sql, documentId).then((d) => ({ seen, stored: Y.encodeStateVector(d) })));
  });
  const typist = startTyping(a.doc, { clause: 5, tag: "burst", everyMs: 2, limit: 60 });
  await typist.done;
  await waitForConvergence([a, b]);

  expect(checks.length).toBeGreaterThan(0);
  for (const { seen, stored } of await Promise.all(checks)) expect(covers(stored, seen)).toBe(true);
  // The writer's last acknowledgment covers all it typed.
  expect(covers(a.saved.at(-1)!, Y.encodeStateVector(a.doc))).toBe(true);
  for (const word of typist.words) expect(statementText(b.doc)).toContain(word);
});
