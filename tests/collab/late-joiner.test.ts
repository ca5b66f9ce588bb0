import { beforeAll, expect, it } from "vitest";
import * as Y from "yjs";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { startTestServer, type TestServer } from "../support/server";
import { connectSyncedClient, startTyping, waitFor, waitForConvergence } from "../support/clients";
import { deleteInClause, statementText, typeInClause } from "../support/statement";
import { createStatement } from "../support/factories";

let db: TestDatabase;
let server: TestServer;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer({ databaseUrl: db.url });
});

it("a client that joins later receives the full text, edits and deletions included", async () => {
  const { documentId, cookie } = await createStatement(db.sql);
  const a = await connectSyncedClient(server.wsUrl, documentId, { cookie });
  const b = await connectSyncedClient(server.wsUrl, documentId, { cookie });
  await Promise.all([
    startTyping(a.doc, { clause: 2, tag: "a", everyMs: 2, limit: 30 }).done,
    startTyping(b.doc, { clause: 10, tag: "b", everyMs: 2, limit: 30 }).done,
  ]);
  deleteInClause(a.doc, 0, 0, "We, the participants".length);
  typeInClause(a.doc, 0, "The delegations", 0);
  await waitForConvergence([a, b]);

  // While the first two are still in the room (served from memory)...
  const late = await connectSyncedClient(server.wsUrl, documentId, { cookie });
  expect(statementText(late.doc)).toBe(statementText(a.doc));
  expect(Y.encodeStateVector(late.doc)).toEqual(Y.encodeStateVector(a.doc));
  expect(statementText(late.doc)).toMatch(/^The delegations in the 4th International/m);

  // ...and after everyone has left and the room was released (served from PostgreSQL).
  const expected = statementText(a.doc);
  for (const c of [a, b, late]) c.destroy();
  await waitFor(() => !server.concord.collab.rooms.has(documentId), { what: "the room to be released" });
  const later = await connectSyncedClient(server.wsUrl, documentId, { cookie });
  expect(statementText(later.doc)).toBe(expected);
});
