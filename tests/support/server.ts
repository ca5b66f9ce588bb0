import { spawn, type ChildProcess } from "node:child_process";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { createConcord, type Concord } from "../../server/app";
import { loadConfig } from "../../server/config";
import { createSql } from "../../server/db/sql";
import { onCleanup, once } from "./cleanup";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

export interface TestServer {
  port: number;
  /** http://127.0.0.1:<port> */
  url: string;
  /** The y-websocket server URL: a room is `${wsUrl}/${documentId}`. */
  wsUrl: string;
  concord: Concord;
  close(): Promise<void>;
}

interface ServerOptions {
  databaseUrl: string;
  /** Extra environment, e.g. COLLAB_COMPACT_AFTER, read through the real config loader. */
  env?: Record<string, string>;
}

const endpoints = (port: number) => ({ port, url: `http://127.0.0.1:${port}`, wsUrl: `ws://127.0.0.1:${port}/collab` });

/** The whole app (Remix and collaboration endpoint) in this process, on a free loopback port. */
export async function startTestServer({ databaseUrl, env = {} }: ServerOptions): Promise<TestServer> {
  const config = loadConfig({ NODE_ENV: "test", PORT: "0", HOST: "127.0.0.1", SEED_DEMO: "false", ...env, DATABASE_URL: databaseUrl });
  const sql = createSql(databaseUrl, { max: 4 });
  const concord = await createConcord({ sql, config });
  await new Promise<void>((resolve, reject) => {
    concord.server.once("error", reject);
    concord.server.listen(config.PORT, config.HOST, () => resolve());
  });
  const { port } = concord.server.address() as AddressInfo;
  const close = once(async () => {
    await concord.close();
    await sql.end({ timeout: 5 });
  });
  onCleanup(close);
  return { ...endpoints(port), concord, close };
}

export interface SpawnedServer {
  port: number;
  url: string;
  wsUrl: string;
  process: ChildProcess;
  /** Everything the process printed so far, for failure messages. */
  output(): string;
  /** Sends the signal and resolves once the process has exited. */
  kill(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * The real entry point (`node --import tsx server/main.ts`) as a child process, for what only a
 * separate process can show: a crash (SIGKILL) and a restart on the same database.
 */
export async function spawnServer({ databaseUrl, env = {} }: ServerOptions, startTimeoutMs = 30_000): Promise<SpawnedServer> {
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TMPDIR: process.env.TMPDIR,
      NODE_ENV: "test",
      PORT: "0",
      HOST: "127.0.0.1",
      SEED_DEMO: "false",
      ...env,
      DATABASE_URL: databaseUrl,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });
  const kill = (signal: NodeJS.Signals = "SIGTERM") => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  onCleanup(() => kill("SIGKILL"));

  const port = await new Promise<number>((resolve, reject) => {
    let settled = false;
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      f();
    };
    const fail = (why: string) =>
      settle(() => {
        void kill("SIGKILL");
        reject(new Error(`server/main.ts ${why}; output:\n${output}`));
      });
    const timer = setTimeout(() => fail(`did not start within ${startTimeoutMs} ms`), startTimeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      const match = /Concord listening on http:\/\/localhost:(\d+)/.exec(output);
      if (match) settle(() => resolve(Number(match[1])));
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("error", (err) => fail(`could not be spawned (${err.message})`));
    void exited.then(({ code, signal }) => fail(`exited (code ${code}, signal ${signal}) before listening`));
  });
  return { ...endpoints(port), process: child, output: () => output, kill };
}
