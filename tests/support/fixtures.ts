import { test as base } from "vitest";
import type { Browser } from "playwright-core";
import { launchBrowser } from "./browser";
import { openTestDatabase, type TestDatabase } from "./db";
import { openTestServer, type TestServer } from "./server";

/**
 * The set-up most test files share, as vitest fixtures: a test names what it needs and gets it.
 *
 *   import { expect, test } from "../support/fixtures";
 *   test.beforeAll(async ({ db }) => { ... rows every test of the file reads ... });
 *   test("…", async ({ db, server, browser }) => { ... });
 *
 * All three are file-scoped (set up once per file, on first use, torn down when the file ends:
 * the browser, then the server, then the database), because each costs seconds and a file's tests
 * were written to share them. They are also available to `test.beforeAll`. They do not use
 * onCleanup (tests/support/cleanup.ts): a file fixture first used inside a test would otherwise be
 * released after that test.
 */
export const test = base.extend<{
  $file: { db: TestDatabase; server: TestServer; browser: Browser };
}>({
  db: [
    async ({}, use) => {
      const db = await openTestDatabase();
      await use(db);
      await db.drop();
    },
    { scope: "file" },
  ],
  server: [
    async ({ db }, use) => {
      const server = await openTestServer({ databaseUrl: db.url });
      await use(server);
      await server.close();
    },
    { scope: "file" },
  ],
  browser: [
    async ({}, use) => {
      const browser = await launchBrowser();
      await use(browser);
      await browser.close();
    },
    { scope: "file" },
  ],
});

export const it = test;
export { describe, expect } from "vitest";
