import { beforeAll, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { startTestServer, type TestServer } from "../support/server";
import { redisEnv } from "../support/redis";
import { connectSyncedClient, startTyping, waitFor, waitForConvergence } from "../support/clients";
import { clauseTexts, sameContent, statementText, storedDoc, typeInClause } from "../support/statement";
import { createStatement } from "../support/factories";

let db: TestDatabase;
let a: TestServer;
let b: TestServer;

beforeAll(async () => {
  db = await createTestDatabase();
  const env = redisEnv();
  [a, b] = await Promise.all([startTestServer({ databaseUrl: db.url, env }), startTestServer({ databaseUrl: db.url, env })]);
});

it("clients on two instances editing at once converge, with every word of each in it", async () => {
  const { documentId, cookie } = await createStatement(db.sql);
  const [a1, a2, b1, b2] = await Promise.all([
    connectSyncedClient(a.wsUrl, documentId, { cookie }),
    connectSyncedClient(a.wsUrl, documentId, { cookie }),
    connectSyncedClient(b.wsUrl, documentId, { cookie }),
    connectSyncedClient(b.wsUrl, documentId, { cookie }),
  ]);

  // Same clause, same position, same moment, from clients of different instances.
  typeInClause(a1.doc, 0, "ALPHA ", 0);
  typeInClause(b1.doc, 0, "BRAVO ", 0);
  const typists = [
    startTyping(a1.doc, { clause: 0, tag: "a", everyMs: 3, limit: 40 }),
    startTyping(b1.doc, { clause: 0, tag: "b", everyMs: 3, limit: 40 }),
    startTyping(a2.doc, { clause: 8, tag: "c", everyMs: 4, limit: 25 }),
    startTyping(b2.doc, { clause: 8, tag: "d", everyMs: 4, limit: 25 }),
  ];
  await Promise.all(typists.map((t) => t.done));
  await waitForConvergence([a1, a2, b1, b2]);

  const text = statementText(a1.doc);
  for (const c of [a2, b1, b2]) expect(statementText(c.doc)).toBe(text);
  for (const word of ["ALPHA", "BRAVO", ...typists.flatMap((t) => t.words)]) expect(text).toContain(word);
  expect(clauseTexts(a1.doc)[0]).toMatch(/^(ALPHA BRAVO |BRAVO ALPHA )We, the participants/);

  // Both instances' copies and PostgreSQL agree with the clients.
  for (const server of [a, b]) expect(sameContent(server.concord.collab.rooms.get(documentId)!.doc, a1.doc)).toBe(true);
  expect(sameContent(await storedDoc(db.sql, documentId), a1.doc)).toBe(true);
});

it("a client joining on the other instance later gets the whole document, and edits keep flowing both ways", async () => {
  const { documentId, cookie } = await createStatement(db.sql);
  const a1 = await connectSyncedClient(a.wsUrl, documentId, { cookie });
  typeInClause(a1.doc, 2, " [before-b]");
  await waitForConvergence([a1]);

  const b1 = await connectSyncedClient(b.wsUrl, documentId, { cookie });
  expect(statementText(b1.doc)).toContain("[before-b]");
  typeInClause(b1.doc, 3, " [from-b]");
  typeInClause(a1.doc, 4, " [from-a]");
  await waitFor(() => statementText(a1.doc).includes("[from-b]") && statementText(b1.doc).includes("[from-a]"), {
    what: "each instance's edit to reach the other",
  });
  await waitForConvergence([a1, b1]);
});
