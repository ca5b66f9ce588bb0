import { expect, it } from "../support/fixtures";
import { caretAtEnd, signedInContext } from "../support/browser";
import { clauseTexts, storedDoc } from "../support/statement";
import { createStatement } from "../support/factories";

it("shows offline with unsent changes, then saves them on reconnection", async ({ db, server, browser }) => {
  const { documentId, cookie } = await createStatement(db.sql);
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
