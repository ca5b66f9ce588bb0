// The memory case (issue 13, goal 5): the server's resident memory with many connections on one
// statement, all with presence, and further statements open, each held by a client. Clients of
// the big statement live in the benchmark's client processes (bench/worker.ts); the coordinator
// holds one client per statement, which for the in-memory baselines also seeds it.
import type { ChildProcess } from "node:child_process";
import * as Y from "yjs";
import type { Sql } from "../server/db/sql";
import { connectBenchClient, now, waitUntil, withTimeout, type BenchClient } from "./lib/client";
import { createFixtures, createStatementDocument, type Fixtures } from "./lib/concord";
import { clauseCount } from "./lib/statement";
import { isConcord, serverKinds, startServer, type ConcordOptions, type RunningServer, type ServerKind } from "./lib/servers";
import { peakRssBytes, rssBytes, totalCpuSeconds } from "./lib/proc";
import { mb, ms, ratio, round, table } from "./lib/stats";
import type { ClientSpec, FromWorker, ToWorker } from "./lib/messages";
import { randomBytes } from "node:crypto";

const env = process.env;
const int = (v: string | undefined, d: number) => (v && Number.isFinite(Number(v)) ? Number(v) : d);
const chosenServers = (env.BENCH_MEMORY_SERVERS ?? "")
  .split(",")
  .map((s) => s.trim())
  .filter(Boolean) as ServerKind[];
for (const k of chosenServers)
  if (!serverKinds.includes(k)) throw new Error(`BENCH_MEMORY_SERVERS: unknown server "${k}" (known: ${serverKinds.join(", ")})`);

const settings = {
  connections: int(env.BENCH_MEMORY_N, 500),
  furtherStatements: int(env.BENCH_MEMORY_STATEMENTS, 20),
  settleSeconds: int(env.BENCH_MEMORY_SETTLE, 10),
  /** Clients join in batches of this many, each once the previous one has synced: memory at rest, not a connection storm. */
  batch: int(env.BENCH_MEMORY_BATCH, 100),
};

/** A client process as bench/run.ts forks it. */
export interface ClientWorker {
  child: ChildProcess;
  send(m: ToWorker): void;
  next<T extends FromWorker["type"]>(type: T, timeoutMs: number): Promise<Extract<FromWorker, { type: T }>>;
}

export interface MemoryDeps {
  /** The benchmark's servers: measured unless BENCH_MEMORY_SERVERS names others */
  kinds: ServerKind[];
  workers: number;
  sql: Sql | null;
  seed: Uint8Array;
  seedClauses: number;
  serverOptions(kind: ServerKind): ConcordOptions;
  forkWorkers(count: number): Promise<ClientWorker[]>;
  stopWorkers(workers: ClientWorker[]): Promise<void>;
  /** Waits for an idle machine; returns the cores other processes were using. */
  waitForQuiet(): Promise<number>;
}

export interface MemoryRun {
  server: ServerKind;
  ok: boolean;
  error?: string;
  /** VmRSS of the server just started, no statement open */
  rssStartBytes?: number | null;
  /** VmRSS with only the statements' holders connected */
  rssBeforeBytes?: number | null;
  /** VmRSS after everyone joined and the server settled */
  rssBytes?: number | null;
  /** VmHWM: the most the server held at any moment */
  peakRssBytes?: number | null;
  connectMs?: number;
  connectFailures?: number;
  presenceMs?: number | null;
  /** server CPU while settling: what the connections cost at rest (presence renewals) */
  cpuSecondsSettle?: number;
  otherLoadBefore?: number;
}

export interface MemoryResult {
  connections: number;
  furtherStatements: number;
  settleSeconds: number;
  batch: number;
  runs: MemoryRun[];
  /** Concord's settled RSS ÷ Hocuspocus 4's (target ≤ 1.2) */
  ratioToHocuspocus4: number | null;
}

const colors = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf"];
const perPerson = 10;

/** Holds one statement open: for the baselines, seeds it and checks that a new client receives it. */
async function hold(deps: MemoryDeps, server: RunningServer, name: string, index: number, cookie?: string): Promise<BenchClient> {
  const holder = connectBenchClient(server.endpoint(name, 0, cookie), {
    localState: { user: { name: `Holder ${index + 1}`, color: colors[index % colors.length] } },
  });
  await withTimeout(holder.synced, 30_000, `the holder of statement ${index} to sync with ${server.kind}`);
  if (!isConcord(server.kind)) {
    Y.applyUpdate(holder.doc, deps.seed);
    const probe = connectBenchClient(server.endpoint(name, 0));
    try {
      await withTimeout(probe.synced, 30_000, "a probe client to sync");
      if (!(await waitUntil(() => clauseCount(probe.doc) === deps.seedClauses, 10_000)))
        throw new Error(`${server.kind} did not take statement ${index}`);
    } finally {
      probe.destroy();
    }
  } else if (clauseCount(holder.doc) !== deps.seedClauses) {
    throw new Error(`Concord served ${clauseCount(holder.doc)} clauses of statement ${index}, expected ${deps.seedClauses}`);
  }
  return holder;
}

async function runOne(deps: MemoryDeps, kind: ServerKind, fx: Fixtures | null): Promise<MemoryRun> {
  const { connections: n, furtherStatements } = settings;
  const names: string[] = [];
  for (let i = 0; i <= furtherStatements; i++)
    names.push(
      isConcord(kind)
        ? await createStatementDocument(deps.sql!, fx!.conferenceId, `memory ${i}`, deps.seed)
        : `memory-${i}-${randomBytes(3).toString("hex")}`,
    );
  // Observers: ten connections each, the big statement's clients first, then the holders.
  const cookie = (connection: number) => fx?.observers[Math.floor(connection / perPerson)];
  const server = await startServer(kind, deps.serverOptions(kind));
  const pid = server.instances[0].pid;
  const rssStartBytes = rssBytes(pid);
  const holders: BenchClient[] = [];
  let workers: ClientWorker[] = [];
  // Each stock y-websocket provider (Concord's and y-websocket's holders) listens for the process's exit.
  process.setMaxListeners(process.getMaxListeners() + names.length);
  try {
    for (let i = 0; i < names.length; i++) holders.push(await hold(deps, server, names[i], i, cookie(n + i)));
    const rssBeforeBytes = rssBytes(pid);
    workers = await deps.forkWorkers(Math.min(deps.workers, n));
    const specs: ClientSpec[] = Array.from({ length: n }, (_, index) => ({
      index,
      role: "observer",
      clause: index % deps.seedClauses,
      instance: 0,
      endpoint: server.endpoint(names[0], 0, cookie(index)),
      name: `Delegate ${index + 1}`,
    }));
    const t0 = now();
    const connectTimeout = 60_000 + settings.batch * 60;
    const connected: Extract<FromWorker, { type: "connected" }>[] = [];
    for (let from = 0; from < n; from += settings.batch) {
      const batch = specs.slice(from, from + settings.batch);
      workers.forEach((w, i) =>
        w.send({ type: "connect", clients: batch.filter((s) => s.index % workers.length === i), t0, timeoutMs: connectTimeout }),
      );
      connected.push(...(await Promise.all(workers.map((w) => w.next("connected", connectTimeout + 10_000)))));
    }
    const failures = connected.flatMap((c) => c.failed);
    const connectMs = Math.max(...connected.flatMap((c) => c.synced.map(([, at]) => at))) - t0;
    // Everyone sees everyone on the big statement (its holder included).
    const expected = n - failures.length + 1;
    let presenceMs: number | null = null;
    const presenceDeadline = Date.now() + 30_000 + n * 60;
    while (Date.now() < presenceDeadline) {
      for (const w of workers) w.send({ type: "presence" });
      const seen = await Promise.all(workers.map((w) => w.next("presence", 60_000)));
      if (seen.every((s) => s.fewest >= expected) && holders[0].awareness.getStates().size >= expected) {
        presenceMs = now() - t0;
        break;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    const cpu0 = totalCpuSeconds([pid]);
    await new Promise((r) => setTimeout(r, settings.settleSeconds * 1000));
    return {
      server: kind,
      ok: failures.length === 0 && presenceMs !== null,
      error: failures.length
        ? `${failures.length} clients did not connect, e.g. ${failures[0][1]}`
        : presenceMs === null
          ? "presence incomplete"
          : undefined,
      rssStartBytes,
      rssBeforeBytes,
      rssBytes: rssBytes(pid),
      peakRssBytes: peakRssBytes(pid),
      connectMs: round(connectMs),
      connectFailures: failures.length,
      presenceMs: presenceMs === null ? null : round(presenceMs),
      cpuSecondsSettle: round(totalCpuSeconds([pid]) - cpu0, 2),
    };
  } finally {
    if (workers.length) {
      for (const w of workers) if (w.child.connected) w.send({ type: "disconnect" });
      await Promise.all(workers.map((w) => w.next("disconnected", 10_000).catch(() => {})));
      await deps.stopWorkers(workers);
    }
    for (const h of holders) h.destroy();
    process.setMaxListeners(process.getMaxListeners() - names.length);
    await server.stop();
  }
}

export async function memoryCase(deps: MemoryDeps): Promise<MemoryResult> {
  const { connections: n, furtherStatements } = settings;
  // y-websocket only when asked for: on a busy two-core machine 500 clients joining it took
  // minutes and some timed out; the target compares with Hocuspocus 4.
  const kinds = chosenServers.length ? chosenServers : deps.kinds.filter((k) => k !== "y-websocket");
  const fx =
    deps.sql && kinds.some(isConcord)
      ? await createFixtures(deps.sql, { chairs: 0, observers: Math.ceil((n + furtherStatements + 1) / perPerson) })
      : null;
  const runs: MemoryRun[] = [];
  for (const kind of kinds) {
    const load = await deps.waitForQuiet();
    process.stdout.write(`  memory: ${kind} with ${n} connections and ${furtherStatements} further statements…\n`);
    let run: MemoryRun;
    try {
      run = await runOne(deps, kind, fx);
    } catch (err) {
      console.error(err);
      run = { server: kind, ok: false, error: (err as Error).message.split("\n")[0] };
    }
    run.otherLoadBefore = round(load, 2);
    runs.push(run);
  }
  const concord = runs.find((r) => r.server === "concord" && r.ok);
  const hocuspocus4 = runs.find((r) => r.server === "hocuspocus-4" && r.ok);
  return {
    ...settings,
    runs,
    ratioToHocuspocus4: concord?.rssBytes && hocuspocus4?.rssBytes ? round(concord.rssBytes / hocuspocus4.rssBytes, 3) : null,
  };
}

export function printMemory(m: MemoryResult, log: (line: string) => void) {
  log("");
  log(
    `Memory: ${m.connections} clients with presence on one statement (joining ${m.batch} at a time) and ${m.furtherStatements} further ` +
      `statements open (one client each); RSS after ${m.settleSeconds} s at rest`,
  );
  log(
    table(
      [
        "server",
        "RSS started MB",
        `RSS ${m.furtherStatements + 1} open MB`,
        "RSS MB",
        "peak MB",
        "connect+sync ms",
        "all see all ms",
        "CPU s at rest",
      ],
      m.runs.map((r) =>
        r.rssBytes != null
          ? [
              r.server + (r.ok ? "" : ` (${r.error})`),
              mb(r.rssStartBytes),
              mb(r.rssBeforeBytes),
              mb(r.rssBytes),
              mb(r.peakRssBytes),
              ms(r.connectMs),
              ms(r.presenceMs),
              r.cpuSecondsSettle!.toFixed(2),
            ]
          : [r.server, `FAILED: ${r.error}`, "", "", "", "", "", ""],
      ),
    ),
  );
  const concord = m.runs.find((r) => r.server === "concord" && r.ok);
  if (!concord) return;
  for (const base of m.runs.filter((r) => !isConcord(r.server) && r.ok))
    log(
      `  Concord ÷ ${base.server}: RSS ${ratio(concord.rssBytes, base.rssBytes)}, peak ${ratio(concord.peakRssBytes, base.peakRssBytes)}` +
        (base.server === "hocuspocus-4" ? " (target: RSS ≤ 1.20×)" : ""),
    );
}
