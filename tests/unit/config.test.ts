import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../server/config";

// Remix's types make NODE_ENV a required key of ProcessEnv; a test environment may leave it out.
const load = (env: Record<string, string>) => loadConfig(env as NodeJS.ProcessEnv);

/** Runs loadConfig and returns the ConfigError's message (failing the test if there was none). */
function configError(env: Record<string, string>): string {
  try {
    load(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe("loadConfig", () => {
  it("has working defaults for an empty environment", () => {
    const config = load({});
    expect(config).toMatchObject({
      NODE_ENV: "development",
      PORT: 3000,
      HOST: "0.0.0.0",
      DATA_DIR: path.resolve("./data"),
      SEED_DEMO: true,
      COLLAB_MAX_MESSAGE_BYTES: 8 * 1024 * 1024,
      COLLAB_COMPACT_AFTER: 500,
    });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.REDIS_URL).toBeUndefined();
    // Logs at info; no metrics unless asked for.
    expect(config.LOG_LEVEL).toBe("info");
    expect(config.METRICS_PORT).toBeUndefined();
    expect(config.METRICS_TOKEN).toBeUndefined();
  });

  it("reads and coerces the values it is given", () => {
    const config = load({
      PORT: "0",
      HOST: "127.0.0.1",
      DATABASE_URL: "postgresql://u@db:5432/concord",
      DATA_DIR: "/var/lib/concord",
      SEED_DEMO: "0",
      COLLAB_MAX_MESSAGE_BYTES: "2048",
      COLLAB_COMPACT_AFTER: "3",
    });
    expect(config).toMatchObject({
      PORT: 0,
      HOST: "127.0.0.1",
      DATABASE_URL: "postgresql://u@db:5432/concord",
      DATA_DIR: "/var/lib/concord",
      SEED_DEMO: false,
      COLLAB_MAX_MESSAGE_BYTES: 2048,
      COLLAB_COMPACT_AFTER: 3,
    });
  });

  it("seeds the demo by default except in production, where it must be asked for", () => {
    expect(load({ NODE_ENV: "production" }).SEED_DEMO).toBe(false);
    expect(load({ NODE_ENV: "production", SEED_DEMO: "true" }).SEED_DEMO).toBe(true);
    expect(load({ NODE_ENV: "test" }).SEED_DEMO).toBe(true);
  });

  it("marks cookies Secure by default only in production", () => {
    expect(load({}).COOKIE_SECURE).toBe(false);
    expect(load({ NODE_ENV: "production" }).COOKIE_SECURE).toBe(true);
    expect(load({ NODE_ENV: "production", COOKIE_SECURE: "false" }).COOKIE_SECURE).toBe(false);
  });

  it("treats empty variables as unset", () => {
    const config = load({ PORT: "", DATABASE_URL: "" });
    expect(config.PORT).toBe(3000);
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it.each([
    [{ PORT: "abc" }, 'Invalid configuration: PORT must be a number (got "abc")'],
    [{ PORT: "70000" }, 'Invalid configuration: PORT must be between 0 and 65535 (got "70000")'],
    [{ PORT: "-1" }, 'Invalid configuration: PORT must be between 0 and 65535 (got "-1")'],
    [{ PORT: "80.5" }, 'Invalid configuration: PORT must be a whole number (got "80.5")'],
    [
      { DATABASE_URL: "mysql://user:pw@localhost/x" },
      "Invalid configuration: DATABASE_URL must be a postgres:// or postgresql:// URL (value hidden)",
    ],
    [{ REDIS_URL: "http://:secret@cache:6379" }, "Invalid configuration: REDIS_URL must be a redis:// or rediss:// URL (value hidden)"],
    [{ SEED_DEMO: "maybe" }, 'Invalid configuration: SEED_DEMO must be true or false (got "maybe")'],
    [{ COLLAB_MAX_MESSAGE_BYTES: "10" }, 'Invalid configuration: COLLAB_MAX_MESSAGE_BYTES must be at least 1024 (got "10")'],
    [{ SESSION_SECRET: "short" }, "Invalid configuration: SESSION_SECRET must be at least 32 characters (value hidden)"],
    [{ ADMIN_PASSWORD: "short" }, "Invalid configuration: ADMIN_PASSWORD must be at least 10 characters (value hidden)"],
    [{ TRUST_PROXY: "yes" }, 'Invalid configuration: TRUST_PROXY must be true or false (got "yes")'],
    [{ COLLAB_COMPACT_AFTER: "0" }, 'Invalid configuration: COLLAB_COMPACT_AFTER must be at least 1 (got "0")'],
    [
      { LOG_LEVEL: "verbose" },
      'Invalid configuration: LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "verbose")',
    ],
    [{ METRICS_TOKEN: "short" }, "Invalid configuration: METRICS_TOKEN must be at least 32 characters (value hidden)"],
    [{ PORT: "9100", METRICS_PORT: "9100" }, 'Invalid configuration: METRICS_PORT must differ from PORT (got "9100")'],
    [{ SMTP_URL: "http://user:secret@mail:25" }, "Invalid configuration: SMTP_URL must be an smtp:// or smtps:// URL (value hidden)"],
    [
      { SMTP_URL: "smtp://user:secret@mail:587" },
      "Invalid configuration: PUBLIC_URL must be set with SMTP_URL (the links in e-mail are built on it)",
    ],
  ])("reports %j as one readable line", (env, message) => {
    const error = configError(env);
    expect(error).toBe(message);
    expect(error).not.toContain("\n");
  });

  it("reports the first bad variable when several are wrong", () => {
    expect(configError({ PORT: "x", DATABASE_URL: "nope" })).toMatch(/^Invalid configuration: (PORT|DATABASE_URL) /);
  });

  describe("single sign-on", () => {
    const sso = { OIDC_ISSUER: "https://login.example.org/realms/un", OIDC_CLIENT_ID: "concord", OIDC_CLIENT_SECRET: "s3cret-never-shown" };

    it("is off by default, with password sign-in on", () => {
      const config = load({});
      expect(config.OIDC_ISSUER).toBeUndefined();
      expect(config.PASSWORD_SIGN_IN).toBe(true);
      expect(config.OIDC_NAME).toBe("your organisation");
    });

    it("reads the provider, its name, and password sign-in switched off", () => {
      const config = load({ ...sso, OIDC_NAME: "UN Secretariat", PASSWORD_SIGN_IN: "false" });
      expect(config).toMatchObject({ ...sso, OIDC_NAME: "UN Secretariat", PASSWORD_SIGN_IN: false });
    });

    it.each([
      [
        { OIDC_ISSUER: sso.OIDC_ISSUER },
        "Invalid configuration: OIDC_CLIENT_ID must be set with OIDC_ISSUER (single sign-on needs all three)",
      ],
      [
        { OIDC_CLIENT_ID: "concord", OIDC_CLIENT_SECRET: sso.OIDC_CLIENT_SECRET },
        "Invalid configuration: OIDC_ISSUER must be set with OIDC_CLIENT_ID (single sign-on needs all three)",
      ],
      [
        { OIDC_ISSUER: sso.OIDC_ISSUER, OIDC_CLIENT_ID: "concord" },
        "Invalid configuration: OIDC_CLIENT_SECRET must be set with OIDC_ISSUER (single sign-on needs all three)",
      ],
      [
        { ...sso, OIDC_ISSUER: "ldap://login.example.org" },
        'Invalid configuration: OIDC_ISSUER must be an http:// or https:// URL (got "ldap://login.example.org")',
      ],
      [
        { ...sso, OIDC_ISSUER: "http://login.example.org", NODE_ENV: "production" },
        'Invalid configuration: OIDC_ISSUER must be an https:// URL in production (got "http://login.example.org")',
      ],
      [
        { PASSWORD_SIGN_IN: "false" },
        "Invalid configuration: PASSWORD_SIGN_IN=false needs single sign-on (OIDC_ISSUER), or nobody could sign in",
      ],
      [{ PASSWORD_SIGN_IN: "no" }, 'Invalid configuration: PASSWORD_SIGN_IN must be true or false (got "no")'],
    ])("refuses %j in one line that never shows the client secret", (env, message) => {
      const error = configError(env);
      expect(error).toBe(message);
      expect(error).not.toContain(sso.OIDC_CLIENT_SECRET);
    });

    it("accepts an http:// issuer outside production, for a provider on the developer's machine", () => {
      expect(load({ ...sso, OIDC_ISSUER: "http://127.0.0.1:8080" }).OIDC_ISSUER).toBe("http://127.0.0.1:8080");
    });
  });

  it("takes the mail sender from PUBLIC_URL's host unless MAIL_FROM is set", () => {
    const smtp = { SMTP_URL: "smtps://user:secret@mail.example.org:465", PUBLIC_URL: "https://concord.example.org/" };
    expect(load(smtp).MAIL_FROM).toBe("Concord <no-reply@concord.example.org>");
    expect(load({ ...smtp, MAIL_FROM: "Secretariat <sec@example.org>" }).MAIL_FROM).toBe("Secretariat <sec@example.org>");
  });
});
