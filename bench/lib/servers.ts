import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { spawnServer, type ServerProcess } from "./spawn";
import { freePort } from "../../server/db/embedded";
import type { Endpoint } from "./client";

export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

/** Where servers write V8 CPU profiles when `BENCH_CPU_PROF=1` (node --cpu-prof), for every case. */
export const cpuProfileDir = process.env.BENCH_CPU_PROF === "1" ? path.join(repoRoot, "bench/results/profiles") : undefined;

export const serverKinds = ["concord", "y-websocket", "hocuspocus-4", "hocuspocus", "concord-2-instances"] as const;
export type ServerKind = (typeof serverKinds)[number];
export const isConcord = (kind: ServerKind) => kind === "concord" || kind === "concord-2-instances";

export interface RunningServer {
  kind: ServerKind;
  instances: ServerProcess[];
  /** Where a client with this cookie (Concord only) connects to a document on instance `instance`. */
  endpoint(documentName: string, instance: number, cookie?: string): Endpoint;
  stop(): Promise<void>;
}

export interface ConcordOptions {
  databaseUrl: string;
  redisUrl?: string;
  /** Write a V8 CPU profile of each instance to this directory when it stops (node --cpu-prof). */
  cpuProfileDir?: string;
}

/** Concord as its users run it: `node build/server.js` (`npm run start:prod`), production mode, authentication on. */
export async function startConcordInstance({ databaseUrl, redisUrl, cpuProfileDir }: ConcordOptions): Promise<ServerProcess> {
  // COLLAB_* settings in the benchmark's environment reach the server, for experiments.
  const collab = Object.fromEntries(Object.entries(process.env).filter(([k, v]) => k.startsWith("COLLAB_") && v !== undefined)) as Record<
    string,
    string
  >;
  const prof = cpuProfileDir
    ? ["--cpu-prof", `--cpu-prof-dir=${path.join(cpuProfileDir, `concord-${Date.now()}-${randomBytes(2).toString("hex")}`)}`]
    : [];
  return spawnServer([...prof, "build/server.js"], {
    cwd: repoRoot,
    env: {
      NODE_ENV: "production",
      PORT: "0",
      HOST: "127.0.0.1",
      SEED_DEMO: "false",
      DATABASE_URL: databaseUrl,
      ADMIN_PASSWORD: randomBytes(12).toString("hex"),
      ...collab,
      ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
    },
    ready: /Concord listening on http:\/\/localhost:(\d+)/,
  });
}

function concordEndpoint(port: number, documentId: string, cookie?: string): Endpoint {
  return { protocol: "y-websocket", serverUrl: `ws://127.0.0.1:${port}/collab`, room: documentId, cookie, concord: true };
}

export async function startServer(kind: ServerKind, concord: ConcordOptions): Promise<RunningServer> {
  // One directory per server process: the main thread's profile is the one with the lowest thread number.
  const prof = concord.cpuProfileDir ? ["--cpu-prof", `--cpu-prof-dir=${path.join(concord.cpuProfileDir, `${kind}-${Date.now()}`)}`] : [];
  let instances: ServerProcess[];
  let endpoint: RunningServer["endpoint"];
  switch (kind) {
    case "concord": {
      instances = [await startConcordInstance(concord)];
      endpoint = (doc, _i, cookie) => concordEndpoint(instances[0].port, doc, cookie);
      break;
    }
    case "concord-2-instances": {
      if (!concord.redisUrl) throw new Error("concord-2-instances needs a Redis URL");
      instances = await Promise.all([startConcordInstance(concord), startConcordInstance(concord)]);
      endpoint = (doc, i, cookie) => concordEndpoint(instances[i % instances.length].port, doc, cookie);
      break;
    }
    case "y-websocket": {
      // The package's own server (its bin), unchanged: in memory without YPERSISTENCE, no auth.
      const bin = path.join(repoRoot, "node_modules/@y/websocket-server/src/server.js");
      if (!fs.existsSync(bin)) throw new Error(`${bin} is missing (npm install)`);
      const port = await freePort();
      const exitOnSignal = prof.length ? ["--import", "./bench/servers/exit-on-signal.mjs"] : [];
      instances = [
        await spawnServer([...prof, ...exitOnSignal, bin], {
          cwd: repoRoot,
          env: { HOST: "127.0.0.1", PORT: String(port) },
          ready: new RegExp(`running at '127.0.0.1' on port (${port})`),
        }),
      ];
      endpoint = (doc) => ({ protocol: "y-websocket", serverUrl: `ws://127.0.0.1:${instances[0].port}`, room: doc });
      break;
    }
    case "hocuspocus":
    case "hocuspocus-4": {
      // bench/servers/hocuspocus.ts (version 3) or bench/servers/hocuspocus-4.ts, each with its own provider.
      instances = [
        await spawnServer([...prof, "--import", "tsx", `bench/servers/${kind}.ts`], {
          cwd: repoRoot,
          env: { PORT: "0" },
          ready: new RegExp(`${kind} listening on (\\d+)`),
        }),
      ];
      endpoint = (doc) => ({ protocol: kind, url: `ws://127.0.0.1:${instances[0].port}`, name: doc });
      break;
    }
  }
  return {
    kind,
    instances,
    endpoint,
    async stop() {
      await Promise.all(instances.map((p) => p.stop()));
    },
  };
}

/** A Redis for the two-instance case: REDIS_URL, or a throwaway redis-server when one is installed. */
export async function startRedis(): Promise<{ url: string; stop(): Promise<void> } | { error: string }> {
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, stop: async () => {} };
  const { spawn, execFileSync } = await import("node:child_process");
  try {
    execFileSync("redis-server", ["--version"], { stdio: "ignore" });
  } catch {
    return { error: "no REDIS_URL given and no redis-server on PATH" };
  }
  const port = await freePort();
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
    stdio: "ignore",
  });
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, "127.0.0.1", () => {
        s.end();
        resolve(true);
      });
      s.on("error", () => resolve(false));
    });
    if (up) {
      return {
        url,
        stop: async () => {
          if (child.exitCode !== null) return;
          const exited = new Promise((r) => child.once("exit", r));
          child.kill("SIGTERM");
          await exited;
        },
      };
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill("SIGKILL");
  return { error: `redis-server did not start on port ${port}` };
}
