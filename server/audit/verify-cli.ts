import { loadConfig, ConfigError } from "../config";
import { createSql } from "../db/sql";
import { openDatabase } from "../db/open";
import { auditedConferences } from "../queries/audit-log";
import { verifyChain } from "./verify";

/**
 * `npm run audit:verify`: checks every conference's audit chain in the deployment's database
 * (DATABASE_URL, or the embedded cluster in DATA_DIR) and prints one line per conference.
 * Exits 1 when any chain is broken, naming its first broken entry; 2 when it cannot verify at all.
 */
async function main(): Promise<number> {
  const config = loadConfig();
  const database = await openDatabase(config, { attach: true });
  const sql = createSql(database.url, { max: 2 });
  try {
    const [{ exists }] = await sql<{ exists: boolean }[]>`select to_regclass('audit_log') is not null as exists`;
    if (!exists) {
      console.log("This database has no audit log: Concord has not been started on it with the audit migration yet.");
      return 2;
    }
    const conferences = await auditedConferences(sql);
    if (conferences.length === 0) console.log("No audit entries yet: nothing to verify.");
    let broken = 0;
    for (const c of conferences) {
      const report = await verifyChain(sql, c.id);
      if (report.ok) {
        console.log(`OK      ${c.title} (${c.id}): ${report.entries} entries, the chain is intact.`);
      } else {
        broken++;
        const { seq, reason } = report.firstBroken!;
        console.log(`BROKEN  ${c.title} (${c.id}): first broken entry ${seq}. ${reason}`);
      }
    }
    if (broken > 0) console.log(`${broken} of ${conferences.length} audit chains are broken.`);
    return broken > 0 ? 1 : 0;
  } finally {
    await sql.end({ timeout: 5 });
    await database.stop?.();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    if (err instanceof ConfigError) console.error(err.message);
    else console.error(`Cannot verify the audit log: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(2);
  },
);
