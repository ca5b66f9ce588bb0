import fs from "node:fs/promises";
import path from "node:path";
import type { Db, Sql } from "./sql";
import { projectRoot } from "../project-root";

const migrationsDir = path.join(projectRoot, "db/migrations");

/** The migrations this build ships, by file name, in the order they apply. */
export async function shippedMigrations(dir = migrationsDir): Promise<string[]> {
  return (await fs.readdir(dir)).filter((f) => /^\d+_.+\.sql$/.test(f)).sort();
}

/** The migrations applied to a database, by file name, in order; none when it was never migrated. */
export async function appliedMigrations(sql: Db): Promise<string[]> {
  const [{ exists }] = await sql<{ exists: boolean }[]>`select to_regclass('schema_migrations') is not null as exists`;
  if (!exists) return [];
  return (await sql<{ name: string }[]>`select name from schema_migrations order by version`).map((r) => r.name);
}

/** The migrations this build ships that the database has not applied (all of them before the first run). */
export async function pendingMigrations(sql: Db, dir = migrationsDir): Promise<string[]> {
  const done = new Set(await appliedMigrations(sql));
  return (await shippedMigrations(dir)).filter((f) => !done.has(f));
}

/**
 * Applies the numbered SQL files in db/migrations that have not run yet, all in one transaction,
 * under an advisory lock so that several instances starting together apply them once.
 */
export async function migrate(sql: Sql, dir = migrationsDir, { only }: { only?: ReadonlySet<string> } = {}): Promise<string[]> {
  // A restore first applies only the migrations its backup was taken under (server/backup/restore.ts).
  const files = (await shippedMigrations(dir)).filter((f) => !only || only.has(f));
  return sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext('concord:migrations'))`;
    await tx`create table if not exists schema_migrations (
      version integer primary key, name text not null, applied_at timestamptz not null default now())`;
    const done = new Set((await tx`select version from schema_migrations`).map((r) => r.version as number));
    const applied: string[] = [];
    for (const file of files) {
      const version = Number.parseInt(file, 10);
      if (done.has(version)) continue;
      await tx.unsafe(await fs.readFile(path.join(dir, file), "utf8"));
      await tx`insert into schema_migrations (version, name) values (${version}, ${file})`;
      applied.push(file);
    }
    return applied;
  });
}
