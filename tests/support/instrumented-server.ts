// The whole app in a child process started with --expose-gc, for tests that measure the server's
// own memory and handles (apart from the test's clients). Spawned by startInstrumentedServer in
// tests/support/server.ts; answers "stats" requests over the IPC channel.
import type { AddressInfo } from "node:net";
import { createConcord } from "../../server/app";
import { loadConfig } from "../../server/config";
import { createSql } from "../../server/db/sql";

export interface ServerStats {
  heapUsed: number;
  rss: number;
  external: number;
  collab: { rooms: number; connections: number; awarenessStates: number; bufferedBytes: number };
  /** process.getActiveResourcesInfo(), counted by kind (Timeout, TCPSocketWrap, …). */
  resources: Record<string, number>;
  /** Listeners on the process object, by event. */
  processListeners: Record<string, number>;
}

export type Request = { id: number; type: "stats" } | { id: number; type: "close" };

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("start this with --expose-gc");

const config = loadConfig({ ...process.env, NODE_ENV: "test", PORT: "0", HOST: "127.0.0.1", SEED_DEMO: "false" });
const sql = createSql(config.DATABASE_URL!, { max: 4 });
const concord = await createConcord({ sql, config });
await new Promise<void>((resolve) => concord.server.listen(0, "127.0.0.1", () => resolve()));

async function stats(): Promise<ServerStats> {
  // Let closing sockets and timers settle, then collect until the heap stops shrinking.
  await new Promise((r) => setTimeout(r, 50));
  let heapUsed = Infinity;
  for (let i = 0; i < 10; i++) {
    gc!();
    await new Promise((r) => setImmediate(r));
    const now = process.memoryUsage().heapUsed;
    if (now >= heapUsed * 0.999) break;
    heapUsed = now;
  }
  const memory = process.memoryUsage();
  const resources: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) resources[r] = (resources[r] ?? 0) + 1;
  const processListeners: Record<string, number> = {};
  for (const event of process.eventNames()) processListeners[String(event)] = process.listenerCount(event);
  return {
    heapUsed: memory.heapUsed,
    rss: memory.rss,
    external: memory.external,
    collab: concord.collab.stats(),
    resources,
    processListeners,
  };
}

process.on("message", (request: Request) => {
  if (request.type === "stats") {
    void stats().then((result) => process.send!({ id: request.id, result }));
  } else if (request.type === "close") {
    void concord
      .close()
      .then(() => sql.end({ timeout: 5 }))
      .then(() => process.send!({ id: request.id, result: null }, () => process.exit(0)));
  }
});

process.send!({ ready: (concord.server.address() as AddressInfo).port });
