import { beforeAll, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { startTestServer, type TestServer } from "../support/server";
import { redisEnv, startRedisProxy, type RedisProxy } from "../support/redis";
import { connectSyncedClient, startTyping, waitFor, waitForConvergence } from "../support/clients";
import { sameContent, statementText, storedDoc } from "../support/statement";
import { createStatement } from "../support/factories";

let db: TestDatabase;
let proxy: RedisProxy;
let a: TestServer;
let b: TestServer;

beforeAll(async () => {
  db = await createTestDatabase();
  proxy = await startRedisProxy();
  const env = redisEnv(proxy.url);
  [a, b] = await Promise.all([startTestServer({ databaseUrl: db.url, env }), startTestServer({ databaseUrl: db.url, env })]);
});

it("while Redis is unreachable each instance keeps serving its clients; once it is back, everything converges", async () => {
  const { documentId, cookie } = await createStatement(db.sql);
  const a1 = await connectSyncedClient(a.wsUrl, documentId, { cookie });
  const a2 = await connectSyncedClient(a.wsUrl, documentId, { cookie });
  const b1 = await connectSyncedClient(b.wsUrl, documentId, { cookie });
  await waitForConvergence([a1, a2, b1]);

  proxy.cut();
  const typeA = startTyping(a1.doc, { clause: 1, tag: "a", everyMs: 5, limit: 30 });
  const typeB = startTyping(b1.doc, { clause: 2, tag: "b", everyMs: 5, limit: 30 });
  // Editing goes on: A's edits are stored and reach A's other client, B's are stored too.
  await waitFor(() => statementText(a2.doc).includes("[a29]"), { what: "A's edits to reach A's other client during the outage" });
  await Promise.all([typeA.done, typeB.done]);
  await waitFor(() => a1.isSaved() && b1.isSaved(), { what: "both writers' edits to be stored during the outage" });
  // A new client can still join (a room that is not open yet loads without Redis).
  const { documentId: other, cookie: otherCookie } = await createStatement(db.sql);
  const late = await connectSyncedClient(b.wsUrl, other, { cookie: otherCookie });
  expect(statementText(late.doc)).toContain("We, the participants");

  proxy.restore();
  // The instances resync from PostgreSQL what they missed, so even the edits made while Redis was away arrive.
  await waitForConvergence([a1, a2, b1], 30_000);
  const text = statementText(b1.doc);
  for (const word of [...typeA.words, ...typeB.words]) expect(text).toContain(word);
  expect(sameContent(await storedDoc(db.sql, documentId), b1.doc)).toBe(true);

  // And relaying works again for new edits.
  const typeAgain = startTyping(b1.doc, { clause: 3, tag: "again", everyMs: 5, limit: 5 });
  await typeAgain.done;
  await waitFor(() => statementText(a1.doc).includes("[again4]"), { what: "an edit after the outage to cross instances" });
});
