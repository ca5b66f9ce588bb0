import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import type { Sql } from "../../server/db/sql";
import { createMigratedDatabase, dropDatabase } from "../../server/db/create-database";
import { startEmbeddedPostgres } from "../../server/db/embedded";
import { createConference } from "../../server/queries/conferences";
import { createStoredDocument } from "../../server/negotiation/statement";
import { createSignedInPerson } from "../../tests/support/factories";
import { postmasterPid } from "./proc";

export interface BenchDatabase {
  /** The benchmark's own database (created for this run, dropped at the end). */
  url: string;
  name: string;
  sql: Sql;
  /** Where it runs: "embedded" (a throwaway cluster) or "DATABASE_URL". */
  source: string;
  /** The postmaster's pid when the cluster is ours, so its CPU can be measured. */
  postmaster(): number | null;
  close(): Promise<void>;
}

/** A fresh, migrated database on DATABASE_URL's server, or on an embedded cluster started for the run. */
export async function openBenchDatabase(log: (line: string) => void): Promise<BenchDatabase> {
  let adminUrl = process.env.DATABASE_URL;
  let stopCluster: (() => Promise<void>) | null = null;
  let dataDir: string | null = null;
  if (!adminUrl) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "concord-bench-pg-"));
    // As root the cluster runs as the "postgres" user, which must be able to enter this directory.
    fs.chmodSync(dir, 0o755);
    dataDir = path.join(dir, "data");
    log(`starting an embedded PostgreSQL in ${dir}`);
    const db = await startEmbeddedPostgres(dataDir);
    adminUrl = db.url;
    stopCluster = async () => {
      await db.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    };
  }
  const name = `concord_bench_${randomBytes(5).toString("hex")}`;
  const { url, sql } = await createMigratedDatabase(adminUrl, name);
  return {
    url,
    name,
    sql,
    source: stopCluster ? "embedded PostgreSQL" : "DATABASE_URL",
    postmaster: () => (dataDir ? postmasterPid(dataDir) : null),
    async close() {
      await sql.end({ timeout: 5 });
      await dropDatabase(adminUrl, name);
      await stopCluster?.();
    },
  };
}

export interface Fixtures {
  conferenceId: string;
  /** One chair per typist (chairs may write). */
  chairs: string[];
  /** Observers (read-only), each used by at most `perObserver` connections. */
  observers: string[];
  /** An observer of its own for the coordinator's connections. */
  holder: string;
}

/**
 * A conference with chairs for the typists and read-only observers for everyone else, each with
 * a session cookie. One person per ten connections, like a delegation with several devices, stays
 * under the per-person connection limit.
 */
export async function createFixtures(sql: Sql, { chairs, observers }: { chairs: number; observers: number }): Promise<Fixtures> {
  const conference = await createConference(sql, {
    slug: `bench-${randomBytes(4).toString("hex")}`,
    title: "Benchmark plenary",
    subtitle: "",
    venue: "",
  });
  const person = (role: "chair" | "observer", name: string) =>
    createSignedInPerson(sql, { conferenceId: conference.id, role, name }).then((u) => u.cookie);
  return {
    conferenceId: conference.id,
    chairs: await Promise.all(Array.from({ length: chairs }, (_, i) => person("chair", `Chair ${i + 1}`))),
    observers: await Promise.all(Array.from({ length: observers }, (_, i) => person("observer", `Observer ${i + 1}`))),
    holder: await person("observer", "Benchmark coordinator"),
  };
}

/** A statement document holding `update` as its first logged update, as the demo seed stores one. */
export async function createStatementDocument(sql: Sql, conferenceId: string, title: string, update: Uint8Array): Promise<string> {
  return (await createStoredDocument(sql, { conferenceId, title, update })).id;
}

export async function storedSize(sql: Sql, documentId: string): Promise<{ bytes: number; rows: number; snapshot: number }> {
  const [row] = await sql<{ log: number; rows: number; snapshot: number }[]>`
    select coalesce((select sum(octet_length(data)) from document_updates where document_id = ${documentId}), 0)::int as log,
           (select count(*) from document_updates where document_id = ${documentId})::int as rows,
           coalesce((select octet_length(state) from document_snapshots where document_id = ${documentId}), 0)::int as snapshot`;
  return { bytes: row.log + row.snapshot, rows: row.rows, snapshot: row.snapshot };
}
