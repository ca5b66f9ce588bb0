import { test as base } from "vitest";
import type { Browser, BrowserContextOptions, Page } from "playwright-core";
import { launchBrowser, signedInContext } from "./browser";
import { openTestDatabase, type TestDatabase } from "./db";
import { openTestServer, type TestServer } from "./server";

/**
 * The set-up most test files share, as vitest fixtures: a test names what it needs and gets it.
 *
 *   import { expect, test } from "../support/fixtures";
 *   test.beforeAll(async ({ db }) => { ... rows every test of the file reads ... });
 *   test("…", async ({ db, server, browser }) => { ... });
 *
 * `openPage` opens a page of the server in a new browser context, signed in with a session cookie.
 * All four are file-scoped (set up once per file, on first use, torn down when the file ends:
 * the browser, then the server, then the database), because each costs seconds and a file's tests
 * were written to share them. They are also available to `test.beforeAll`. They do not use
 * onCleanup (tests/support/cleanup.ts): a file fixture first used inside a test would otherwise be
 * released after that test.
 */
/** Opens `path` of the file's server in a new browser context: signed in with `cookie`, or anonymous with null. */
export type OpenPage = (path: string, cookie: string | null, options?: BrowserContextOptions) => Promise<Page>;

/** What the fixtures give a test, for helpers that take some of them. */
export interface FileFixtures {
  db: TestDatabase;
  server: TestServer;
  browser: Browser;
  openPage: OpenPage;
}

export const test = base.extend<{ $file: FileFixtures }>({
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
  openPage: [
    async ({ browser, server }, use) => {
      await use(async (path, cookie, options = {}) => {
        const context = cookie ? await signedInContext(browser, server.url, cookie, options) : await browser.newContext(options);
        const page = await context.newPage();
        await page.goto(`${server.url}${path}`);
        return page;
      });
    },
    { scope: "file" },
  ],
});

export const it = test;
export { describe, expect } from "vitest";
