import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { auditEntries } from "../support/audit";
import { appendAudit } from "../../server/audit/log";
import { verifyChain } from "../../server/audit/verify";
import { entryHash } from "../../server/audit/hash";
import type { AuditRow } from "../../server/queries/audit-log";
import { createStatement } from "../support/factories";

/**
 * Tampering with the log, as someone with direct database access would: refused by the trigger,
 * and when the trigger is disabled by a superuser, caught by the verification at the first
 * entry that no longer holds. Also through `npm run audit:verify` as a child process.
 */
let db: TestDatabase;
let conferenceId: string;
let original: AuditRow[];
const root = fileURLToPath(new URL("../..", import.meta.url));

/** Runs a statement with the append-only trigger off, as only a superuser can. */
async function tamper(statement: (sql: TestDatabase["sql"]) => Promise<unknown>) {
  await db.sql.begin(async (tx) => {
    await tx`alter table audit_log disable trigger audit_log_append_only`;
    await statement(tx as unknown as TestDatabase["sql"]);
    await tx`alter table audit_log enable trigger audit_log_append_only`;
  });
}

/** Puts the chain back as it was written. */
async function restore() {
  await tamper(async (sql) => {
    await sql`delete from audit_log where conference_id = ${conferenceId}`;
    for (const r of original) {
      await sql`
        insert into audit_log (conference_id, seq, document_id, at, actor_id, actor_name, actor_role, delegation, action, subject, prev_hash, hash)
        values (${r.conferenceId}, ${r.seq}, ${r.documentId}, ${r.at}, ${r.actorId}, ${r.actorName}, ${r.actorRole}, ${r.delegation},
                ${r.action}, ${sql.json(r.subject as never)}, ${r.prevHash}, ${r.hash})`;
    }
  });
}

function verifyCli(): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", "server/audit/verify-cli.ts"],
      { cwd: root, env: { ...process.env, DATABASE_URL: db.url }, timeout: 60_000 },
      (err, stdout) => resolve({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stdout }),
    );
  });
}

beforeAll(async () => {
  db = await createTestDatabase();
  const fixture = await createStatement(db.sql);
  conferenceId = fixture.conferenceId;
  for (let i = 1; i <= 6; i++) {
    await db.sql.begin((tx) =>
      appendAudit(tx, {
        documentId: fixture.documentId,
        actorId: null,
        action: "clause_state.set",
        subject: { clause: `OP${i}`, state: "agreed", reason: `Reason ${i}` },
      }),
    );
  }
  original = await auditEntries(db.sql, conferenceId);
  expect(original.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6]);
});

beforeEach(restore);

describe("the append-only trigger", () => {
  it("refuses UPDATE and DELETE of an entry", async () => {
    await expect(
      db.sql`update audit_log set subject = '{"reason":"forged"}' where conference_id = ${conferenceId} and seq = 2`,
    ).rejects.toThrow(/append-only/);
    await expect(db.sql`delete from audit_log where conference_id = ${conferenceId} and seq = 6`).rejects.toThrow(/append-only/);
    expect(await auditEntries(db.sql, conferenceId)).toEqual(original);
  });
});

describe("verification", () => {
  it("passes the chain as written", async () => {
    expect(await verifyChain(db.sql, conferenceId)).toEqual({ ok: true, entries: 6 });
  });

  it("finds a changed subject at that entry", async () => {
    await tamper(
      (sql) =>
        sql`update audit_log set subject = jsonb_set(subject, '{reason}', '"Forged"') where conference_id = ${conferenceId} and seq = 3`,
    );
    const report = await verifyChain(db.sql, conferenceId);
    expect(report.ok).toBe(false);
    expect(report.firstBroken).toEqual({ seq: 3, reason: expect.stringMatching(/changed/) as unknown });
  });

  it("finds a changed entry whose hash was recomputed, at the entry after it", async () => {
    // Rewriting entry 3 with a correct hash of its own still breaks entry 4's link to it.
    const forged = entryHash({ ...original[2], actorName: "Someone else" });
    await tamper(
      (sql) => sql`update audit_log set actor_name = 'Someone else', hash = ${forged} where conference_id = ${conferenceId} and seq = 3`,
    );
    expect((await verifyChain(db.sql, conferenceId)).firstBroken).toEqual({
      seq: 4,
      reason: expect.stringMatching(/entry 3 was rewritten/) as unknown,
    });
  });

  it("finds a deleted entry", async () => {
    await tamper((sql) => sql`delete from audit_log where conference_id = ${conferenceId} and seq = 4`);
    expect((await verifyChain(db.sql, conferenceId)).firstBroken).toEqual({ seq: 4, reason: "Entry 4 is missing." });
  });

  it("finds a deleted entry when the later ones were renumbered to close the gap", async () => {
    await tamper(async (sql) => {
      await sql`delete from audit_log where conference_id = ${conferenceId} and seq = 4`;
      await sql`update audit_log set seq = seq - 1 where conference_id = ${conferenceId} and seq > 4`;
    });
    expect((await verifyChain(db.sql, conferenceId)).firstBroken).toEqual({
      seq: 4,
      reason: expect.stringMatching(/does not follow entry 3/) as unknown,
    });
  });

  it("finds the newest entry deleted (the chain head remembers it)", async () => {
    await tamper((sql) => sql`delete from audit_log where conference_id = ${conferenceId} and seq = 6`);
    expect((await verifyChain(db.sql, conferenceId)).firstBroken).toEqual({ seq: 6, reason: "Entry 6, the last one, is missing." });
  });

  it("finds two entries swapped, at the first of them", async () => {
    // Through a number past the end: seq is checked to be at least 1.
    await tamper(async (sql) => {
      await sql`update audit_log set seq = 1000 where conference_id = ${conferenceId} and seq = 2`;
      await sql`update audit_log set seq = 2 where conference_id = ${conferenceId} and seq = 5`;
      await sql`update audit_log set seq = 5 where conference_id = ${conferenceId} and seq = 1000`;
    });
    expect((await verifyChain(db.sql, conferenceId)).firstBroken?.seq).toBe(2);
  });

  it("finds an inserted entry", async () => {
    const forged = { ...original[2], seq: 7, prevHash: original[5].hash };
    await tamper(
      (sql) => sql`
        insert into audit_log (conference_id, seq, document_id, at, actor_id, actor_name, actor_role, delegation, action, subject, prev_hash, hash)
        values (${conferenceId}, 7, ${forged.documentId}, ${forged.at}, null, 'System', 'system', null, ${forged.action},
                ${sql.json(forged.subject as never)}, ${forged.prevHash}, ${forged.hash})`,
    );
    expect((await verifyChain(db.sql, conferenceId)).firstBroken?.seq).toBe(7);
  });
});

describe("npm run audit:verify", () => {
  it("exits 0 and says so for an intact chain", async () => {
    const { code, stdout } = await verifyCli();
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`OK .*${conferenceId}.*6 entries`));
  });

  it("exits 1 naming the first broken entry", async () => {
    await tamper((sql) => sql`update audit_log set action = 'silence.passed' where conference_id = ${conferenceId} and seq = 2`);
    const { code, stdout } = await verifyCli();
    expect(code).toBe(1);
    expect(stdout).toMatch(new RegExp(`BROKEN .*${conferenceId}.*first broken entry 2\\.`));
  });
});
