import { loadConfig, ConfigError } from "./config";
import { createSql, openConnections } from "./db/sql";
import { migrate } from "./db/migrate";
import { openDatabase } from "./db/open";
import { createConcord } from "./app";
import { seedDemo } from "./seed/demo";
import { ensureAdmin } from "./seed/admin";

async function main() {
  const config = loadConfig();
  const database = await openDatabase(config);
  if (database.stop) console.log(`Started ${database.description}`);
  const sql = createSql(database.url);
  const applied = await migrate(sql);
  if (applied.length > 0) console.log(`Applied migrations: ${applied.join(", ")}`);
  await ensureAdmin(sql, { email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD, log: console.log });
  if (config.SEED_DEMO) {
    const demo = await seedDemo(sql, { password: config.DEMO_PASSWORD, log: console.log });
    if (demo.created) console.log(`Seeded the demo conference "${demo.conference.title}"`);
  }
  await openConnections(sql);
  const concord = await createConcord({ sql, config });
  await new Promise<void>((resolve, reject) => {
    concord.server.once("error", reject);
    concord.server.listen(config.PORT, config.HOST, () => resolve());
  });
  const address = concord.server.address();
  const port = typeof address === "object" && address ? address.port : config.PORT;
  console.log(`Concord listening on http://localhost:${port}`);
  if (config.REDIS_URL) console.log("Serving documents together with the other instances on the same Redis");

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: saving and shutting down`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await concord.close();
    await sql.end({ timeout: 5 });
    await database.stop?.();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((err) => {
  // Configuration and start-up problems are reported as one readable line.
  if (err instanceof ConfigError) console.error(err.message);
  else if ((err as { code?: unknown } | null)?.code === "EADDRINUSE")
    console.error(`Cannot start: port ${String((err as { port?: unknown }).port)} is already in use (set PORT).`);
  else console.error(`Cannot start Concord: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
