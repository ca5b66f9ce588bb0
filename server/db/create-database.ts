import { createSql, type Sql } from "./sql";
import { migrate } from "./migrate";

/** The URL of another database on the same server. */
export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * Creates a database on the server at `adminUrl` and migrates it; for the tests' and the
 * benchmark's throwaway databases. `name` must be a plain identifier.
 */
export async function createMigratedDatabase(adminUrl: string, name: string, pool = 4): Promise<{ url: string; sql: Sql }> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
  const admin = createSql(adminUrl, { max: 1 });
  try {
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = databaseUrl(adminUrl, name);
  const sql = createSql(url, { max: pool });
  await migrate(sql);
  return { url, sql };
}

/** Drops such a database, ending any session still in it (e.g. of a server a test killed). */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const admin = createSql(adminUrl, { max: 1 });
  try {
    await admin`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${name} and pid <> pg_backend_pid()`;
    await admin.unsafe(`drop database if exists ${name} with (force)`);
  } finally {
    await admin.end();
  }
}
