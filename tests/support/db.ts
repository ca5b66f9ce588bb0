import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import { createSql, type Sql } from "../../server/db/sql";
import { migrate } from "../../server/db/migrate";
import { onCleanup, once } from "./cleanup";

export interface TestDatabase {
  name: string;
  url: string;
  /** A connection pool of the test's own (servers get theirs). */
  sql: Sql;
  drop(): Promise<void>;
}

export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * A new, migrated database for one test file, so files can run in parallel and every test starts
 * from a known schema. It is dropped when the file (or test) that created it finishes.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject("adminDatabaseUrl");
  const name = `concord_test_${randomBytes(6).toString("hex")}`;
  const admin = createSql(adminUrl, { max: 1 });
  try {
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = databaseUrl(adminUrl, name);
  const sql = createSql(url, { max: 4 });
  await migrate(sql);
  const drop = once(async () => {
    await sql.end({ timeout: 5 });
    const admin = createSql(adminUrl, { max: 1 });
    try {
      // Servers killed by a test may have left sessions behind; they must not keep the database alive.
      await admin`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${name} and pid <> pg_backend_pid()`;
      await admin.unsafe(`drop database if exists ${name} with (force)`);
    } finally {
      await admin.end();
    }
  });
  onCleanup(drop);
  return { name, url, sql, drop };
}
