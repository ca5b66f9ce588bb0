import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { runServerToExit, spawnServer, startTestServer, type SpawnedServer } from "../support/server";
import { createStatement } from "../support/factories";
import { request } from "../support/http";
import { connectSyncedClient, waitFor } from "../support/clients";
import { openEventStream } from "../support/event-stream";
import { typeInClause } from "../support/statement";
import { redisEnv } from "../support/redis";
import { parsePrometheusText, sampleValue, type MetricFamily } from "../support/prometheus";

/**
 * The Prometheus metrics of the real entry point, scraped as Prometheus does, on METRICS_PORT and
 * at /metrics with METRICS_TOKEN, read with a strict parser of the text format, and moving with
 * what the server does: requests by route pattern, connections and rooms, stored updates, paused
 * saving, event streams, and the relay's lag between instances.
 */

const token = randomBytes(24).toString("hex");
let db: TestDatabase;
let server: SpawnedServer;
let metricsUrl: string;

async function scrape(url = metricsUrl, headers: Record<string, string> = {}): Promise<Map<string, MetricFamily>> {
  const res = await request(url, { headers });
  expect(res.status, res.body).toBe(200);
  expect(res.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(res.body);
}

const value = async (name: string, labels: Record<string, string> = {}) => sampleValue(await scrape(), name, labels) ?? 0;

/** Waits until a metric reads `expected`. */
async function metricBecomes(name: string, labels: Record<string, string>, expected: number): Promise<void> {
  let last: number | undefined;
  await waitFor(async () => (last = await value(name, labels)) === expected, {
    what: `${name} ${JSON.stringify(labels)} = ${expected} (last ${last})`,
  });
}

/** The metrics address a spawned server logged. */
function metricsAddress(s: SpawnedServer): string {
  const port = /Metrics at http:\/\/127\.0\.0\.1:(\d+)\/metrics/.exec(s.output())?.[1];
  expect(port, s.output()).toBeDefined();
  return `http://127.0.0.1:${port}/metrics`;
}

beforeAll(async () => {
  db = await createTestDatabase();
  server = await spawnServer({ databaseUrl: db.url, env: { METRICS_PORT: "0", METRICS_TOKEN: token } });
  metricsUrl = metricsAddress(server);
});

describe("the parser the tests read metrics with", () => {
  it("reads the text format and refuses what Prometheus would", () => {
    const good = parsePrometheusText(
      '# HELP a_total Things.\n# TYPE a_total counter\na_total{k="x \\"y\\"\\n"} 3\n# TYPE h histogram\nh_bucket{le="1"} 1\nh_bucket{le="+Inf"} 2\nh_sum 1.5\nh_count 2\n',
    );
    expect(sampleValue(good, "a_total", { k: 'x "y"\n' })).toBe(3);
    expect(sampleValue(good, "h_count")).toBe(2);
    for (const bad of [
      "a 1\n", // no TYPE
      "# TYPE a gauge\na one\n",
      "# TYPE a gauge\na{k=x} 1\n",
      "# TYPE a gauge\na 1\na 2\n",
      "# TYPE a gauge\na 1",
      '# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1\n',
      '# TYPE h histogram\nh_bucket{le="+Inf"} 2\nh_sum 1\nh_count 3\n',
    ])
      expect(() => parsePrometheusText(bad), bad).toThrow();
  });
});

describe("the metrics", () => {
  it("are served on METRICS_PORT, and on the main port only with the token", async () => {
    const families = await scrape();
    expect(families.get("concord_http_request_duration_seconds")?.type).toBe("histogram");
    expect(families.get("process_cpu_user_seconds_total")?.type).toBe("counter");
    expect((await request(metricsUrl.replace("/metrics", "/other"))).status).toBe(404);

    expect((await request(`${server.url}/metrics`)).status).toBe(401);
    expect((await request(`${server.url}/metrics`, { headers: { Authorization: `Bearer ${token}x` } })).status).toBe(401);
    expect((await request(`${server.url}/metrics`, { headers: { Authorization: `Basic ${token}` } })).status).toBe(401);
    const viaToken = await scrape(`${server.url}/metrics`, { Authorization: `Bearer ${token}` });
    expect(viaToken.get("concord_collab_connections")?.type).toBe("gauge");
  });

  it("are not served at all without METRICS_PORT or METRICS_TOKEN", async () => {
    const plainDb = await createTestDatabase();
    const plain = await startTestServer({ databaseUrl: plainDb.url });
    expect((await request(`${plain.url}/metrics`)).status).toBe(404);
    expect((await request(`${plain.url}/metrics`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(404);
  });

  it("count HTTP requests by route pattern and status class, never by raw path", async () => {
    const { documentId, cookie } = await createStatement(db.sql);
    const labels = { method: "GET", route: "/documents/:documentId", status: "2xx" };
    const before = await value("concord_http_request_duration_seconds_count", labels);
    expect((await request(`${server.url}/documents/${documentId}`, { headers: { Cookie: cookie } })).status).toBe(200);
    await metricBecomes("concord_http_request_duration_seconds_count", labels, before + 1);
    const notFound = { method: "GET", route: "/documents/:documentId", status: "4xx" };
    const missing = await value("concord_http_request_duration_seconds_count", notFound);
    expect((await request(`${server.url}/documents/${randomBytes(8).toString("hex")}`, { headers: { Cookie: cookie } })).status).toBe(404);
    await metricBecomes("concord_http_request_duration_seconds_count", notFound, missing + 1);
    const routes = (await scrape()).get("concord_http_request_duration_seconds")!.samples.map((s) => s.labels.route);
    expect(routes.some((r) => r.includes(documentId))).toBe(false);
  });

  it("follow connections, rooms and stored updates, and the rooms whose saving is paused", async () => {
    const { documentId, cookie } = await createStatement(db.sql);
    await metricBecomes("concord_collab_connections", {}, 0);
    await metricBecomes("concord_collab_rooms", {}, 0);
    const stored = await value("concord_collab_updates_stored_total");
    const writes = await value("concord_collab_store_write_seconds_count");

    const client = await connectSyncedClient(server.wsUrl, documentId, { cookie });
    await metricBecomes("concord_collab_connections", {}, 1);
    await metricBecomes("concord_collab_rooms", {}, 1);
    typeInClause(client.doc, 0, "Counted. ");
    await waitFor(() => client.isSaved(), { what: "the edit to be saved" });
    expect(await value("concord_collab_updates_stored_total")).toBeGreaterThan(stored);
    expect(await value("concord_collab_store_write_seconds_count")).toBeGreaterThan(writes);
    expect(await value("concord_collab_rooms_saving_paused")).toBe(0);

    // The database refuses the room's writes (its update log is renamed away): saving pauses, then resumes.
    await db.sql`alter table document_updates rename to document_updates_away`;
    try {
      typeInClause(client.doc, 0, "Held. ");
      await metricBecomes("concord_collab_rooms_saving_paused", {}, 1);
    } finally {
      await db.sql`alter table document_updates_away rename to document_updates`;
    }
    await metricBecomes("concord_collab_rooms_saving_paused", {}, 0);
    await waitFor(() => client.isSaved(), { what: "the held edit to be saved" });

    client.destroy();
    await metricBecomes("concord_collab_connections", {}, 0);
    await metricBecomes("concord_collab_rooms", {}, 0);
  });

  it("count open event streams: a statement's and a person's notifications", async () => {
    const { documentId, cookie } = await createStatement(db.sql);
    await metricBecomes("concord_event_streams", { kind: "statement" }, 0);
    const stream = await openEventStream(server.url, documentId, cookie);
    await metricBecomes("concord_event_streams", { kind: "statement" }, 1);
    stream.close();
    await metricBecomes("concord_event_streams", { kind: "statement" }, 0);

    const notices = await fetch(`${server.url}/notifications/events`, { headers: { cookie } });
    expect(notices.status).toBe(200);
    await metricBecomes("concord_event_streams", { kind: "notifications" }, 1);
    await notices.body!.cancel();
    await metricBecomes("concord_event_streams", { kind: "notifications" }, 0);
  });

  it("measure the relay's lag between instances sharing a Redis", async () => {
    const env = { ...redisEnv(), METRICS_PORT: "0" };
    const a = await spawnServer({ databaseUrl: db.url, env });
    await spawnServer({ databaseUrl: db.url, env });
    const aMetrics = metricsAddress(a);
    // Each instance hears the other's heartbeat once a second.
    await waitFor(async () => (sampleValue(await scrape(aMetrics), "concord_relay_lag_seconds_count") ?? 0) >= 2, {
      what: "heartbeats of the other instance",
    });
  });
});

describe("the metrics configuration", () => {
  for (const [env, variable] of [
    [{ PORT: "4100", METRICS_PORT: "4100" }, "METRICS_PORT"],
    [{ METRICS_TOKEN: "short" }, "METRICS_TOKEN"],
  ] as const) {
    it(`${variable} refused: ${JSON.stringify(env)}`, async () => {
      const result = await runServerToExit({ DATABASE_URL: "postgres://nobody@127.0.0.1:1/none", ...env });
      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toMatch(new RegExp(`^Invalid configuration: ${variable} `));
      expect(result.stderr).not.toContain("short");
    });
  }
});
