import { once } from "node:events";
import type { Readable } from "node:stream";
import type { Db, Sql } from "../db/sql";
import { appliedMigrations, migrate, shippedMigrations } from "../db/migrate";
import { quoteIdent } from "./format";
import { BackupReader, RestoreRefused } from "./reader";
import { dataTables } from "./tables";

export { RestoreRefused };

export interface RestoreReport {
  createdAt: string;
  /** Rows restored per table. */
  tables: Record<string, number>;
  /** Migrations of this build applied after the data was loaded (the backup was taken by an older Concord). */
  migratedSince: string[];
}

/** Reads the whole backup once without touching a database: a damaged or altered file is refused before anything happens. */
async function check(open: () => Readable, shipped: string[]) {
  const reader = new BackupReader(open());
  const header = await reader.header();
  const unknown = header.migrations.find((m, i) => shipped[i] !== m);
  if (unknown)
    throw new RestoreRefused(`The backup was taken by a different Concord: this version does not ship migration ${unknown} there.`);
  for (let next = await reader.nextTable(); next !== null; next = await reader.nextTable()) {
    for await (const piece of reader.rows(next.table)) void piece;
  }
  return header;
}

async function checkTarget(sql: Sql, migrations: string[]): Promise<void> {
  const applied = await appliedMigrations(sql);
  if (applied.some((m, i) => migrations[i] !== m)) {
    throw new RestoreRefused("The target database was migrated differently from the backup; restore into a fresh database.");
  }
  for (const { table } of await dataTables(sql)) {
    const [{ used }] = await sql<{ used: boolean }[]>`select exists (select 1 from ${sql(table)}) as used`;
    if (used) throw new RestoreRefused(`The target database already holds data (table ${table}); restore into a fresh database.`);
  }
}

/**
 * COPY FROM one table's rows. postgres.js never finishes the stream when PostgreSQL rejects the
 * data after it was all sent, so each piece is awaited (nothing stays buffered), and once the copy
 * is ended a query on the same transaction tells whether it went through.
 */
async function copyIn(tx: Db, table: string, columns: string[], pieces: AsyncIterable<Buffer>): Promise<void> {
  const target = await tx.unsafe(`copy ${quoteIdent(table)} (${columns.map(quoteIdent).join(", ")}) from stdin`).writable();
  const failed = once(target, "error");
  failed.catch(() => {});
  for await (const piece of pieces) {
    await Promise.race([new Promise<void>((resolve) => target.write(piece, () => resolve())), failed]);
  }
  target.end();
  // postgres.js sends the end of the data on the next tick; the probe must queue behind it.
  await new Promise((resolve) => setImmediate(resolve));
  try {
    await Promise.race([tx`select 1`, failed]);
  } catch (err) {
    throw new RestoreRefused(
      `Table ${table}'s rows could not be loaded into this database (${err instanceof Error ? err.message : String(err)}).`,
    );
  }
}

/** Sequences behind serial and identity columns continue after the restored rows. */
async function resetSequences(tx: Db): Promise<void> {
  const owned = await tx<{ sequence: string; table: string; column: string }[]>`
    select s.relname as sequence, t.relname as table, a.attname as column
    from pg_class s
    join pg_depend d on d.objid = s.oid and d.deptype in ('a', 'i')
    join pg_class t on t.oid = d.refobjid
    join pg_namespace n on n.oid = t.relnamespace and n.nspname = 'public'
    join pg_attribute a on a.attrelid = t.oid and a.attnum = d.refobjsubid
    where s.relkind = 'S'`;
  for (const { sequence, table, column } of owned) {
    const col = quoteIdent(column);
    await tx.unsafe(`select setval($1::regclass, coalesce(max(${col}), 1), max(${col}) is not null) from ${quoteIdent(table)}`, [
      quoteIdent(sequence),
    ]);
  }
}

/**
 * Restores a backup into an empty database. `open` gives the backup's text (gunzipped) each time it
 * is called: it is read once to check it whole, then once to load it. Loading applies the migrations
 * the backup was taken under, copies every table in one transaction (checking the checksums again
 * as it goes, so nothing is committed unless all of it matches), then applies this build's newer
 * migrations. Triggers and foreign keys are bypassed while loading (the rows were consistent when
 * taken), which needs a superuser connection: the embedded cluster's is one.
 */
export async function restoreDatabase(sql: Sql, open: () => Readable): Promise<RestoreReport> {
  const header = await check(open, await shippedMigrations());
  await checkTarget(sql, header.migrations);
  await migrate(sql, undefined, { only: new Set(header.migrations) });
  const reader = new BackupReader(open());
  await reader.header();
  await sql.begin(async (tx) => {
    await tx`set local session_replication_role = replica`.catch((err: unknown) => {
      throw new RestoreRefused(
        `Restoring needs a superuser connection, as the embedded database's is (${err instanceof Error ? err.message : String(err)}); for another database use pg_dump and pg_restore (README).`,
      );
    });
    const columnsOf = new Map((await dataTables(tx)).map((t) => [t.table, t.columns.join("\n")]));
    for (let next = await reader.nextTable(); next !== null; next = await reader.nextTable()) {
      const { table, columns } = next;
      if (columnsOf.get(table) !== columns.join("\n")) throw new RestoreRefused(`The backup's table ${table} does not match this schema.`);
      await copyIn(tx, table, columns, reader.rows(table));
    }
    await resetSequences(tx);
  });
  return { createdAt: header.createdAt, tables: reader.tables(), migratedSince: await migrate(sql) };
}
