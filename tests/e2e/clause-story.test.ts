import type { Page } from "playwright-core";
import { describe, expect, it } from "../support/fixtures";
import { axeViolations } from "../support/axe";
import { connectSyncedClient, waitFor } from "../support/clients";
import { createSignedInPerson, createStatement } from "../support/factories";
import { typeInClause } from "../support/statement";
import { startThread } from "../../server/negotiation/comments";
import { createRevision } from "../../server/versions/capture";
import { readStatement } from "../../server/negotiation/numbering";

/**
 * A paragraph's story in Chromium, opened from where a reader meets the paragraph: the statement's
 * outline, its row in the compilation and its change in the redline; each time the same story,
 * with the chair's edit marked word by word and a delegation's comment, and no accessibility violation.
 */
let documentId: string;
let chairCookie: string;
let revision: string;

it.beforeAll(async ({ db, server }) => {
  const doc = await createStatement(db.sql);
  documentId = doc.documentId;
  chairCookie = doc.cookie;
  const chair = { userId: doc.chairId, role: "chair" as const, delegationId: null, isChair: true, negotiates: false, mayPropose: false };
  revision = (await createRevision(db.sql, chair, { documentId, name: "Rev.1" })).id;
  const client = await connectSyncedClient(server.wsUrl, documentId, { cookie: doc.cookie });
  typeInClause(client.doc, 0, " EDITED FOR THE STORY");
  await waitFor(() => client.isSaved(), { what: "the chair's edit to be saved" });
  client.destroy();
  const delegate = await createSignedInPerson(db.sql, { conferenceId: doc.conferenceId, role: "delegate", name: "Dana Delegate" });
  const statement = await readStatement(db.sql, documentId);
  statement.ydoc.destroy();
  await startThread(
    db.sql,
    { userId: delegate.id, role: "delegate", delegationId: delegate.delegationId, isChair: false, negotiates: true, mayPropose: true },
    { documentId, clauseId: statement.clauses[0].id!, anchor: null, body: "A word on the first paragraph" },
  );
});

/** The story page as it must read for PP1, whichever way it was opened. */
async function expectStory(page: Page) {
  await page.waitForURL(/\/story$/);
  await page.getByRole("heading", { name: "Story of PP1", exact: true }).waitFor();
  expect(new URL(page.url()).pathname).toMatch(new RegExp(`^/documents/${documentId}/clauses/[a-z0-9]+/story$`));
  const entries = page.locator(".story-entry");
  // Rev.1 holds the first text; the edit since is in the current text only; then the comment.
  await expect.poll(() => entries.count()).toBe(3);
  expect(await entries.nth(0).getAttribute("data-event")).toBe("first");
  expect(await entries.nth(0).textContent()).toContain("Rev.1");
  expect(await entries.nth(1).getAttribute("data-event")).toBe("edit");
  expect(await entries.nth(1).textContent()).toContain("Current text");
  expect(await entries.nth(1).locator("ins").textContent()).toBe("[inserted:  EDITED FOR THE STORY]");
  expect(await entries.nth(2).getAttribute("data-kind")).toBe("comment");
  expect(await entries.nth(2).textContent()).toContain("A word on the first paragraph");
  expect(await axeViolations(page)).toEqual([]);
}

describe("a paragraph's story in Chromium", () => {
  it("opens from the statement's outline", async ({ openPage }) => {
    const page = await openPage(`/documents/${documentId}`, chairCookie, { viewport: { width: 1400, height: 1000 } });
    await page.locator('.connection-badge[data-connection="connected"]').waitFor();
    await page.getByRole("link", { name: "Story of PP1" }).click();
    await expectStory(page);
  });

  it("opens from the paragraph's row in the compilation", async ({ openPage }) => {
    const page = await openPage(`/documents/${documentId}/compilation`, chairCookie);
    await page.getByRole("link", { name: "Story of PP1" }).click();
    await expectStory(page);
  });

  it("opens from the paragraph's change in the redline", async ({ openPage }) => {
    const page = await openPage(`/documents/${documentId}/redline?from=${revision}&to=current`, chairCookie);
    await page.getByRole("link", { name: "Story of PP1" }).click();
    await expectStory(page);
  });
});
