import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { startTestServer, type TestServer } from "../support/server";
import { connectSyncedClient, roundTrip, waitFor, type TestClient } from "../support/clients";
import { createNegotiation, deadlineFields, type NegotiationFixture } from "../support/negotiation";
import { statementText, storedDoc, typeInClause } from "../support/statement";

let db: TestDatabase;
let server: TestServer;
let n: NegotiationFixture;
let watcher: TestClient;

const connect = () => connectSyncedClient(server.wsUrl, n.documentId, { cookie: n.chair.cookie });
const silence = (fields: Record<string, string>) => n.chair.post(`/documents/${n.documentId}/silence`, fields);
const storedText = async () => statementText(await storedDoc(db.sql, n.documentId));

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer({ databaseUrl: db.url });
  n = await createNegotiation(db.sql, server.url);
  watcher = await connect();
});

describe("while a silence procedure runs, the whole text is locked", () => {
  it("tells writers the text is read-only and drops their edits", async () => {
    const writer = await connect();
    expect(writer.readOnly).toBe(false);
    const res = await silence({ intent: "open", ...deadlineFields(new Date(Date.now() + 3_600_000), "Asia/Baku") });
    expect(res.status).toBe(200);
    await waitFor(() => writer.readOnly === true && watcher.readOnly === true, { what: "writers to be told the text is read-only" });

    // A client that edits anyway (as one that had not heard yet would) is not stored nor relayed.
    typeInClause(writer.doc, 1, " [during silence]");
    await roundTrip(writer);
    await roundTrip(watcher);
    expect(statementText(watcher.doc)).not.toContain("[during silence]");
    expect(await storedText()).not.toContain("[during silence]");
  });

  it("greets a new connection as read-only", async () => {
    const late = await connect();
    expect(late.readOnly).toBe(true);
  });

  it("refuses new clause states while it runs", async () => {
    const res = await n.chair.post(`/documents/${n.documentId}/states`, { clauseId: n.clauses[0].id, state: "agreed" });
    expect(res.status).toBe(400);
  });

  it("unlocks the text when the chair cancels it", async () => {
    expect((await silence({ intent: "cancel" })).status).toBe(200);
    await waitFor(() => watcher.readOnly === false, { what: "writers to be told they may write again" });
    const writer = await connect();
    expect(writer.readOnly).toBe(false);
    typeInClause(writer.doc, 1, " [after silence]");
    await waitFor(() => writer.isSaved(), { what: "the edit to be saved" });
    await waitFor(() => statementText(watcher.doc).includes("[after silence]"), { what: "the edit to reach the watcher" });
    expect(await storedText()).toContain("[after silence]");
  });
});
