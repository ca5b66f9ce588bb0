import { loadConfig, ConfigError } from "./config";
import { createSql, openConnections } from "./db/sql";
import { migrate } from "./db/migrate";
import { openDatabase } from "./db/open";
import { createConcord } from "./app";
import { seedDemo } from "./seed/demo";
import { ensureAdmin } from "./seed/admin";
import { logger } from "./log";

/**
 * The accounts a start creates are handed to the operator as plain text on stdout, not logged:
 * generated passwords are shown this once, and a log line is kept and shipped. In production set
 * ADMIN_PASSWORD, and no password is ever printed.
 */
const handOver = (text: string) => void process.stdout.write(`${text}\n`);

async function main() {
  const config = loadConfig();
  logger.level = config.LOG_LEVEL;
  const database = await openDatabase(config);
  if (database.stop) logger.info(`Started ${database.description}`);
  const sql = createSql(database.url);
  const applied = await migrate(sql);
  if (applied.length > 0) logger.info(`Applied migrations: ${applied.join(", ")}`);
  await ensureAdmin(sql, { email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD, log: handOver });
  if (config.SEED_DEMO) {
    const demo = await seedDemo(sql, { password: config.DEMO_PASSWORD, log: handOver });
    if (demo.created) logger.info(`Seeded the demo conference "${demo.conference.title}"`);
  }
  await openConnections(sql);
  const concord = await createConcord({ sql, config });
  await new Promise<void>((resolve, reject) => {
    concord.server.once("error", reject);
    concord.server.listen(config.PORT, config.HOST, () => resolve());
  });
  const portOf = (server: typeof concord.server) => {
    const address = server.address();
    return typeof address === "object" && address ? address.port : undefined;
  };
  if (concord.metricsServer) logger.info(`Metrics at http://${config.HOST}:${portOf(concord.metricsServer)}/metrics`);
  // The last start-up line: whoever waits for it finds the ones above written.
  logger.info(`Concord listening on http://localhost:${portOf(concord.server) ?? config.PORT}`);
  if (config.REDIS_URL) logger.info("Serving documents together with the other instances on the same Redis");

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: saving and shutting down`);
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
  // A bad configuration is one readable line, before there is a configured log to write it to.
  if (err instanceof ConfigError) console.error(err.message);
  else if ((err as { code?: unknown } | null)?.code === "EADDRINUSE")
    logger.fatal(`Cannot start: port ${String((err as { port?: unknown }).port)} is already in use (set PORT or METRICS_PORT).`);
  else logger.fatal({ err }, `Cannot start Concord: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
