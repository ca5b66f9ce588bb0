import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { startTestServer, type TestServer } from "../support/server";
import { createNegotiation, deadlineFields, recordEvents, type NegotiationFixture } from "../support/negotiation";
import { waitFor } from "../support/wait";
import { latestSilence } from "../../server/queries/silence-procedures";
import { adoptedNotice } from "../../server/negotiation/silence";

/** Two instances on one database both arm the deadline; the procedure passes exactly once. */
let db: TestDatabase;
let servers: TestServer[];
let n: NegotiationFixture;

beforeAll(async () => {
  db = await createTestDatabase();
  servers = [await startTestServer({ databaseUrl: db.url }), await startTestServer({ databaseUrl: db.url })];
  n = await createNegotiation(db.sql, servers[0].url);
});

describe("a silence procedure served by several instances", () => {
  it("passes once: one adoption, one state per clause, one notice", async () => {
    const events = await recordEvents(db.sql);
    const res = await n.chair.post(`/documents/${n.documentId}/silence`, {
      intent: "open",
      ...deadlineFields(new Date(Date.now() + 2500)),
    });
    expect(res.status).toBe(200);
    await waitFor(async () => (await latestSilence(db.sql, n.documentId))?.status === "passed", {
      what: "the procedure to pass",
      timeoutMs: 20_000,
    });
    // Both instances' timers have fired by now (they were armed for the same instant); give the slower one a moment to try.
    await waitFor(() => events.some((e) => e.notice === adoptedNotice), { what: "the notice" });
    await new Promise((r) => setTimeout(r, 1000));
    expect(events.filter((e) => e.notice === adoptedNotice)).toHaveLength(1);
    const [{ count }] = await db.sql<{ count: number }[]>`
      select count(*)::int as count from clause_states where document_id = ${n.documentId} and state = 'agreed'`;
    expect(count).toBe(n.clauses.length);
  });
});
