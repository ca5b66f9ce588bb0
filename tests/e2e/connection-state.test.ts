import { afterAll, beforeAll, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { caretAtEnd, launchBrowser, signedInContext } from "../support/browser";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { startTestServer, type TestServer } from "../support/server";
import { clauseTexts, createTestDocument, storedDoc } from "../support/statement";

let db: TestDatabase;
let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer({ databaseUrl: db.url });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

it("shows offline with unsent changes, then saves them on reconnection", async () => {
  const { documentId, cookie } = await createTestDocument(db.sql);
  const context = await signedInContext(browser, server.url, cookie);
  const page = await context.newPage();
  await page.goto(`${server.url}/documents/${documentId}`);
  const badge = page.locator(".connection-badge");
  await page.locator('.connection-badge[data-connection="connected"]').waitFor();
  await expect.poll(() => badge.textContent()).toBe("All changes saved");

  await context.setOffline(true);
  await page.locator('.connection-badge[data-connection="offline"], .connection-badge[data-connection="connecting"]').waitFor();
  await caretAtEnd(page, "OP2");
  await page.keyboard.type(" while offline");
  await expect.poll(() => badge.textContent()).toBe("Offline — unsent changes will be saved on reconnection");
  expect(clauseTexts(await storedDoc(db.sql, documentId)).join("\n")).not.toContain("while offline");

  await context.setOffline(false);
  await expect.poll(() => badge.textContent(), { timeout: 15_000 }).toBe("All changes saved");
  expect(clauseTexts(await storedDoc(db.sql, documentId))[8]).toMatch(/priorities; while offline$/);
});
