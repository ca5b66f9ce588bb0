import { beforeAll, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { startTestServer, type TestServer } from "../support/server";
import { connectSyncedClient, startTyping, waitForConvergence } from "../support/clients";
import { clauseTexts, sameContent, statementText, storedDoc, typeInClause } from "../support/statement";
import { createStatement } from "../support/factories";

let db: TestDatabase;
let server: TestServer;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer({ databaseUrl: db.url });
});

it("two clients editing at once converge to the same document, with every word of both in it", async () => {
  const { documentId, cookie } = await createStatement(db.sql);
  const a = await connectSyncedClient(server.wsUrl, documentId, { cookie });
  const b = await connectSyncedClient(server.wsUrl, documentId, { cookie });

  // Same clause, same position, same moment: the case a merge most easily gets wrong.
  typeInClause(a.doc, 0, "ALPHA ", 0);
  typeInClause(b.doc, 0, "BRAVO ", 0);
  const typists = [
    startTyping(a.doc, { clause: 0, tag: "a", everyMs: 3, limit: 40 }),
    startTyping(b.doc, { clause: 0, tag: "b", everyMs: 3, limit: 40 }),
    startTyping(b.doc, { clause: 8, tag: "c", everyMs: 4, limit: 25 }),
  ];
  await Promise.all(typists.map((t) => t.done));
  await waitForConvergence([a, b]);

  expect(statementText(a.doc)).toBe(statementText(b.doc));
  const text = statementText(a.doc);
  for (const word of ["ALPHA", "BRAVO", ...typists.flatMap((t) => t.words)]) expect(text).toContain(word);
  expect(clauseTexts(a.doc)[0]).toMatch(/^(ALPHA BRAVO |BRAVO ALPHA )We, the participants/);
  expect(clauseTexts(a.doc)[8]).toMatch(/^Call upon governments.*\[c24\]$/);

  // What they agree on is also what the server stored.
  expect(sameContent(await storedDoc(db.sql, documentId), a.doc)).toBe(true);
});
