import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "../support/fixtures";
import { createProposalFixture, rewriteDraft, type ProposalFixture } from "../support/proposals";
import { connectSyncedClient, waitFor } from "../support/clients";
import { clauseTexts, storedDoc, typeInClause } from "../support/statement";
import { createTestDatabase } from "../support/db";
import { openTestServer } from "../support/server";
import { onCleanup } from "../support/cleanup";
import { findProposal } from "../../server/queries/proposals";
import { startEmbeddedPostgres } from "../../server/db/embedded";
import { createSql, type Sql } from "../../server/db/sql";
import { verifyChain } from "../../server/audit/verify";
import { dataTables } from "../../server/backup/tables";
import { restoreDatabase } from "../../server/backup/restore";
import { headerPrefix } from "../../server/backup/format";

/**
 * `npm run backup` and `npm run restore`: a negotiated conference is backed up from the machine's
 * PostgreSQL while the server runs, restored onto a fresh embedded data directory, and comes back
 * the same, row for row, with its audit chain intact and a server that goes on serving it.
 */

const root = fileURLToPath(new URL("../..", import.meta.url));

function cli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", "server/backup/cli.ts", ...args],
      { cwd: root, env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "test", ...env }, timeout: 120_000 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stdout, stderr }),
    );
  });
}

/** Every table's rows, as text in a stable order, in UTC. */
async function contents(sql: Sql): Promise<Record<string, string[]>> {
  return sql.begin(async (tx) => {
    await tx`set local time zone 'UTC'`;
    const out: Record<string, string[]> = {};
    for (const { table } of await dataTables(tx)) {
      const rows = await tx<{ row: string }[]>`select t::text as row from ${tx(table)} t order by 1`;
      out[table] = rows.map((r) => r.row);
    }
    return out;
  });
}

function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  // As root, the embedded cluster runs as "postgres", which must be able to enter it.
  fs.chmodSync(dir, 0o755);
  onCleanup(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

let f: ProposalFixture;
let backupFile: string;

it.beforeAll(async ({ db, server }) => {
  f = await createProposalFixture({ db, server });
  const clauses = await f.clauseIds();
  // A decided proposal (audited), and text typed live (the update log).
  const id = await f.propose(f.people.alice, { kind: "replace", clauseId: clauses.OP2 });
  const draft = await connectSyncedClient(server.wsUrl, (await findProposal(db.sql, f.documentId, id))!.textDocumentId!, {
    cookie: f.people.alice.cookie,
  });
  rewriteDraft(draft.doc, "Call upon all States and partners to act now;");
  await waitFor(() => draft.isSaved(), { what: "the draft to be saved" });
  draft.destroy();
  expect((await f.post(f.people.alice, `/documents/${f.documentId}/proposals/${id}`, { intent: "submit" })).status).toBe(200);
  expect((await f.post(f.people.chair, `/documents/${f.documentId}/proposals/${id}`, { intent: "accept", reason: "Agreed." })).status).toBe(
    200,
  );
  const chair = await connectSyncedClient(server.wsUrl, f.documentId, { cookie: f.people.chair.cookie });
  typeInClause(chair.doc, 3, " without delay");
  await waitFor(() => chair.isSaved(), { what: "the chair's typing to be saved" });
  chair.destroy();
  backupFile = path.join(tempDir("concord-backup-"), "conference.sql.gz");
});

describe("backup and restore", () => {
  it("backs up while the server runs and restores onto a fresh embedded data directory: the same rows, an intact audit chain, a server that serves it", async ({
    db,
  }) => {
    const backedUp = await cli(["backup", backupFile], { DATABASE_URL: db.url });
    expect(backedUp.stderr).toBe("");
    expect(backedUp.code).toBe(0);
    expect(backedUp.stdout).toMatch(/^Backed up \d+ tables, \d+ rows, to .*conference\.sql\.gz \(\d+ bytes\)\.$/m);
    expect(fs.existsSync(`${backupFile}.partial`)).toBe(false);
    expect((fs.statSync(backupFile).mode & 0o777).toString(8)).toBe("600");
    const text = gunzipSync(fs.readFileSync(backupFile)).toString("utf8");
    expect(text.startsWith(headerPrefix)).toBe(true);
    expect(text).toContain("Call upon all States and partners to act now;");

    const dataDir = path.join(tempDir("concord-restore-"), "data");
    const restored = await cli(["restore", backupFile], { DATA_DIR: dataDir });
    expect(restored.code).toBe(0);
    expect(restored.stdout).toMatch(/^Restored \d+ rows in \d+ tables, as backed up at \d{4}-\d\d-\d\dT/m);
    expect(restored.stdout).toMatch(/^OK {6}audit chain of .+: \d+ entries$/m);
    expect(restored.stdout).not.toContain("BROKEN");

    // The restored cluster, started again as a server would start it.
    const pg = await startEmbeddedPostgres(path.join(dataDir, "postgres"));
    onCleanup(() => pg.stop());
    const copy = createSql(pg.url, { max: 2 });
    onCleanup(() => copy.end({ timeout: 5 }));
    const [before, after] = [await contents(db.sql), await contents(copy)];
    expect(Object.keys(after)).toEqual(Object.keys(before));
    for (const table of Object.keys(before)) expect({ table, rows: after[table] }).toEqual({ table, rows: before[table] });
    // The proposal's submission and its acceptance.
    expect(before.audit_log).toHaveLength(2);
    const chain = await verifyChain(copy, f.conferenceId);
    expect(chain).toEqual({ ok: true, entries: before.audit_log.length });
    expect(clauseTexts(await storedDoc(copy, f.documentId))).toEqual(clauseTexts(await storedDoc(db.sql, f.documentId)));

    // Serial columns continue after the restored rows (else new rows would collide with them).
    const serials = await copy<{ table: string; column: string }[]>`
      select table_name as table, column_name as column from information_schema.columns
      where table_schema = 'public' and column_default like 'nextval(%'`;
    expect(serials.map((s) => s.table)).toContain("document_updates");
    for (const { table, column } of serials) {
      const [{ next, max }] = await copy<{ next: string; max: string | null }[]>`
        select nextval(pg_get_serial_sequence(${table}, ${column}))::text as next, (select max(${copy(column)})::text from ${copy(table)}) as max`;
      expect({ table, after: BigInt(next) > BigInt(max ?? 0) }).toEqual({ table, after: true });
    }

    // A server on the restored database takes new edits.
    const server = await openTestServer({ databaseUrl: pg.url });
    onCleanup(server.close);
    const chair = await connectSyncedClient(server.wsUrl, f.documentId, { cookie: f.people.chair.cookie });
    expect(clauseTexts(chair.doc)[3]).toContain("without delay");
    typeInClause(chair.doc, 1, " (restored)");
    await waitFor(() => chair.isSaved(), { what: "an edit on the restored server to be saved" });
    chair.destroy();
    expect(clauseTexts(await storedDoc(copy, f.documentId))[1]).toContain("(restored)");
  });

  it("refuses an altered, a truncated or a foreign file, and a database that already holds data, loading nothing", async ({ db }) => {
    if (!fs.existsSync(backupFile)) expect((await cli(["backup", backupFile], { DATABASE_URL: db.url })).code).toBe(0);
    const text = gunzipSync(fs.readFileSync(backupFile)).toString("utf8");
    const target = await createTestDatabase();
    const from = (s: string) => () => Readable.from([Buffer.from(s)]);
    const empty = async () => Object.values(await contents(target.sql)).every((rows) => rows.length === 0);

    const altered = text.replace("Call upon all States and partners to act now;", "Call upon all States to do nothing;");
    expect(altered).not.toBe(text);
    await expect(restoreDatabase(target.sql, from(altered))).rejects.toThrow(/altered or damaged: table \w+ does not match its checksum/);
    expect(await empty()).toBe(true);

    const truncated = text.slice(0, text.indexOf("-- concord-backup-end"));
    await expect(restoreDatabase(target.sql, from(truncated))).rejects.toThrow("The backup is incomplete: it ends before its trailer.");
    expect(await empty()).toBe(true);

    await expect(restoreDatabase(target.sql, from("COPY users FROM stdin;\n"))).rejects.toThrow("This is not a Concord backup");
    await expect(restoreDatabase(db.sql, from(text))).rejects.toThrow(/already holds data \(table \w+\); restore into a fresh database/);

    // The same file, whole, restores into that empty database.
    const report = await restoreDatabase(target.sql, from(text));
    expect(report.tables.audit_log).toBe(2);
    expect(await contents(target.sql)).toEqual(await contents(db.sql));
  });
});
