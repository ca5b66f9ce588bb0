import { describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { runServerToExit, type SpawnedServer, spawnServer } from "../support/server";
import { pageText, postLogin, request, sessionPair, signIn } from "../support/http";

/**
 * What the real entry point (server/main.ts, as `npm start` runs it) sets up on first start:
 * the deployment administrator, the demo conference outside production, and nothing else in
 * production; and how it refuses a bad configuration.
 */

const countOf = async (db: TestDatabase, table: "conferences" | "users" | "memberships") =>
  (await db.sql<{ n: number }[]>`select count(*)::int as n from ${db.sql(table)}`)[0].n;

const occurrences = (text: string, needle: string) => text.split(needle).length - 1;

async function expectSignsIn(server: SpawnedServer, email: string, password: string): Promise<string> {
  const cookie = await signIn(server.url, email, password);
  const home = await request(`${server.url}/`, { headers: { Cookie: cookie } });
  expect(home.status).toBe(200);
  return cookie;
}

async function expectRefused(server: SpawnedServer, email: string, password: string): Promise<void> {
  const res = await postLogin(server.url, { email, password });
  expect(res.status).toBe(400);
  expect(sessionPair(res)).toBeNull();
}

/** A fresh, migrated and empty database. */
async function emptyDatabase(): Promise<TestDatabase> {
  const db = await createTestDatabase();
  expect(await countOf(db, "users")).toBe(0);
  return db;
}

describe("the deployment administrator", () => {
  it("without ADMIN_PASSWORD gets a generated password, printed once, that signs in", async () => {
    const db = await emptyDatabase();
    const email = "root@concord.example";
    const first = await spawnServer({ databaseUrl: db.url, env: { ADMIN_EMAIL: email } });
    const match = /Created the deployment administrator (\S+) with password (\S+) /.exec(first.output());
    expect(match, first.output()).not.toBeNull();
    const [, printedEmail, password] = match!;
    expect(printedEmail).toBe(email);
    expect(password.length).toBeGreaterThanOrEqual(12);
    expect(occurrences(first.output(), password)).toBe(1);
    // Only a hash of it is kept.
    const [row] = await db.sql<
      { hash: string; isAdmin: boolean }[]
    >`select password_hash as hash, is_admin as "isAdmin" from users where email = ${email}`;
    expect(row.isAdmin).toBe(true);
    expect(row.hash).not.toContain(password);

    const cookie = await expectSignsIn(first, email, password);
    // The administrator's pages open with it.
    expect((await request(`${first.url}/admin`, { headers: { Cookie: cookie } })).status).toBe(200);
    await expectRefused(first, email, `${password}x`);
    // SIGTERM stops it cleanly (its own shutdown runs to the end and exits 0).
    expect(await first.kill("SIGTERM")).toEqual({ code: 0, signal: null });

    // A second start on the same database creates nobody and prints no password.
    const second = await spawnServer({ databaseUrl: db.url, env: { ADMIN_EMAIL: email } });
    expect(second.output()).not.toContain(password);
    expect(second.output()).not.toContain("Created the deployment administrator");
    expect(await countOf(db, "users")).toBe(1);
    await expectSignsIn(second, email, password);
  });

  it("with ADMIN_EMAIL and ADMIN_PASSWORD set is created with that pair, which is not printed", async () => {
    const db = await emptyDatabase();
    const email = "chief.admin@concord.example";
    const password = "a-long-admin-secret-42";
    const server = await spawnServer({ databaseUrl: db.url, env: { ADMIN_EMAIL: email, ADMIN_PASSWORD: password } });
    expect(server.output()).toContain(`Created the deployment administrator ${email}`);
    expect(server.output()).not.toContain(password);
    await expectSignsIn(server, email, password);
    await expectRefused(server, email, "a-long-admin-secret-43");
    // Nobody else was created (SEED_DEMO=false here).
    expect(await countOf(db, "users")).toBe(1);
  });

  it("is not re-created, nor its password changed, when ADMIN_PASSWORD changes on a later start", async () => {
    const db = await emptyDatabase();
    const email = "admin@concord.example";
    const first = await spawnServer({ databaseUrl: db.url, env: { ADMIN_EMAIL: email, ADMIN_PASSWORD: "the-first-password" } });
    await first.kill("SIGTERM");
    const second = await spawnServer({ databaseUrl: db.url, env: { ADMIN_EMAIL: email, ADMIN_PASSWORD: "the-second-password" } });
    expect(second.output()).not.toContain("Created the deployment administrator");
    expect(second.output()).not.toContain("the-second-password");
    await expectSignsIn(second, email, "the-first-password");
    await expectRefused(second, email, "the-second-password");
  });
});

describe("the demo conference", () => {
  const demoAccounts = ["secretariat@demo.test", "chair@demo.test", "observer@demo.test", "translator-fr@demo.test", "aze@demo.test"];

  it("with SEED_DEMO=true and DEMO_PASSWORD: every demo account signs in with it, and the output lists them", async () => {
    const db = await emptyDatabase();
    const password = "demo-password-2026";
    const server = await spawnServer({
      databaseUrl: db.url,
      env: { SEED_DEMO: "true", DEMO_PASSWORD: password, ADMIN_PASSWORD: "an-admin-password" },
    });
    const output = server.output();
    expect(output).toContain("Demo accounts (e-mail, role, password):");
    for (const email of demoAccounts) {
      expect(output).toMatch(new RegExp(`^\\s+${email.replace(/\./g, "\\.")}\\s+\\w+\\s+${password}$`, "m"));
      await expectSignsIn(server, email, password);
    }

    // aze@demo.test is the delegate of Azerbaijan; the others hold the role their address names.
    const roles = await db.sql<{ email: string; role: string; delegation: string | null }[]>`
      select u.email, m.role, d.name as delegation
      from memberships m join users u on u.id = m.user_id left join delegations d on d.id = m.delegation_id`;
    const byEmail = new Map(roles.map((r) => [r.email, r]));
    expect(byEmail.get("aze@demo.test")).toEqual({ email: "aze@demo.test", role: "delegate", delegation: "Azerbaijan" });
    expect(byEmail.get("secretariat@demo.test")?.role).toBe("secretariat");
    expect(byEmail.get("chair@demo.test")?.role).toBe("chair");
    expect(byEmail.get("observer@demo.test")?.role).toBe("observer");
    expect(await countOf(db, "conferences")).toBe(1);
    // The translator works in French, one of the demo conference's languages.
    const [translator] = await db.sql<{ role: string; language: string; languages: string[] }[]>`
      select m.role, m.language, c.languages from memberships m join users u on u.id = m.user_id join conferences c on c.id = m.conference_id
      where u.email = 'translator-fr@demo.test'`;
    expect(translator).toEqual({ role: "translator", language: "fr", languages: ["en", "fr", "es", "ar"] });

    // The delegate's home page shows the conference and the role.
    const cookie = await signIn(server.url, "aze@demo.test", password);
    const home = pageText((await request(`${server.url}/`, { headers: { Cookie: cookie } })).body);
    expect(home).toContain("4th International Mine Action Conference");
    expect(home).toContain("Your role: Delegate");
  });

  it("without DEMO_PASSWORD (a development start) gets generated passwords, printed, that sign in", async () => {
    const db = await emptyDatabase();
    // As `npm start` runs it: SEED_DEMO unset, outside production.
    const server = await spawnServer({
      databaseUrl: db.url,
      env: { NODE_ENV: "development", SEED_DEMO: "", ADMIN_PASSWORD: "an-admin-password" },
    });
    const output = server.output();
    for (const email of demoAccounts) {
      const line = new RegExp(`^\\s+${email.replace(/\./g, "\\.")}\\s+\\w+\\s+(\\S+)$`, "m").exec(output);
      expect(line, `${email} in:\n${output}`).not.toBeNull();
      await expectSignsIn(server, email, line![1]);
    }
  });
});

describe("a production start", () => {
  it("seeds nothing: no conference, no demo account, only the administrator", async () => {
    const db = await emptyDatabase();
    const server = await spawnServer({
      databaseUrl: db.url,
      env: {
        NODE_ENV: "production",
        // Unset, as in the documented production start.
        SEED_DEMO: "",
        DEMO_PASSWORD: "",
        SESSION_SECRET: "a-production-session-secret-of-enough-length",
        ADMIN_EMAIL: "ops@concord.example",
        ADMIN_PASSWORD: "production-admin-password",
      },
    });
    expect(await countOf(db, "conferences")).toBe(0);
    expect(await countOf(db, "memberships")).toBe(0);
    expect((await db.sql<{ email: string }[]>`select email from users`).map((u) => u.email)).toEqual(["ops@concord.example"]);
    expect(server.output()).not.toContain("demo.test");
    expect(server.output()).not.toMatch(/demo/i);

    await expectRefused(server, "secretariat@demo.test", "demo-password-2026");
    const cookie = await expectSignsIn(server, "ops@concord.example", "production-admin-password");
    const home = pageText((await request(`${server.url}/`, { headers: { Cookie: cookie } })).body);
    expect(home).toContain("You do not take part in any conference yet.");
  });
});

describe("a bad configuration", () => {
  const cases: [Record<string, string>, string][] = [
    [{ PORT: "abc" }, "PORT"],
    [{ PORT: "70000" }, "PORT"],
    [{ DATABASE_URL: "mysql://x" }, "DATABASE_URL"],
    [{ ADMIN_EMAIL: "not-an-address" }, "ADMIN_EMAIL"],
    [{ SEED_DEMO: "maybe" }, "SEED_DEMO"],
    [{ COOKIE_SECURE: "yes please" }, "COOKIE_SECURE"],
  ];
  for (const [env, variable] of cases) {
    it(`${JSON.stringify(env)} stops the start with one readable line naming ${variable}`, async () => {
      // An unreachable database, so that a configuration wrongly accepted fails fast
      // (and never starts an embedded cluster in ./data) instead of starting.
      const result = await runServerToExit({ DATABASE_URL: "postgres://nobody@127.0.0.1:1/none", ...env });
      expect(result.code).not.toBe(0);
      expect(result.code).not.toBeNull();
      const lines = `${result.stdout}${result.stderr}`.split("\n").filter((l) => l.trim() !== "");
      expect(lines, `${result.stdout}${result.stderr}`).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^Invalid configuration: ${variable} `));
      expect(lines[0]).not.toMatch(/\bat .*\.(ts|js):\d+/);
      expect(lines[0]).not.toMatch(/Error:/);
    });
  }
});
