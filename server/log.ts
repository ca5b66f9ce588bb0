import { pino, type Logger } from "pino";

export type { Logger };

/**
 * Keys whose values never reach the log, at the top of a line or one object down (`{ config }`,
 * `{ headers }`): a line that carries one by mistake says "[redacted]" instead.
 */
const secretKeys = [
  "password",
  "token",
  "secret",
  "cookie",
  "authorization",
  "SESSION_SECRET",
  "ADMIN_PASSWORD",
  "DEMO_PASSWORD",
  "METRICS_TOKEN",
  "DATABASE_URL",
  "REDIS_URL",
  "SMTP_URL",
  "OIDC_CLIENT_SECRET",
  "databaseUrl",
  "redisUrl",
  "smtpUrl",
  "clientSecret",
];
const redactedPaths = [
  ...secretKeys.flatMap((key) => [key, `*.${key}`]),
  'headers["set-cookie"]',
  '*.headers["set-cookie"]',
  "*.headers.cookie",
  "*.headers.authorization",
];

/**
 * An error as the log shows it: its kind, message, code, stack and cause, nothing else. The
 * standard serializer copies every property, and postgres.js errors carry the statement's query and
 * parameters (a stored update, a password hash, a session), which must never reach the log.
 */
export function serializeError(err: unknown, depth = 0): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: typeof err === "string" ? err : `a thrown ${typeof err}` };
  const shown: Record<string, unknown> = { type: err.name, message: err.message, stack: err.stack };
  const code = (err as { code?: unknown }).code;
  if (typeof code === "string" || typeof code === "number") shown.code = code;
  if (err.cause !== undefined && depth < 3) shown.cause = serializeError(err.cause, depth + 1);
  return shown;
}

const shared = Symbol.for("concord.logger");

/**
 * The server's one logger: JSON lines on stdout, `level` as a word, `time` in ISO 8601. Its level
 * is LOG_LEVEL, set once the configuration is read (server/main.ts, createConcord). Modules log on
 * it with a `component` field rather than through child loggers made at load time, which would
 * keep the level they were made with; a request's lines come from its own child
 * (server/http/request-log.ts), made after the level is set.
 *
 * One per process: the server bundle (build/server.js) and the Remix bundle (build/index.js) each
 * hold a copy of this module, and the second to load takes the first one's logger. It is made on
 * first use: route modules import server modules that import this one, and the browser's bundle of
 * a route keeps their top-level code, where making a logger (process.pid) would fail.
 */
const current = (): Logger =>
  ((globalThis as { [shared]?: Logger })[shared] ??= pino({
    level: "info",
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    serializers: { err: serializeError },
    redact: { paths: redactedPaths, censor: "[redacted]" },
  }));

export const logger: Logger = new Proxy({} as Logger, {
  get(_target, key) {
    const log = current();
    const value: unknown = Reflect.get(log, key, log);
    return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(log) : value;
  },
  set: (_target, key, value) => Reflect.set(current(), key, value),
});

/** The `(msg, err?)` log function of the collaboration server and the schedulers: a failure with its error, or else a warning. */
export type LogFunction = (msg: string, err?: unknown) => void;

export function logFunction(component: string, log: Logger = logger): LogFunction {
  return (msg, err) => (err === undefined ? log.warn({ component }, msg) : log.error({ component, err }, msg));
}
