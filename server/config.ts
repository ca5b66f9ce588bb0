import path from "node:path";
import { z } from "zod";

const port = z.coerce
  .number({ error: "must be a number" })
  .int("must be a whole number")
  .min(0, "must be between 0 and 65535")
  .max(65535, "must be between 0 and 65535");

export const logLevels = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: port.default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  DATABASE_URL: z
    .string()
    .refine((v) => /^postgres(ql)?:\/\//.test(v), "must be a postgres:// or postgresql:// URL")
    .optional(),
  /** Several instances serving the same documents exchange edits and presence through this Redis. */
  REDIS_URL: z
    .string()
    .refine((v) => /^rediss?:\/\//.test(v), "must be a redis:// or rediss:// URL")
    .optional(),
  /** Prefix of the Redis channel names, so deployments sharing one Redis stay apart. */
  REDIS_PREFIX: z.string().min(1, "must not be empty").default("concord:"),
  DATA_DIR: z.string().min(1, "must not be empty").default("./data"),
  SEED_DEMO: z
    .enum(["true", "false", "1", "0"], { error: "must be true or false" })
    .optional()
    .transform((v) => (v === undefined ? undefined : v === "true" || v === "1")),
  /** Signs session cookies; when unset, a secret generated once is kept in the database. */
  SESSION_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  /** Mark cookies Secure (HTTPS only); on by default in production. */
  COOKIE_SECURE: z
    .enum(["true", "false", "1", "0"], { error: "must be true or false" })
    .optional()
    .transform((v) => (v === undefined ? undefined : v === "true" || v === "1")),
  /** Behind a reverse proxy: take the client address from X-Forwarded-For (for sign-in limits). */
  TRUST_PROXY: z
    .enum(["true", "false", "1", "0"], { error: "must be true or false" })
    .default("false")
    .transform((v) => v === "true" || v === "1"),
  /**
   * The address people reach Concord at (https://concord.example.org), for links sent to them; behind a
   * proxy that rewrites the host, the request's own host is not theirs. Unset: the request's origin.
   */
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" })
    .transform((v) => new URL(v).origin)
    .optional(),
  /**
   * Single sign-on ("Sign in with your organisation") through this OpenID Connect provider: its issuer
   * URL, where /.well-known/openid-configuration is found. Needs OIDC_CLIENT_ID and OIDC_CLIENT_SECRET.
   */
  OIDC_ISSUER: z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" }).optional(),
  OIDC_CLIENT_ID: z.string().trim().min(1, "must not be empty").optional(),
  OIDC_CLIENT_SECRET: z.string().min(1, "must not be empty").optional(),
  /** The provider as the sign-in button names it: "Sign in with …". */
  OIDC_NAME: z.string().trim().min(1, "must not be empty").max(60, "must be at most 60 characters").default("your organisation"),
  /** false: nobody signs in with a password (single sign-on only); the server refuses it, not just the page. */
  PASSWORD_SIGN_IN: z
    .enum(["true", "false", "1", "0"], { error: "must be true or false" })
    .default("true")
    .transform((v) => v === "true" || v === "1"),
  /**
   * The SMTP server e-mail goes through (smtp://user:pass@host:587, or smtps:// for TLS from the
   * start). Unset: nothing is sent, and the pages show the links to hand over instead.
   */
  SMTP_URL: z
    .string()
    .refine((v) => URL.canParse(v) && /^smtps?:$/.test(new URL(v).protocol), "must be an smtp:// or smtps:// URL")
    .optional(),
  /** The sender of Concord's e-mail ("Concord <concord@example.org>"); by default no-reply at PUBLIC_URL's host. */
  MAIL_FROM: z.string().min(3, "must be an e-mail address, optionally with a name").optional(),
  ADMIN_EMAIL: z.email("must be an e-mail address").default("admin@concord.local"),
  ADMIN_PASSWORD: z.string().min(10, "must be at least 10 characters").optional(),
  /** Password of every demo account (seeded outside production); generated and printed when unset. */
  DEMO_PASSWORD: z.string().min(8, "must be at least 8 characters").optional(),
  /** Largest WebSocket message accepted from a client, in bytes. */
  COLLAB_MAX_MESSAGE_BYTES: z.coerce
    .number({ error: "must be a number" })
    .int()
    .min(1024, "must be at least 1024")
    .default(8 * 1024 * 1024),
  /** Update-log rows after which a document's log is compacted into its snapshot. */
  COLLAB_COMPACT_AFTER: z.coerce.number({ error: "must be a number" }).int().min(1, "must be at least 1").default(500),
  /** Open collaboration connections one person may have at once, all documents together (more get HTTP 429). */
  COLLAB_MAX_CONNECTIONS_PER_USER: z.coerce.number({ error: "must be a number" }).int().min(1, "must be at least 1").default(20),
  /** Unsent output a connection may have queued; a client that falls further behind is disconnected and resyncs. */
  COLLAB_MAX_BUFFERED_BYTES: z.coerce
    .number({ error: "must be a number" })
    .int()
    .min(64 * 1024, "must be at least 65536")
    .default(8 * 1024 * 1024),
  /** While a statement's text changes, an automatic checkpoint is kept at most this often (minutes; fractions allowed). */
  VERSION_CHECKPOINT_MINUTES: z.coerce.number({ error: "must be a number" }).min(0.01, "must be at least 0.01").default(5),
  /** Timed checkpoints kept per statement at most (see server/queries/versions.ts thinCheckpoints). */
  VERSION_CHECKPOINTS_KEPT: z.coerce.number({ error: "must be a number" }).int().min(1, "must be at least 1").default(300),
  /** The least severe log lines written (JSON lines on stdout); `info` includes a line per request. */
  LOG_LEVEL: z.enum(logLevels, { error: `must be one of ${logLevels.join(", ")}` }).default("info"),
  /** Serves the Prometheus metrics on this port of HOST, a listener of their own (`0` picks a free one). */
  METRICS_PORT: port.optional(),
  /** Serves the Prometheus metrics at /metrics on PORT too, to requests with `Authorization: Bearer <this>`. */
  METRICS_TOKEN: z.string().min(32, "must be at least 32 characters").optional(),
});

/** Values never repeated in an error message, since start-up output ends up in logs. */
const secretNames = new Set([
  "SESSION_SECRET",
  "ADMIN_PASSWORD",
  "DEMO_PASSWORD",
  "DATABASE_URL",
  "REDIS_URL",
  "METRICS_TOKEN",
  "OIDC_CLIENT_SECRET",
  "SMTP_URL",
]);

export type Config = Omit<z.output<typeof envSchema>, "SEED_DEMO" | "COOKIE_SECURE"> & { SEED_DEMO: boolean; COOKIE_SECURE: boolean };

export class ConfigError extends Error {}

/** Reads and validates the environment; a bad value is reported as one readable line. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ""));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue.path[0] ?? "environment");
    const shown = secretNames.has(name) ? "(value hidden)" : `(got ${JSON.stringify(env[name] ?? "")})`;
    throw new ConfigError(`Invalid configuration: ${name} ${issue.message} ${shown}`);
  }
  const c = parsed.data;
  if (c.METRICS_PORT && c.METRICS_PORT === c.PORT)
    throw new ConfigError(`Invalid configuration: METRICS_PORT must differ from PORT (got ${JSON.stringify(env.METRICS_PORT)})`);
  singleSignOnProblem(c);
  // A notice is mailed outside any request, so its links can only be built on the configured address.
  if (c.SMTP_URL && !c.PUBLIC_URL)
    throw new ConfigError("Invalid configuration: PUBLIC_URL must be set with SMTP_URL (the links in e-mail are built on it)");
  return {
    ...c,
    DATA_DIR: path.resolve(c.DATA_DIR),
    SEED_DEMO: c.SEED_DEMO ?? c.NODE_ENV !== "production",
    COOKIE_SECURE: c.COOKIE_SECURE ?? c.NODE_ENV === "production",
    MAIL_FROM: c.MAIL_FROM ?? (c.PUBLIC_URL ? `Concord <no-reply@${new URL(c.PUBLIC_URL).hostname}>` : undefined),
  };
}

/** Single sign-on is configured whole or not at all, over HTTPS in production, and is there when passwords are switched off. */
function singleSignOnProblem(c: z.output<typeof envSchema>): void {
  const given = (["OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"] as const).filter((name) => c[name] !== undefined);
  const missing = (["OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"] as const).filter((name) => c[name] === undefined);
  if (given.length > 0 && missing.length > 0) {
    throw new ConfigError(`Invalid configuration: ${missing[0]} must be set with ${given[0]} (single sign-on needs all three)`);
  }
  if (c.OIDC_ISSUER && c.NODE_ENV === "production" && !c.OIDC_ISSUER.startsWith("https://")) {
    throw new ConfigError(
      `Invalid configuration: OIDC_ISSUER must be an https:// URL in production (got ${JSON.stringify(c.OIDC_ISSUER)})`,
    );
  }
  if (!c.PASSWORD_SIGN_IN && !c.OIDC_ISSUER) {
    throw new ConfigError("Invalid configuration: PASSWORD_SIGN_IN=false needs single sign-on (OIDC_ISSUER), or nobody could sign in");
  }
}
