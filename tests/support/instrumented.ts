import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { onCleanup } from "./cleanup";
import { withTimeout } from "./wait";
import type { Request, ServerStats } from "./instrumented-server";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

export interface InstrumentedServer {
  port: number;
  wsUrl: string;
  /** Collects garbage in the server process, then reports its heap, rooms, connections and handles. */
  stats(): Promise<ServerStats>;
  close(): Promise<void>;
  output(): string;
}

/** The app in a child process with --expose-gc (tests/support/instrumented-server.ts), on a free port. */
export async function startInstrumentedServer({ databaseUrl, env = {} }: { databaseUrl: string; env?: Record<string, string> }): Promise<InstrumentedServer> {
  const child: ChildProcess = spawn(process.execPath, ["--expose-gc", "--import", "tsx", "tests/support/instrumented-server.ts"], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: process.env.TMPDIR, NODE_ENV: "test", ...env, DATABASE_URL: databaseUrl },
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
