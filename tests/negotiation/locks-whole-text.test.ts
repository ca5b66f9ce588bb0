import { describe, expect, it, type FileFixtures } from "../support/fixtures";
import { connectSyncedClient, roundTrip, waitFor, type TestClient } from "../support/clients";
import { createNegotiation, deadlineFields, type NegotiationFixture } from "../support/negotiation";
import { statementText, storedDoc, typeInClause } from "../support/statement";

let n: NegotiationFixture;
let watcher: TestClient;

const connect = ({ server }: Pick<FileFixtures, "server">) => connectSyncedClient(server.wsUrl, n.documentId, { cookie: n.chair.cookie });
const silence = (fields: Record<string, string>) => n.chair.post(`/documents/${n.documentId}/silence`, fields);
const storedText = async ({ db }: Pick<FileFixtures, "db">) => statementText(await storedDoc(db.sql, n.documentId));

it.beforeAll(async ({ db, server }) => {
  n = await createNegotiation(db.sql, server.url);
  watcher = await connect({ server });
});

describe("while a silence procedure runs, the whole text is locked", () => {
  it("tells writers the text is read-only and drops their edits", async ({ db, server }) => {
    const writer = await connect({ server });
    expect(writer.readOnly).toBe(false);
    const res = await silence({ intent: "open", ...deadlineFields(new Date(Date.now() + 3_600_000), "Asia/Baku") });
    expect(res.status).toBe(200);
    await waitFor(() => writer.readOnly === true && watcher.readOnly === true, { what: "writers to be told the text is read-only" });

    // A client that edits anyway (as one that had not heard yet would) is not stored nor relayed.
    typeInClause(writer.doc, 1, " [during silence]");
    await roundTrip(writer);
    await roundTrip(watcher);
    expect(statementText(watcher.doc)).not.toContain("[during silence]");
    expect(await storedText({ db })).not.toContain("[during silence]");
  });

  it("greets a new connection as read-only", async ({ server }) => {
    const late = await connect({ server });
    expect(late.readOnly).toBe(true);
  });

  it("refuses new clause states while it runs", async () => {
    const res = await n.chair.post(`/documents/${n.documentId}/states`, { clauseId: n.clauses[0].id, state: "agreed" });
    expect(res.status).toBe(400);
  });

  it("unlocks the text when the chair cancels it", async ({ db, server }) => {
    expect((await silence({ intent: "cancel" })).status).toBe(200);
    await waitFor(() => watcher.readOnly === false, { what: "writers to be told they may write again" });
    const writer = await connect({ server });
    expect(writer.readOnly).toBe(false);
    typeInClause(writer.doc, 1, " [after silence]");
    await waitFor(() => writer.isSaved(), { what: "the edit to be saved" });
    await waitFor(() => statementText(watcher.doc).includes("[after silence]"), { what: "the edit to reach the watcher" });
    expect(await storedText({ db })).toContain("[after silence]");
  });
});
