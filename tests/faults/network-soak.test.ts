import { beforeAll, expect, it, onTestFailed } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { connectClient, startTyping, waitFor, waitForConvergence, withTimeout, type TestClient, type Typist } from "../support/clients";
import { seedFrom, seededRandom } from "../support/prng";
import { clauseTexts, sameContent, statementText, storedDoc } from "../support/statement";
import { startInstrumentedServer } from "../support/server";
import { createSignedInPerson, createStatement } from "../support/factories";

/**
 * A plenary on a bad network: SOAK_CLIENTS (200) people on one statement for SOAK_SECONDS (120),
 * each dropping and coming back at random
 * (a provider's disconnect()/connect(), or the socket torn down), a few of them typing, all with
 * presence. Afterwards everyone converges with the server; once they have all left, the server
 * process (a child with --expose-gc) is back to its baseline: no room, no presence, no connection,
 * no timer or listener left, and a heap close to where it started. SOAK_SEED replays the drops.
 */

const clientCount = Number(process.env.SOAK_CLIENTS ?? 200);
const soakSeconds = Number(process.env.SOAK_SECONDS ?? 120);
const typistCount = 5;
const seed = seedFrom("SOAK_SEED");

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

it(
  `${clientCount} clients dropping and reconnecting at random for ${soakSeconds} s converge, and the server returns to its baseline after they leave`,
  { timeout: (soakSeconds + 240) * 1000 },
  async () => {
    onTestFailed(() => console.error(`network soak failed with SOAK_SEED=${seed}`));
    const rnd = seededRandom(seed);
    // Each y-websocket provider adds a process "exit" listener in Node.
    process.setMaxListeners(clientCount + 50);

    const { documentId, conferenceId, cookie } = await createStatement(db.sql);
    const people = await Promise.all(
      Array.from({ length: clientCount }, (_, i) =>
        createSignedInPerson(db.sql, { conferenceId, role: i < typistCount ? "chair" : "delegate" }),
      ),
    );
    const server = await startInstrumentedServer({ databaseUrl: db.url });

    // Baseline: after the document has been opened, edited and released once, so that code paths,
    // caches and pools have been used.
    const warmups = people.slice(0, 5).map((p) => connectClient(server.wsUrl, documentId, { cookie: p.cookie }));
    await Promise.all(warmups.map((c) => withTimeout(c.synced, 15_000, "warm-up sync")));
    warmups[0].provider.awareness.setLocalStateField("user", { name: "warm-up" });
    startTyping(warmups[0].doc, { clause: 0, tag: "warm", everyMs: 10, limit: 20 });
    await waitFor(() => warmups[0].isSaved() && statementText(warmups[0].doc).includes("[warm19]"), {
      what: "the warm-up edits to be saved",
    });
    for (const c of warmups) c.destroy();
    await waitFor(async () => (await server.stats()).collab.rooms === 0, { timeoutMs: 30_000, what: "the warm-up room to be released" });
    const baseline = await server.stats();

    // Everyone joins, in waves, with presence.
    const clients: TestClient[] = [];
    for (let i = 0; i < clientCount; i += 25) {
      const wave = people.slice(i, i + 25).map((p) => connectClient(server.wsUrl, documentId, { cookie: p.cookie }));
      await Promise.all(wave.map((c) => withTimeout(c.synced, 30_000, "a client's first sync")));
      clients.push(...wave);
    }
    clients.forEach((c, i) => c.provider.awareness.setLocalStateField("user", { name: `Person ${i}`, cursor: rnd.int(0, 500) }));
    const clauses = clauseTexts(clients[0].doc).length;
    const typists: Typist[] = clients
      .slice(0, typistCount)
      .map((c, i) => startTyping(c.doc, { clause: (i * 2) % clauses, tag: `t${i}-`, everyMs: 250 }));

    // Drops: every client, at random intervals (mean ~8 s), either disconnects and comes back after
    // up to 2 s, or has its socket torn down (as a dead network would) and reconnects by itself.
    let soaking = true;
    const counts = { disconnects: 0, terminations: 0, cursorMoves: 0 };
    const timers = new Set<NodeJS.Timeout>();
    const later = (ms: number, f: () => void) => {
      const t = setTimeout(() => {
        timers.delete(t);
        if (soaking) f();
      }, ms);
      timers.add(t);
    };
    const scheduleDrop = (c: TestClient) =>
      later(rnd.int(2_000, 14_000), () => {
        if (rnd.chance(0.7)) {
          counts.disconnects++;
          c.provider.disconnect();
          later(rnd.int(0, 2_000), () => c.provider.connect());
        } else if (c.provider.ws) {
          counts.terminations++;
          (c.provider.ws as unknown as { terminate(): void }).terminate();
        }
        scheduleDrop(c);
      });
    const scheduleCursor = (c: TestClient) =>
      later(rnd.int(500, 5_000), () => {
        counts.cursorMoves++;
        c.provider.awareness.setLocalStateField("user", { ...c.provider.awareness.getLocalState()?.user, cursor: rnd.int(0, 500) });
        scheduleCursor(c);
      });
    clients.forEach(scheduleDrop);
    clients.slice(0, 40).forEach(scheduleCursor);

    const soakStarted = Date.now();
    let peak = await server.stats();
    while (Date.now() - soakStarted < soakSeconds * 1000) {
      await sleep(Math.min(10_000, soakSeconds * 1000 - (Date.now() - soakStarted)));
      const now = await server.stats();
      if (now.heapUsed > peak.heapUsed) peak = now;
    }
    soaking = false;
    for (const t of timers) clearTimeout(t);

    // Everyone back, typing stops, all converge, with a newcomer and with PostgreSQL.
    for (const c of clients) if (!c.provider.shouldConnect) c.provider.connect();
    await waitFor(() => clients.every((c) => c.provider.synced), {
      timeoutMs: 60_000,
      intervalMs: 100,
      what: "every client to be connected and synced",
    });
    const typed = typists.map((t) => t.stop());
    await waitForConvergence(clients, 120_000);
    const newcomer = connectClient(server.wsUrl, documentId, { cookie });
    await withTimeout(newcomer.synced, 30_000, "a newcomer's sync");
    await waitForConvergence([clients[0], newcomer], 30_000);
    expect(sameContent(await storedDoc(db.sql, documentId), newcomer.doc)).toBe(true);
    const text = statementText(newcomer.doc);
    for (const words of typed) for (const w of words) expect(text).toContain(w);
    // Everyone sees everyone's presence (the newcomer's own included).
    await waitFor(() => newcomer.provider.awareness.getStates().size === clientCount + 1, {
      timeoutMs: 30_000,
      what: "the newcomer to see everyone present",
    });

    // Everyone leaves.
    for (const c of [...clients, newcomer]) c.destroy();
    await waitFor(
      async () => {
        const s = await server.stats();
        return s.collab.rooms === 0 && s.collab.connections === 0;
      },
      { timeoutMs: 60_000, intervalMs: 500, what: "the server to release the room and every connection" },
    );
    const after = await server.stats();

    console.log(
      `network soak (seed ${seed}): ${clientCount} clients, ${soakSeconds} s, ${counts.disconnects} disconnects + ${counts.terminations} terminations, ` +
        `${typed.flat().length} words typed, ${counts.cursorMoves} cursor moves\n` +
        `  server heap: baseline ${mb(baseline.heapUsed)}, peak ${mb(peak.heapUsed)} (rss ${mb(peak.rss)}), after ${mb(after.heapUsed)}; ` +
        `resources baseline ${JSON.stringify(baseline.resources)} after ${JSON.stringify(after.resources)}`,
    );
    expect(counts.disconnects + counts.terminations).toBeGreaterThan(clientCount);
    expect(after.collab).toEqual({ rooms: 0, connections: 0, awarenessStates: 0, bufferedBytes: 0 });
    // No listener left on the process, no timer or socket left per connection (the database pool
    // may have opened up to its 4 connections meanwhile, each with a lifetime timer).
    expect(after.processListeners).toEqual(baseline.processListeners);
    const count = (s: typeof after, kind: string) => s.resources[kind] ?? 0;
    expect(count(after, "Timeout")).toBeLessThanOrEqual(count(baseline, "Timeout") + 4);
    expect(count(after, "TCPSocketWrap")).toBeLessThanOrEqual(count(baseline, "TCPSocketWrap") + 4);
    // The heap is back near where it was (after the soak's hundreds of connections, a leak of even a
    // few kilobytes per connection, let alone a document, would show).
    expect(after.heapUsed - baseline.heapUsed).toBeLessThan(6 * 1024 * 1024);
  },
);
