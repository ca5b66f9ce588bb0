import { beforeAll, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { spawnServer } from "../support/server";
import { redisEnv } from "../support/redis";
import { connectSyncedClient, waitFor, waitForConvergence, type TestClient } from "../support/clients";
import { clauseTexts, typeInClause } from "../support/statement";
import { createStatement } from "../support/factories";

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

it("an edit reaches a client on the other instance within a few milliseconds of one on the same instance", async () => {
  const { documentId, cookie } = await createStatement(db.sql);
  const env = redisEnv();
  const [a, b] = await Promise.all([spawnServer({ databaseUrl: db.url, env }), spawnServer({ databaseUrl: db.url, env })]);
  const writer = await connectSyncedClient(a.wsUrl, documentId, { cookie });
  const sameInstance = await connectSyncedClient(a.wsUrl, documentId, { cookie });
  const otherInstance = await connectSyncedClient(b.wsUrl, documentId, { cookie });

  const sentAt = new Map<string, number>();
  const latencies = new Map<TestClient, number[]>([
    [sameInstance, []],
    [otherInstance, []],
  ]);
  for (const [reader, list] of latencies) {
    const seen = new Set<string>();
    reader.doc.on("update", () => {
      const now = performance.now();
      for (const word of clauseTexts(reader.doc)[5].match(/\[w\d+\]/g) ?? []) {
        if (seen.has(word)) continue;
        seen.add(word);
        list.push(now - sentAt.get(word)!);
      }
    });
  }
  const words = 200;
  for (let i = 0; i < words; i++) {
    const word = `[w${i}]`;
    sentAt.set(word, performance.now());
    typeInClause(writer.doc, 5, ` ${word}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  await waitFor(() => [...latencies.values()].every((l) => l.length === words), { what: "every word to reach both readers" });
  await waitForConvergence([writer, sameInstance, otherInstance]);

  const [same, other] = [...latencies.values()].map((l) => [...l].sort((x, y) => x - y));
  const summary = (s: number[]) =>
    `p50 ${percentile(s, 50).toFixed(1)} ms, p95 ${percentile(s, 95).toFixed(1)} ms, p99 ${percentile(s, 99).toFixed(1)} ms`;
  console.log(`edit → client on the same instance: ${summary(same)}; on the other instance: ${summary(other)}`);
  // The relay adds a hop through Redis, not another database write. A generous bound on the
  // median only: the tails depend on whatever else the machine is running.
  expect(percentile(other, 50) - percentile(same, 50)).toBeLessThan(10);
});
