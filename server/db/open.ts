import path from "node:path";
import type { Config } from "../config";
import { runningEmbeddedPostgres, startEmbeddedPostgres } from "./embedded";

export interface OpenedDatabase {
  url: string;
  /** Set when this process started the embedded cluster (and so stops it). */
  stop: (() => Promise<void>) | null;
  /** How it was reached, for a start-up line. */
  description: string;
}

/**
 * The database of this deployment: DATABASE_URL, or else the embedded cluster in DATA_DIR. With
 * `attach`, a cluster a running server already started there is used as it is (a tool such as
 * `npm run audit:verify` must not take the directory over from the server).
 */
export async function openDatabase(config: Pick<Config, "DATABASE_URL" | "DATA_DIR">, { attach = false } = {}): Promise<OpenedDatabase> {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL, stop: null, description: "DATABASE_URL" };
  const dir = path.join(config.DATA_DIR, "postgres");
  const running = attach ? runningEmbeddedPostgres(dir) : null;
  if (running) return { url: running.url, stop: null, description: `the running embedded PostgreSQL (data in ${dir})` };
  const embedded = await startEmbeddedPostgres(dir);
  return { url: embedded.url, stop: () => embedded.stop(), description: `embedded PostgreSQL (data in ${dir})` };
}
