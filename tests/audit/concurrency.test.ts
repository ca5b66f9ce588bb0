import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { startTestServer, type TestServer } from "../support/server";
import { createNegotiation, participant, type NegotiationFixture, type Participant } from "../support/negotiation";
import { auditEntries, lastSeq } from "../support/audit";
import { appendAudit } from "../../server/audit/log";
import { genesisHash } from "../../server/audit/hash";
import { verifyChain } from "../../server/audit/verify";
import { createSignedInPerson } from "../support/factories";
import { currentSignals } from "../../server/queries/clause-signals";

/** Appends racing each other never fork a chain, and an entry and its change commit together. */
let db: TestDatabase;
let server: TestServer;
let n: NegotiationFixture;
let delegates: Participant[];

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer({ databaseUrl: db.url });
  n = await createNegotiation(db.sql, server.url);
  delegates = [];
  for (let i = 0; i < 12; i++)
    delegates.push(await participant(server.url, await createSignedInPerson(db.sql, { conferenceId: n.conferenceId, role: "delegate" })));
});

describe("concurrent appends", () => {
  it("from parallel requests make one unbroken chain: consecutive numbers, each entry linked to the one before", async () => {
    const signals = delegates.flatMap((d, i) =>
      n.clauses
        .slice(0, 3)
        .map((c) =>
          d.post(`/documents/${n.documentId}/signals`, { clauseId: c.id, signal: i % 2 ? "accept" : "not_yet", reason: "Checking." }),
        ),
    );
    const states = n.clauses.map((c) => n.chair.post(`/documents/${n.documentId}/states`, { clauseId: c.id, state: "under_negotiation" }));
    const responses = await Promise.all([...signals, ...states]);
    expect(responses.map((r) => r.status)).toEqual(responses.map(() => 200));

    const rows = await auditEntries(db.sql, n.conferenceId);
    expect(rows).toHaveLength(signals.length + states.length);
    rows.forEach((row, i) => {
      expect(row.seq).toBe(i + 1);
      expect(row.prevHash).toBe(i === 0 ? genesisHash : rows[i - 1].hash);
    });
    // No two entries claim the same predecessor (a fork).
    expect(new Set(rows.map((r) => r.prevHash)).size).toBe(rows.length);
    expect(await verifyChain(db.sql, n.conferenceId)).toEqual({ ok: true, entries: rows.length });
  });

  it("from many transactions at once on the same chain, too", async () => {
    const before = await lastSeq(db.sql, n.conferenceId);
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        db.sql.begin((tx) => appendAudit(tx, { conferenceId: n.conferenceId, actorId: null, action: "version.created", subject: { i } })),
      ),
    );
    const rows = await auditEntries(db.sql, n.conferenceId);
    expect(rows).toHaveLength(before + 30);
    expect((await verifyChain(db.sql, n.conferenceId)).ok).toBe(true);
  });
});

describe("an entry and its change", () => {
  it("roll back together when the change fails after the entry was appended", async () => {
    const before = await lastSeq(db.sql, n.conferenceId);
    await expect(
      db.sql.begin(async (tx) => {
        await appendAudit(tx, { conferenceId: n.conferenceId, actorId: null, action: "version.created", subject: { doomed: true } });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await lastSeq(db.sql, n.conferenceId)).toBe(before);
    // The chain goes on from where it was, unbroken.
    await db.sql.begin((tx) =>
      appendAudit(tx, { conferenceId: n.conferenceId, actorId: null, action: "version.created", subject: { after: true } }),
    );
    expect(await lastSeq(db.sql, n.conferenceId)).toBe(before + 1);
    expect((await verifyChain(db.sql, n.conferenceId)).ok).toBe(true);
  });

  it("roll back together when the entry cannot be written: a request whose entry fails changes nothing", async () => {
    const count = async () =>
      (await db.sql<{ n: number }[]>`select count(*)::int as n from clause_states where document_id = ${n.documentId}`)[0].n;
    const before = { states: await count(), seq: await lastSeq(db.sql, n.conferenceId) };
    // Make every clause-state entry fail to insert, as a full disk or a broken constraint would.
    // The delegations that cannot accept the clause yet, as the chair confirms agreeing over them.
    const overriding = (await currentSignals(db.sql, n.documentId))
      .filter((s) => s.clauseId === n.clauses[0].id && s.signal === "not_yet")
      .map((s) => s.delegationId)
      .join(",");
    await db.sql`alter table audit_log add constraint audit_test_refuses_states check (action <> 'clause_state.set') not valid`;
    try {
      const res = await n.chair.post(`/documents/${n.documentId}/states`, {
        clauseId: n.clauses[0].id,
        state: "agreed",
        reason: "Will not stick.",
        overriding,
      });
      expect(res.status).toBe(500);
    } finally {
      await db.sql`alter table audit_log drop constraint audit_test_refuses_states`;
    }
    expect(await count()).toBe(before.states);
    expect(await lastSeq(db.sql, n.conferenceId)).toBe(before.seq);
    expect((await verifyChain(db.sql, n.conferenceId)).ok).toBe(true);
  });
});
