import fs from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { createGunzip, createGzip } from "node:zlib";
import { loadConfig, ConfigError } from "../config";
import { createSql } from "../db/sql";
import { openDatabase } from "../db/open";
import { auditedConferences } from "../queries/audit-log";
import { verifyChain } from "../audit/verify";
import { dumpDatabase } from "./dump";
import { restoreDatabase, RestoreRefused } from "./restore";

/**
 * `npm run backup -- [file]` and `npm run restore -- <file>`, for the deployment's database
 * (DATABASE_URL, or the embedded cluster in DATA_DIR, whether or not a server is running on it).
 * Exit codes: 0 done, 1 refused (nothing changed), 2 could not run.
 */

const usage = "Usage: npm run backup -- [file.sql.gz]   |   npm run restore -- <file.sql.gz>";

const total = (tables: Record<string, number>) => Object.values(tables).reduce((a, b) => a + b, 0);

async function backup(sql: ReturnType<typeof createSql>, file: string): Promise<number> {
  // Written aside and renamed when complete, so a file with the backup's name is always whole.
  const partial = `${file}.partial`;
  const out = createGzip();
  const written = pipeline(out, fs.createWriteStream(partial, { flags: "wx", mode: 0o600 }));
  try {
    const trailer = await dumpDatabase(sql, out);
    out.end();
    await written;
    fs.renameSync(partial, file);
    const rows = Object.values(trailer.tables).reduce((a, t) => a + t.rows, 0);
    console.log(`Backed up ${Object.keys(trailer.tables).length} tables, ${rows} rows, to ${file} (${fs.statSync(file).size} bytes).`);
    return 0;
  } catch (err) {
    out.destroy();
    await written.catch(() => {});
    fs.rmSync(partial, { force: true });
    throw err;
  }
}

async function restore(sql: ReturnType<typeof createSql>, file: string): Promise<number> {
  if (!fs.existsSync(file)) {
    console.error(`No such file: ${file}`);
    return 2;
  }
  const report = await restoreDatabase(sql, () => fs.createReadStream(file).pipe(createGunzip()));
  console.log(`Restored ${total(report.tables)} rows in ${Object.keys(report.tables).length} tables, as backed up at ${report.createdAt}.`);
  if (report.migratedSince.length > 0) console.log(`Then applied this version's newer migrations: ${report.migratedSince.join(", ")}`);
  let broken = 0;
  for (const c of await auditedConferences(sql)) {
    const chain = await verifyChain(sql, c.id);
    if (!chain.ok) broken++;
    console.log(
      `${chain.ok ? "OK    " : "BROKEN"}  audit chain of ${c.title}: ${chain.entries} entries${chain.ok ? "" : `, first broken entry ${chain.firstBroken!.seq}`}`,
    );
  }
  return broken > 0 ? 1 : 0;
}

async function main(): Promise<number> {
  const [command, file] = process.argv.slice(2);
  if ((command !== "backup" && command !== "restore") || (command === "restore" && !file)) {
    console.error(usage);
    return 2;
  }
  const config = loadConfig();
  const database = await openDatabase(config, { attach: true });
  const sql = createSql(database.url, { max: 2 });
  try {
    if (command === "backup")
      return await backup(sql, path.resolve(file ?? `concord-backup-${new Date().toISOString().replace(/[:.]/g, "-")}.sql.gz`));
    return await restore(sql, path.resolve(file));
  } catch (err) {
    if (!(err instanceof RestoreRefused)) throw err;
    console.error(`Not restored: ${err.message}`);
    return 1;
  } finally {
    await sql.end({ timeout: 5 });
    await database.stop?.();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    if (err instanceof ConfigError) console.error(err.message);
    else console.error(`Cannot ${process.argv[2] ?? "run"}: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(2);
  },
);
