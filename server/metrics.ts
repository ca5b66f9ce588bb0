import http from "node:http";
import { createHash, timingSafeEqual } from "node:crypto";
import type { Request, Response } from "express";
import type * as Prom from "prom-client";
import type { DocumentStore } from "./collab/room";
import type { CollabEndpoint } from "./collab/endpoint";
import type { LiveUpdates } from "./negotiation/live";
import type { NotificationStreams } from "./notifications/live";
import { logger } from "./log";

/** What the gauges read when Prometheus scrapes: nothing is counted on the way for them. */
export interface MetricSources {
  collab: CollabEndpoint;
  live: LiveUpdates;
  notifications: NotificationStreams;
}

/** Store writes and relay messages take milliseconds; the default buckets start at 5 ms. */
const fastBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const methods = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/**
 * The Prometheus metrics of this process (METRICS_PORT or METRICS_TOKEN; none are kept without
 * either). The hot paths only add to counters and histograms: one observation per HTTP request,
 * per stored batch of document updates and per relay heartbeat. Connections, rooms, paused rooms
 * and event streams are read from the server when scraped.
 */
export class Metrics {
  readonly registry: Prom.Registry;
  private readonly httpDuration: Prom.Histogram<"method" | "route" | "status">;
  private readonly updatesStored: Prom.Counter;
  private readonly storeWrite: Prom.Histogram;
  private readonly relayLag: Prom.Histogram;

  /** The metrics, with prom-client loaded now: a server that keeps none never loads it. */
  static async create(): Promise<Metrics> {
    return new Metrics(await import("prom-client"));
  }

  private constructor(private readonly prom: typeof Prom) {
    const registers = [(this.registry = new prom.Registry())];
    this.httpDuration = new prom.Histogram({
      name: "concord_http_request_duration_seconds",
      help: "HTTP requests by method, route pattern and status class, from arrival to the end of the answer (WebSocket upgrades: to the handshake; event streams are not included)",
      labelNames: ["method", "route", "status"] as const,
      registers,
    });
    this.updatesStored = new prom.Counter({
      name: "concord_collab_updates_stored_total",
      help: "Document updates appended to the update log (what arrived during a write is merged into one)",
      registers,
    });
    this.storeWrite = new prom.Histogram({
      name: "concord_collab_store_write_seconds",
      help: "Time to append a batch of document updates to PostgreSQL (successful writes)",
      buckets: fastBuckets,
      registers,
    });
    this.relayLag = new prom.Histogram({
      name: "concord_relay_lag_seconds",
      help: "Time from another instance publishing its heartbeat on Redis to this instance receiving it (includes the hosts' clock difference)",
      buckets: fastBuckets,
      registers,
    });
    prom.collectDefaultMetrics({ register: this.registry });
  }

  observeRequest = (method: string, route: string, status: number, seconds: number): void => {
    this.httpDuration.observe({ method: methods.has(method) ? method : "other", route, status: `${Math.floor(status / 100)}xx` }, seconds);
  };

  observeRelayLag = (seconds: number): void => {
    this.relayLag.observe(seconds);
  };

  /** The store, with its appends counted and timed. */
  measuredStore(store: DocumentStore): DocumentStore {
    return {
      ...store,
      append: async (documentId, updates, claims) => {
        const started = performance.now();
        await store.append(documentId, updates, claims);
        this.storeWrite.observe((performance.now() - started) / 1000);
        this.updatesStored.inc(updates.length);
      },
    };
  }

  /** The gauges, read from the running server at each scrape. */
  watch({ collab, live, notifications }: MetricSources): void {
    const registers = [this.registry];
    new this.prom.Gauge({
      name: "concord_collab_connections",
      help: "Open collaboration (WebSocket) connections",
      registers,
      collect() {
        this.set(collab.stats().connections);
      },
    });
    new this.prom.Gauge({
      name: "concord_collab_rooms",
      help: "Documents open on this instance",
      registers,
      collect() {
        this.set(collab.rooms.size);
      },
    });
    new this.prom.Gauge({
      name: "concord_collab_rooms_saving_paused",
      help: "Open documents whose saving is paused: the database refused their last write, edits are held and retried",
      registers,
      collect() {
        let paused = 0;
        for (const room of collab.rooms.values()) if (room.savingPaused) paused += 1;
        this.set(paused);
      },
    });
    new this.prom.Gauge({
      name: "concord_event_streams",
      help: "Open Server-Sent Events streams: statement pages and screens (statement), notification bells (notifications)",
      labelNames: ["kind"] as const,
      registers,
      collect() {
        this.set({ kind: "statement" }, live.count());
        this.set({ kind: "notifications" }, notifications.count());
      },
    });
  }

  async answer(res: http.ServerResponse): Promise<void> {
    const body = await this.registry.metrics();
    res.writeHead(200, { "Content-Type": this.registry.contentType, "Cache-Control": "no-store" });
    res.end(body);
  }
}

const digest = (value: string) => createHash("sha256").update(value).digest();

/**
 * GET /metrics on the main port (METRICS_TOKEN): only with `Authorization: Bearer <token>`,
 * compared in constant time; 401 otherwise, saying nothing of the metrics.
 */
export function metricsByToken(metrics: Metrics, token: string) {
  const expected = digest(token);
  return (req: Request, res: Response): void => {
    const given = /^Bearer (.+)$/.exec(req.get("authorization") ?? "")?.[1] ?? "";
    if (!timingSafeEqual(digest(given), expected)) {
      res.status(401).set("WWW-Authenticate", 'Bearer realm="metrics"').type("text/plain").send("A metrics token is needed.");
      return;
    }
    metrics.answer(res).catch((err) => {
      logger.error({ component: "metrics", err }, "collecting the metrics failed");
      if (!res.headersSent) res.status(500).type("text/plain").send("The metrics could not be collected.");
    });
  };
}

/**
 * The metrics on a listener of their own (METRICS_PORT, on HOST): GET /metrics and nothing else,
 * with no authentication, for a port only Prometheus reaches.
 */
export async function serveMetrics(metrics: Metrics, port: number, host: string): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    if (req.method !== "GET" || new URL(req.url ?? "/", "http://localhost").pathname !== "/metrics") {
      res.writeHead(404, { "Content-Type": "text/plain" }).end("Not found: the metrics are at /metrics.");
      return;
    }
    metrics.answer(res).catch((err) => {
      logger.error({ component: "metrics", err }, "collecting the metrics failed");
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain" });
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}
