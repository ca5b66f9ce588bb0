import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { projectRoot } from "./project-root";
import express from "express";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import type { Config } from "./config";
import type { Sql } from "./db/sql";
import { createCollabEndpoint, type CollabEndpoint } from "./collab/endpoint";
import { postgresStore } from "./collab/store";
import { createRedisRelay } from "./collab/redis-relay";
import { collabAccess } from "./collab/authorize";
import { subscribeAccessEvents } from "./auth/access-events";
import { createAuth, sessionSecret, type Auth } from "./auth/service";
import { createOidcClient } from "./auth/oidc-client";
import { createSingleSignOn, type SingleSignOn } from "./auth/single-sign-on";
import { rejectCrossSiteWrites } from "./http/same-origin";
import { assignCspNonce, cspNonce, securityHeaders } from "./http/security-headers";
import { answerExpressError, withErrorReferences } from "./http/error-references";
import { healthz, readyz } from "./http/health";
import { logAnswered, openRequestLog, requestLogging, requestLogOf, type RequestLog } from "./http/request-log";
import { remixRoutePatterns, requestNamer } from "./http/routes";
import { logFunction, logger } from "./log";
import { Metrics, metricsByToken, serveMetrics } from "./metrics";
import { subscribeNegotiationEvents } from "./negotiation/events";
import { createLiveUpdates, type LiveUpdates } from "./negotiation/live";
import { textLocks } from "./queries/clause-states";
import { findDocument } from "./queries/documents";
import { proposalModel, statementModel } from "./collab/document-models";
import { announcingTranslations } from "./translations/translation-events";
import { createSilenceScheduler } from "./negotiation/silence-scheduler";
import { createCheckpointScheduler } from "./versions/checkpoints";
import { createNotificationStreams, subscribeNotifications, type NotificationStreams } from "./notifications/live";
import { createDeadlineNotices } from "./notifications/deadline-notices";
import { setMailing } from "./mail/outbox";
import { createMailSender } from "./mail/sender";

export interface Concord {
  server: http.Server;
  /** The metrics' own listener (METRICS_PORT), already listening. */
  metricsServer?: http.Server;
  collab: CollabEndpoint;
  live: LiveUpdates;
  /** Each person's notification stream. */
  notifications: NotificationStreams;
  /** Stops taking connections, makes every received update durable, and closes. */
  close(): Promise<void>;
}

/** Everything Remix loaders and actions receive as `context`. */
export interface AppContext {
  sql: Sql;
  config: Config;
  auth: Auth;
  /** "Sign in with your organisation" (OpenID Connect), when OIDC_ISSUER is set. */
  sso: SingleSignOn | null;
  /** The collaboration server, for changes the server makes to a document (a chair's decision). */
  collab: CollabEndpoint;
  /** The event streams of pages showing a statement, whose version a page's data is read at. */
  live: LiveUpdates;
  /** The client's network address, for rate limits. */
  clientAddress: string;
  /** The nonce this response's inline scripts carry (server/http/security-headers.ts). */
  cspNonce: string;
  /** This request's log, and the error reference it is shown and logged under if it meets an unexpected error. */
  requestLog: RequestLog;
}

declare module "@remix-run/node" {
  interface AppLoadContext extends AppContext {}
  interface Future {
    v3_singleFetch: true;
  }
}

async function loadRemixBuild(): Promise<ServerBuild> {
  const file = path.join(projectRoot, "build", "index.js");
  try {
    return (await import(pathToFileURL(file).href)) as ServerBuild;
  } catch (err) {
    throw new Error(`The web app is not built (${file}): run \`npm run build\` first. ${(err as Error).message}`, { cause: err });
  }
}

/** The server's own routes, besides the Remix app's (Express patterns, also the names the log and metrics give requests). */
const routes = {
  healthz: "/healthz",
  readyz: "/readyz",
  metrics: "/metrics",
  statementEvents: "/documents/:documentId/events",
  notificationEvents: "/notifications/events",
  collab: "/collab/:documentId",
  build: "/build/*",
};

/** One HTTP server for the Remix app and, on /collab/<documentId>, the y-websocket endpoint. */
export async function createConcord({ sql, config }: { sql: Sql; config: Config }): Promise<Concord> {
  logger.level = config.LOG_LEVEL;
  const build = await loadRemixBuild();
  const nameRequest = requestNamer([
    ...Object.values(routes),
    ...remixRoutePatterns(build.routes),
    // The favicon and the like.
    ...fs.readdirSync(path.join(projectRoot, "public"), { withFileTypes: true }).flatMap((f) => (f.isFile() ? [`/${f.name}`] : [])),
  ]);
  // Metrics are kept only when something may read them.
  const metrics = config.METRICS_PORT !== undefined || config.METRICS_TOKEN ? await Metrics.create() : undefined;
  const secret = await sessionSecret(sql, config.SESSION_SECRET);
  const auth = createAuth({ sql, secret, secureCookies: config.COOKIE_SECURE, passwordSignIn: config.PASSWORD_SIGN_IN });
  // The provider is discovered at the first sign-in, not here: Concord starts while it is unreachable.
  const sso =
    config.OIDC_ISSUER && config.OIDC_CLIENT_ID && config.OIDC_CLIENT_SECRET
      ? createSingleSignOn({
          sql,
          oidc: createOidcClient({ issuer: config.OIDC_ISSUER, clientId: config.OIDC_CLIENT_ID, clientSecret: config.OIDC_CLIENT_SECRET }),
          name: config.OIDC_NAME,
          auth,
          secret,
          secureCookies: config.COOKIE_SECURE,
        })
      : null;
  // Without REDIS_URL this process serves its documents alone, as before.
  const relay = config.REDIS_URL
    ? await createRedisRelay({
        url: config.REDIS_URL,
        prefix: config.REDIS_PREFIX,
        log: logFunction("relay"),
        lag: metrics?.observeRelayLag,
      })
    : undefined;
  const store = postgresStore(sql);
  const collab = createCollabEndpoint({
    store: announcingTranslations(metrics ? metrics.measuredStore(store) : store, sql),
    relay,
    log: logFunction("collab"),
    loadLocks: (documentId) => textLocks(sql, documentId),
    // A proposal's draft and a clause's translation are each the body of one clause.
    loadModel: async (documentId) => ((await findDocument(sql, documentId))?.kind === "statement" ? statementModel : proposalModel),
    ...collabAccess(sql, auth),
    maxMessageBytes: config.COLLAB_MAX_MESSAGE_BYTES,
    compactAfter: config.COLLAB_COMPACT_AFTER,
    maxConnectionsPerUser: config.COLLAB_MAX_CONNECTIONS_PER_USER,
    maxBufferedBytes: config.COLLAB_MAX_BUFFERED_BYTES,
  });

  const notifications = createNotificationStreams({ sql, auth });
  const live = createLiveUpdates({ sql, auth, notifications });
  metrics?.watch({ collab, live, notifications });
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", config.TRUST_PROXY);
  app.use(requestLogging({ trustProxy: config.TRUST_PROXY, nameRequest, observe: metrics?.observeRequest }));
  // Probes and metrics come before everything else: they need no session, no nonce and no Remix.
  app.get(routes.healthz, healthz);
  app.get(routes.readyz, readyz({ sql, redisConnected: relay && (() => relay.connected()) }));
  if (metrics && config.METRICS_TOKEN) app.get(routes.metrics, metricsByToken(metrics, config.METRICS_TOKEN));
  app.use(assignCspNonce);
  app.use(securityHeaders({ https: config.NODE_ENV === "production" || config.COOKIE_SECURE }));
  app.use(rejectCrossSiteWrites);
  app.use("/build", express.static(path.join(projectRoot, "public", "build"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(path.join(projectRoot, "public"), { maxAge: "1h" }));
  app.get(routes.statementEvents, (req, res) => live.handle(req, res));
  app.get(routes.notificationEvents, (req, res) => notifications.handle(req, res));
  const handleRequest = createRequestHandler({
    build: withErrorReferences(build),
    // Remix's development mode sends errors to the browser with their stacks; whatever NODE_ENV
    // says, nobody but the server log sees those (app/entry.server.tsx, handleError).
    mode: "production",
    getLoadContext: (req, res) => ({
      sql,
      config,
      auth,
      sso,
      collab,
      live,
      clientAddress: req.ip ?? "unknown",
      cspNonce: cspNonce(res),
      requestLog: requestLogOf(res),
    }),
  });
  // Express 4 does not await a handler: a rejection goes to the error handler below.
  app.all("*", (req, res, next) => {
    handleRequest(req, res, next).catch(next);
  });
  app.use(answerExpressError);

  const unlisten = await subscribeAccessEvents(sql, (event) => {
    collab.handleAccessEvent(event).catch((err) => logger.error({ component: "collab", err }, "applying an access change failed"));
    live.handleAccessEvent(event).catch((err) => logger.error({ component: "live", err }, "applying an access change failed"));
    notifications.handleAccessEvent(event);
  });
  const unlistenNotifications = await subscribeNotifications(sql, (userId) => notifications.changed(userId));
  const deadlines = createDeadlineNotices({ sql });
  const silence = createSilenceScheduler({ sql });
  const unlistenNegotiation = await subscribeNegotiationEvents(sql, (event) => {
    live.dispatch(event);
    if (event.topic === "states" || event.topic === "silence") {
      // Every instance enforces the locks of the rooms it holds.
      collab.refreshLocks(event.documentId).catch((err) => logger.error({ component: "collab", err }, "reloading locks failed"));
    }
    if (event.topic === "silence") {
      silence.refresh(event.documentId);
      deadlines.refresh(event.documentId);
    }
  });
  // Without SMTP_URL nothing is queued; with it, every instance sends (each message once).
  setMailing(Boolean(config.SMTP_URL));
  const mail =
    config.SMTP_URL && config.PUBLIC_URL && config.MAIL_FROM
      ? createMailSender({ sql, auth, smtpUrl: config.SMTP_URL, from: config.MAIL_FROM, origin: config.PUBLIC_URL })
      : null;
  await mail?.start();
  await silence.start();
  await deadlines.start();
  const checkpoints = createCheckpointScheduler({
    sql,
    collab,
    intervalMs: config.VERSION_CHECKPOINT_MINUTES * 60_000,
    keep: config.VERSION_CHECKPOINTS_KEPT,
  });

  const server = http.createServer(app);
  server.on("upgrade", (req, socket, head) => {
    socket.on("error", () => socket.destroy());
    const started = performance.now();
    // The path as requested, not through URL: `//x` would read as a host.
    const named = nameRequest((req.url ?? "/").split("?")[0]);
    const request = openRequestLog(req, named, config.TRUST_PROXY);
    const handled = collab.handleUpgrade(req, socket, head, {
      id: request.id,
      log: logFunction("collab", request.log),
      answered(status) {
        const seconds = (performance.now() - started) / 1000;
        metrics?.observeRequest(req.method ?? "GET", named.route, status, seconds);
        logAnswered(request, named.route, status, seconds);
      },
    });
    if (!handled) socket.destroy();
  });
  const metricsServer =
    metrics && config.METRICS_PORT !== undefined ? await serveMetrics(metrics, config.METRICS_PORT, config.HOST) : undefined;

  return {
    server,
    metricsServer,
    collab,
    live,
    notifications,
    async close() {
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      live.close();
      notifications.close();
      await silence.stop();
      await deadlines.stop();
      await mail?.stop();
      await checkpoints.stop();
      await unlisten();
      await unlistenNegotiation();
      await unlistenNotifications();
      await collab.close();
      await relay?.close();
      server.closeAllConnections();
      await stopped;
      if (metricsServer) {
        const metricsStopped = new Promise<void>((resolve) => metricsServer.close(() => resolve()));
        metricsServer.closeAllConnections();
        await metricsStopped;
      }
    },
  };
}
