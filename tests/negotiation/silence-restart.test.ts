import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { spawnServer } from "../support/server";
import { createNegotiation, deadlineFields, participant } from "../support/negotiation";
import { waitFor } from "../support/wait";
import { latestSilence } from "../../server/queries/silence-procedures";
import { findDocument } from "../../server/queries/documents";

/** The real entry point: the deadline is in PostgreSQL, and a restarted server arms it again. */
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});

const passed = async (documentId: string) => (await latestSilence(db.sql, documentId))?.status === "passed";

describe("a silence deadline outlives the server", () => {
  it("passes after a restart, at the deadline, when the server restarts before it", async () => {
    const first = await spawnServer({ databaseUrl: db.url });
    const n = await createNegotiation(db.sql, first.url);
    const deadline = new Date(Date.now() + 15_000);
    expect(
      (await n.chair.post(`/documents/${n.documentId}/silence`, { intent: "open", ...deadlineFields(deadline, "Asia/Baku") })).status,
    ).toBe(200);
    await first.kill("SIGTERM");

    await spawnServer({ databaseUrl: db.url });
    expect(await passed(n.documentId)).toBe(false);
    await waitFor(() => passed(n.documentId), { what: "the procedure to pass", timeoutMs: 30_000, intervalMs: 100 });
    const silence = await latestSilence(db.sql, n.documentId);
    expect(silence!.closedAt!.getTime()).toBeGreaterThanOrEqual(Math.floor(deadline.getTime() / 1000) * 1000);
    expect((await findDocument(db.sql, n.documentId))!.adoptedAt).toBeInstanceOf(Date);
  });

  it("passes as soon as the server is back when the deadline came while it was down", async () => {
    const first = await spawnServer({ databaseUrl: db.url });
    const n = await createNegotiation(db.sql, first.url);
    const deadline = new Date(Date.now() + 2000);
    expect((await n.chair.post(`/documents/${n.documentId}/silence`, { intent: "open", ...deadlineFields(deadline) })).status).toBe(200);
    await first.kill("SIGKILL");
    await waitFor(() => Date.now() > deadline.getTime() + 500, { what: "the deadline to pass", timeoutMs: 10_000, intervalMs: 100 });
    // Nobody closed it while no server ran.
    expect((await latestSilence(db.sql, n.documentId))!.status).toBe("running");

    const second = await spawnServer({ databaseUrl: db.url });
    await waitFor(() => passed(n.documentId), { what: "the procedure to pass", timeoutMs: 10_000, intervalMs: 50 });
    // The statement page says so.
    const observer = await participant(second.url, {
      id: n.observer.userId,
      cookie: n.observer.cookie,
      delegationId: n.observer.delegationId,
    });
    expect(await (await observer.get(`/documents/${n.documentId}`)).text()).toContain("silence-adopted");
  });
});
