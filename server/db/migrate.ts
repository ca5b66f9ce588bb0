import fs from "node:fs/promises";
import path from "node:path";
import type { Sql } from "./sql";
import { projectRoot } from "../project-root";

const migrationsDir = path.join(projectRoot, "db/migrations");

async function migrationFiles(dir: string): Promise<string[]> {
  return (await fs.readdir(dir)).filter((f) => /^\d+_.+\.sql$/.test(f)).sort();
}

/** The migrations this build ships that the database has not applied (all of them before the first run). */
export async function pendingMigrations(sql: Sql, dir = migrationsDir): Promise<string[]> {
  const [{ exists }] = await sql<{ exists: boolean }[]>`select to_regclass('schema_migrations') is not null as exists`;
  const done = new Set(exists ? (await sql<{ version: number }[]>`select version from schema_migrations`).map((r) => r.version) : []);
  return (await migrationFiles(dir)).filter((f) => !done.has(Number.parseInt(f, 10)));
}

/**
 * Applies the numbered SQL files in db/migrations that have not run yet, all in one transaction,
 * under an advisory lock so that several instances starting together apply them once.
 */
export async function migrate(sql: Sql, dir = migrationsDir): Promise<string[]> {
  const files = await migrationFiles(dir);
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
