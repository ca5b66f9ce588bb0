import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { startTestServer, type TestServer } from "../support/server";
import { createNegotiation, deadlineFields, type NegotiationFixture } from "../support/negotiation";
import { waitFor } from "../support/wait";
import { storedNotices } from "../support/notifications";
import { latestSilence } from "../../server/queries/silence-procedures";

/**
 * Two instances on one database both arm every silence procedure's deadline notices; each notice
 * reaches each person exactly once, whichever instance sends it.
 */
let db: TestDatabase;
let servers: TestServer[];

beforeAll(async () => {
  db = await createTestDatabase();
  servers = [await startTestServer({ databaseUrl: db.url }), await startTestServer({ databaseUrl: db.url })];
});

const people = (n: NegotiationFixture) => [n.chair, n.secretariat, n.observer, n.delegateA, n.delegateB];

/** Opens a silence procedure whose deadline is `ms` from now, through the first instance. */
async function openSilence(n: NegotiationFixture, ms: number): Promise<void> {
  const res = await n.chair.post(`/documents/${n.documentId}/silence`, { intent: "open", ...deadlineFields(new Date(Date.now() + ms)) });
  expect(res.status).toBe(200);
}

/** Each person's notices of a kind, as their leads ("1h", "24h") or as many entries. */
async function noticesOf(n: NegotiationFixture, kind: string): Promise<unknown[][]> {
  return Promise.all(people(n).map(async (p) => (await storedNotices(db.sql, p.userId, kind)).map((x) => x.payload.lead ?? kind)));
}

/** Both instances' timers fire at the same instant; the slower one is given a moment to try, and must find it sent. */
const settle = () => new Promise((r) => setTimeout(r, 1000));

describe("deadline notices with two instances", () => {
  it("one hour before the deadline: once to everyone who sees the negotiation, the chair included", async () => {
    const n = await createNegotiation(db.sql, servers[0].url);
    await openSilence(n, 3_600_000 + 3000);
    await waitFor(async () => (await storedNotices(db.sql, n.delegateA.userId, "silence_deadline")).length > 0, {
      what: "the 1-hour notice",
      timeoutMs: 20_000,
    });
    await settle();
    expect(await noticesOf(n, "silence_deadline")).toEqual([["1h"], ["1h"], ["1h"], ["1h"], ["1h"]]);
    const [{ count }] = await db.sql<{ count: number }[]>`
      select count(*)::int as count from silence_deadline_notices d join silence_procedures s on s.id = d.silence_procedure_id
      where s.document_id = ${n.documentId}`;
    expect(count).toBe(1);
    // Nobody outside the conference.
    const [{ others }] = await db.sql<{ others: number }[]>`
      select count(*)::int as others from notifications
      where document_id = ${n.documentId} and user_id not in (select user_id from memberships where conference_id = ${n.conferenceId})`;
    expect(others).toBe(0);
  });

  it("24 hours before: the 24-hour notice alone, once", async () => {
    const n = await createNegotiation(db.sql, servers[1].url);
    await openSilence(n, 24 * 3_600_000 + 3000);
    await waitFor(async () => (await storedNotices(db.sql, n.delegateB.userId, "silence_deadline")).length > 0, {
      what: "the 24-hour notice",
      timeoutMs: 20_000,
    });
    await settle();
    expect(await noticesOf(n, "silence_deadline")).toEqual([["24h"], ["24h"], ["24h"], ["24h"], ["24h"]]);
    const [notice] = await storedNotices(db.sql, n.observer.userId, "silence_deadline");
    expect(notice.payload).toMatchObject({ timeZone: "UTC", path: `/documents/${n.documentId}` });
  });

  it("a procedure opened with under an hour left sends no deadline notice; its passing is told once to everyone", async () => {
    const n = await createNegotiation(db.sql, servers[0].url);
    await openSilence(n, 2500);
    await waitFor(async () => (await latestSilence(db.sql, n.documentId))?.status === "passed", {
      what: "the procedure to pass",
      timeoutMs: 20_000,
    });
    await settle();
    const passed = ["silence_passed"];
    expect(await noticesOf(n, "silence_passed")).toEqual([passed, passed, passed, passed, passed]);
    expect(await noticesOf(n, "silence_deadline")).toEqual([[], [], [], [], []]);
  });
});
