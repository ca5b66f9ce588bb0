import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import type { Sql } from "../../server/db/sql";
import { createMigratedDatabase, dropDatabase } from "../../server/db/create-database";
import { onCleanup, once } from "./cleanup";

export interface TestDatabase {
  name: string;
  url: string;
  /** A connection pool of the test's own (servers get theirs). */
  sql: Sql;
  drop: () => Promise<void>;
}

/**
 * A new, migrated database, so files can run in parallel and every test starts from a known
 * schema. The caller drops it: the `db` fixture (tests/support/fixtures.ts) when the file ends.
 */
export async function openTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject("adminDatabaseUrl");
  const name = `concord_test_${randomBytes(6).toString("hex")}`;
  const { url, sql } = await createMigratedDatabase(adminUrl, name);
  const drop = once(async () => {
    await sql.end({ timeout: 5 });
    await dropDatabase(adminUrl, name);
  });
  return { name, url, sql, drop };
}

/** A database as openTestDatabase makes it, dropped when the file (or test) that created it finishes. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const db = await openTestDatabase();
  onCleanup(db.drop);
  return db;
}
