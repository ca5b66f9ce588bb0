import { beforeAll, expect, it } from "vitest";
import * as Y from "yjs";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { startTestServer, type TestServer } from "../support/server";
import { redisEnv, tapDocumentChannel } from "../support/redis";
import { connectSyncedClient, covers, describeStateVector, roundTrip, waitFor, waitForConvergence } from "../support/clients";
import { statementText, storedDoc, typeInClause } from "../support/statement";
import { onCleanup } from "../support/cleanup";
import { relayKinds } from "../../server/collab/redis-relay";
import { createStatement } from "../support/factories";

let db: TestDatabase;
let a: TestServer;
let b: TestServer;
let env: ReturnType<typeof redisEnv>;

beforeAll(async () => {
  db = await createTestDatabase();
  env = redisEnv();
  [a, b] = await Promise.all([startTestServer({ databaseUrl: db.url, env }), startTestServer({ databaseUrl: db.url, env })]);
});

it("an edit reaches the other instance only once it is in PostgreSQL", async () => {
  const { documentId, cookie } = await createStatement(db.sql);
  const writer = await connectSyncedClient(a.wsUrl, documentId, { cookie });
  const reader = await connectSyncedClient(b.wsUrl, documentId, { cookie });

  // Every update published on the document's channel is checked against PostgreSQL as it arrives.
  const checks: Promise<{ published: Map<number, number>; stored: Uint8Array }>[] = [];
  const tap = tapDocumentChannel(env, documentId, (m) => {
    if (m.kind !== relayKinds.update) return;
    const published = Y.decodeStateVector(Y.encodeStateVectorFromUpdate(m.payload));
    checks.push(storedDoc(db.sql, documentId).then((doc) => ({ published, stored: Y.encodeStateVector(doc) })));
  });
  await tap.ready;

  // PostgreSQL takes no writes: the INSERT of the edit waits on this lock.
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  // Released before the servers close (they wait for the INSERT), even if an expectation fails.
  onCleanup(() => release());
  let locked!: () => void;
  const isLocked = new Promise<void>((resolve) => (locked = resolve));
  const holder = db.sql.begin(async (tx) => {
    await tx`lock table document_updates in share mode`;
    locked();
    await released;
  });
  await isLocked;

  typeInClause(writer.doc, 1, " [held-back]");
  await waitFor(
    async () =>
      (
        await db.sql<{ n: number }[]>`
        select count(*)::int as n from pg_stat_activity
        where wait_event_type = 'Lock' and query like '%insert into document_updates%'`
      )[0].n > 0,
    { what: "the edit's INSERT to wait for the lock" },
  );
  // Give a premature relay every chance to show: a round trip through both instances and a pause.
  await Promise.all([roundTrip(writer), roundTrip(reader)]);
  await new Promise((r) => setTimeout(r, 300));
  expect(tap.messages.filter((m) => m.kind === relayKinds.update)).toEqual([]);
  expect(statementText(reader.doc)).not.toContain("[held-back]");
  expect(statementText(b.concord.collab.rooms.get(documentId)!.doc)).not.toContain("[held-back]");
  expect(statementText(a.concord.collab.rooms.get(documentId)!.doc)).not.toContain("[held-back]");

  release();
  await holder;
  await waitFor(() => statementText(reader.doc).includes("[held-back]"), { what: "the edit to reach B once stored" });
  await waitForConvergence([writer, reader]);

  const results = await Promise.all(checks);
  expect(results.length).toBeGreaterThan(0);
  for (const { published, stored } of results) {
    expect(covers(stored, published), `stored ${describeStateVector(stored)} ⊉ published ${describeStateVector(published)}`).toBe(true);
  }
});
