import { beforeAll, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { startTestServer, type TestServer } from "../support/server";
import { connectSyncedClient, waitFor, waitForConvergence } from "../support/clients";
import { clauseTexts, sameContent, storedDoc, typeInClause } from "../support/statement";
import { createStatement } from "../support/factories";

let db: TestDatabase;
let server: TestServer;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer({ databaseUrl: db.url });
});

it("a participant who goes offline keeps typing, comes back, and both texts merge with nothing lost", async () => {
  const { documentId, cookie } = await createStatement(db.sql);
  const online = await connectSyncedClient(server.wsUrl, documentId, { cookie });
  const traveller = await connectSyncedClient(server.wsUrl, documentId, { cookie });

  traveller.provider.disconnect();
  await waitFor(() => !traveller.provider.wsconnected, { what: "the traveller to be offline" });

  // Both edit the same clause while apart; the offline edits exist only in the traveller's Y.Doc.
  typeInClause(traveller.doc, 2, " (typed offline)");
  typeInClause(traveller.doc, 9, " OFFLINE-OP3");
  typeInClause(online.doc, 2, " (typed online)");
  await waitFor(() => online.isSaved(), { what: "the online edit to be saved" });
  expect(clauseTexts(online.doc)[2]).not.toContain("(typed offline)");
  expect(traveller.isSaved()).toBe(false);

  traveller.provider.connect();
  await waitForConvergence([online, traveller]);

  const merged = clauseTexts(online.doc)[2];
  expect(merged).toContain("(typed offline)");
  expect(merged).toContain("(typed online)");
  expect(clauseTexts(online.doc)[9]).toContain("OFFLINE-OP3");
  expect(sameContent(await storedDoc(db.sql, documentId), online.doc)).toBe(true);
});
