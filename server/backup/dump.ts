import { createHash } from "node:crypto";
import { once } from "node:events";
import type { Writable } from "node:stream";
import type { Sql } from "../db/sql";
import { appliedMigrations } from "../db/migrate";
import {
  copyFromLine,
  endOfData,
  formatVersion,
  headerPrefix,
  quoteIdent,
  trailerPrefix,
  type BackupHeader,
  type BackupTrailer,
} from "./format";
import { dataTables } from "./tables";

async function write(out: Writable, chunk: string | Buffer): Promise<void> {
  if (!out.write(chunk)) await once(out, "drain");
}

/**
 * Writes every table of the database to `out` (the caller gzips it) as one consistent snapshot:
 * all of it is read in a single repeatable-read transaction, so a backup taken while delegations
 * type holds the statements, their update logs and the audit chain as they were at one instant.
 */
export async function dumpDatabase(sql: Sql, out: Writable): Promise<BackupTrailer> {
  return sql.begin("isolation level repeatable read read only", async (tx) => {
    const header: BackupHeader = { format: formatVersion, createdAt: new Date().toISOString(), migrations: await appliedMigrations(tx) };
    if (header.migrations.length === 0) throw new Error("this database holds no Concord data (it was never migrated)");
    await write(out, `${headerPrefix}${JSON.stringify(header)}\n`);
    const trailer: BackupTrailer = { tables: {} };
    for (const { table, columns } of await dataTables(tx)) {
      await write(out, `\n${copyFromLine(table, columns)}\n`);
      const hash = createHash("sha256");
      let rows = 0;
      const stream = await tx.unsafe(`copy ${quoteIdent(table)} (${columns.map(quoteIdent).join(", ")}) to stdout`).readable();
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        hash.update(chunk);
        for (const byte of chunk) if (byte === 0x0a) rows++;
        await write(out, chunk);
      }
      await write(out, `${endOfData}\n`);
      trailer.tables[table] = { rows, sha256: hash.digest("hex") };
    }
    await write(out, `\n${trailerPrefix}${JSON.stringify(trailer)}\n`);
    return trailer;
  });
}
