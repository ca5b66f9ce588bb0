import { spawn, type ChildProcess } from "node:child_process";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { createConcord, type Concord } from "../../server/app";
import { loadConfig } from "../../server/config";
import { createSql } from "../../server/db/sql";
import { onCleanup, once } from "./cleanup";
import { withTimeout } from "./wait";
import type { Request, ServerStats } from "./instrumented-server";

/**
 * Starting the app for a test. One module, four modes, because each shows what the others cannot:
 * - openTestServer / startTestServer: the app in this process, the default (fast, and the test
 *   can reach its parts, e.g. server.concord.live); the `server` fixture is one of these;
 * - spawnServer: the real entry point (server/main.ts) as a child process that can be SIGKILLed
 *   and restarted on the same database, for crashes and restarts;
 * - runServerToExit: the real entry point run until it exits, for start-ups that must fail;
 * - startInstrumentedServer: the app in a child process with --expose-gc (instrumented-server.ts),
 *   to measure the server's own heap and handles apart from the test's clients.
 * Every child gets only PATH, HOME and TMPDIR of this environment, plus what the mode sets.
 */

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

export interface TestServer {
  port: number;
  /** http://127.0.0.1:<port> */
  url: string;
  /** The y-websocket server URL: a room is `${wsUrl}/${documentId}`. */
  wsUrl: string;
  concord: Concord;
  close: () => Promise<void>;
}

interface ServerOptions {
  databaseUrl: string;
  /** Extra environment, e.g. COLLAB_COMPACT_AFTER, read through the real config loader. */
  env?: Record<string, string>;
}

const endpoints = (port: number) => ({ port, url: `http://127.0.0.1:${port}`, wsUrl: `ws://127.0.0.1:${port}/collab` });

/**
 * The whole app (Remix and collaboration endpoint) in this process, on a free loopback port. The
 * caller closes it: the `server` fixture (tests/support/fixtures.ts) when the file ends.
 */
export async function openTestServer({ databaseUrl, env = {} }: ServerOptions): Promise<TestServer> {
  // Warnings and errors only: a request's access line would go to the test's output (spawnServer captures its own).
  const config = loadConfig({
    NODE_ENV: "test",
    PORT: "0",
    HOST: "127.0.0.1",
    SEED_DEMO: "false",
    LOG_LEVEL: "warn",
    ...env,
    DATABASE_URL: databaseUrl,
  });
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
  return { ...endpoints(port), concord, close };
}

/** A server as openTestServer starts it, closed when the file (or test) that started it finishes. */
export async function startTestServer(options: ServerOptions): Promise<TestServer> {
  const server = await openTestServer(options);
  onCleanup(server.close);
  return server;
}

/** The environment of a child server: PATH, HOME and TMPDIR of this process, then `env`. */
const childEnv = (env: Record<string, string | undefined>) =>
  // Remix's types make NODE_ENV a required key of ProcessEnv; some starts leave it out.
  ({ PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: process.env.TMPDIR, ...env }) as unknown as NodeJS.ProcessEnv;

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
 * The real entry point as users run it (`node build/server.js`, built by `npm test`) as a child process, for what only a
 * separate process can show: a crash (SIGKILL) and a restart on the same database.
 */
export async function spawnServer({ databaseUrl, env = {} }: ServerOptions, startTimeoutMs = 30_000): Promise<SpawnedServer> {
  const child = spawn(process.execPath, ["build/server.js"], {
    cwd: repoRoot,
    env: childEnv({ NODE_ENV: "test", PORT: "0", HOST: "127.0.0.1", SEED_DEMO: "false", ...env, DATABASE_URL: databaseUrl }),
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
        reject(new Error(`build/server.js ${why}; output:\n${output}`));
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

export interface Exited {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real entry point (`node build/server.js`) with exactly this environment
 * (plus PATH, HOME and TMPDIR) and waits for it to exit: for start-ups that must fail.
 */
export function runServerToExit(env: Record<string, string>, timeoutMs = 30_000): Promise<Exited> {
  const child = spawn(process.execPath, ["build/server.js"], {
    cwd: repoRoot,
    env: childEnv(env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  onCleanup(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`build/server.js did not exit within ${timeoutMs} ms; output:\n${stdout}${stderr}`));
    }, timeoutMs);
    child.once("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

export interface InstrumentedServer {
  port: number;
  wsUrl: string;
  /** Collects garbage in the server process, then reports its heap, rooms, connections and handles. */
  stats(): Promise<ServerStats>;
  close(): Promise<void>;
  output(): string;
}

/** The app in a child process with --expose-gc (tests/support/instrumented-server.ts), on a free port. */
export async function startInstrumentedServer({
  databaseUrl,
  env = {},
}: {
  databaseUrl: string;
  env?: Record<string, string>;
}): Promise<InstrumentedServer> {
  const child: ChildProcess = spawn(process.execPath, ["--expose-gc", "--import", "tsx", "tests/support/instrumented-server.ts"], {
    cwd: repoRoot,
    env: childEnv({ NODE_ENV: "test", ...env, DATABASE_URL: databaseUrl }),
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  let output = "";
  child.stdout!.on("data", (c: Buffer) => (output += c.toString("utf8")));
  child.stderr!.on("data", (c: Buffer) => (output += c.toString("utf8")));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  onCleanup(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    return exited;
  });
  const port = await withTimeout(
    new Promise<number>((resolve, reject) => {
      child.on("message", (m: { ready?: number }) => m.ready && resolve(m.ready));
      void exited.then(() => reject(new Error(`the instrumented server exited before it was ready:\n${output}`)));
    }),
    60_000,
    "the instrumented server to start",
  );
  let nextId = 1;
  const request = <T>(type: Request["type"]) =>
    withTimeout(
      new Promise<T>((resolve, reject) => {
        const id = nextId++;
        const onMessage = (m: { id?: number; result?: T }) => {
          if (m.id !== id) return;
          child.off("message", onMessage);
          resolve(m.result as T);
        };
        child.on("message", onMessage);
        void exited.then(() => reject(new Error(`the instrumented server exited:\n${output}`)));
        child.send({ id, type } satisfies Request);
      }),
      60_000,
      `the instrumented server to answer "${type}"`,
    );
  return {
    port,
    wsUrl: `ws://127.0.0.1:${port}/collab`,
    stats: () => request<ServerStats>("stats"),
    close: async () => {
      if (child.exitCode !== null) return;
      await request<null>("close");
      await exited;
    },
    output: () => output,
  };
}
