import { expect, it, type FileFixtures } from "../support/fixtures";
import * as Y from "yjs";
import type { BrowserContext, Page } from "playwright-core";
import { caretAtEnd, signedInContext } from "../support/browser";
import { waitFor } from "../support/clients";
import { createNegotiation } from "../support/negotiation";
import { clauseTexts, storedDoc } from "../support/statement";
import { setMembership } from "../../server/queries/memberships";
import { createSignedInPerson, createStatement } from "../support/factories";

/** Where the page keeps this person's unsent edits to this statement (one IndexedDB database per page). */
const copyPrefix = (userId: string, documentId: string) => `concord-unsent:${userId}:${documentId}:`;

const copyNames = (page: Page, prefix: string) =>
  page.evaluate(async (p) => (await indexedDB.databases()).map((d) => d.name ?? "").filter((n) => n.startsWith(p)), prefix);

/** Every update held by the local copies, as y-indexeddb stores them. */
const copyUpdates = (page: Page, prefix: string) =>
  page.evaluate(async (p) => {
    const updates: number[][] = [];
    for (const { name } of await indexedDB.databases()) {
      if (!name?.startsWith(p)) continue;
      const request = indexedDB.open(name);
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error ?? new Error(`could not open ${name}`));
      });
      try {
        const all = db.transaction("updates", "readonly").objectStore("updates").getAll();
        await new Promise((resolve) => (all.onsuccess = resolve));
        for (const u of all.result as Uint8Array[]) updates.push([...u]);
      } finally {
        db.close();
      }
    }
    return updates;
  }, prefix);

const copiedText = async (page: Page, prefix: string) => {
  const doc = new Y.Doc();
  for (const u of await copyUpdates(page, prefix)) Y.applyUpdate(doc, new Uint8Array(u));
  return clauseTexts(doc).join("\n");
};

/** A clause's text as the reader sees it, without its state badge or other people's caret labels. */
const clauseText = (page: Page, label: string) =>
  page
    .locator(`.statement .clause[data-label="${label}"] p`)
    .first()
    .evaluate((el) => {
      const copy = el.cloneNode(true) as HTMLElement;
      copy.querySelectorAll(".collab-caret").forEach((c) => c.remove());
      return copy.textContent;
    });

const storedText = async ({ db }: Pick<FileFixtures, "db">, documentId: string) =>
  clauseTexts(await storedDoc(db.sql, documentId)).join("\n");

/**
 * Live negotiation updates play no part here, and the page reloads its data when one arrives:
 * over a connection that outlived going offline, that reload fails and shows the error page.
 */
async function withoutLiveUpdates(page: Page): Promise<void> {
  await page.route(/\/events$/, (route) => route.abort());
}

/** Connected is not yet synced: the text is there once its clauses are. */
async function statementShown(page: Page): Promise<void> {
  await page.locator('.connection-badge[data-connection="connected"]').waitFor();
  await page.locator('.statement .clause[data-label="OP2"]').waitFor();
}

async function openStatement({ server }: Pick<FileFixtures, "server">, context: BrowserContext, documentId: string): Promise<Page> {
  const page = await context.newPage();
  await withoutLiveUpdates(page);
  await page.goto(`${server.url}/documents/${documentId}`);
  await statementShown(page);
  return page;
}

/** The browser drops its connection, and the client with it (it listens for `offline`). */
async function goOffline(context: BrowserContext, page: Page): Promise<void> {
  await context.setOffline(true);
  await page.evaluate(() => window.dispatchEvent(new Event("offline")));
  await page.locator('.connection-badge:not([data-connection="connected"])').waitFor();
}

async function goOnline(context: BrowserContext, page: Page): Promise<void> {
  await context.setOffline(false);
  await page.evaluate(() => window.dispatchEvent(new Event("online")));
}

it("keeps edits typed offline through a reload, and stores them once the server is reachable", async ({ db, server, browser }) => {
  const { documentId, conferenceId } = await createStatement(db.sql);
  const chair = await createSignedInPerson(db.sql, { conferenceId, role: "chair" });
  const prefix = copyPrefix(chair.id, documentId);
  const context = await signedInContext(browser, server.url, chair.cookie);
  const page = await context.newPage();
  await withoutLiveUpdates(page);
  // The collaboration server can be made unreachable while the page itself still loads.
  let serverReachable = true;
  await page.routeWebSocket(/\/collab\//, (ws) => (serverReachable ? ws.connectToServer() : ws.close()));
  await page.goto(`${server.url}/documents/${documentId}`);
  await statementShown(page);

  await goOffline(context, page);
  await caretAtEnd(page, "OP2");
  await page.keyboard.type(" kept through a reload");
  await expect.poll(() => copiedText(page, prefix), { timeout: 10_000 }).toContain("priorities; kept through a reload");

  serverReachable = false;
  await context.setOffline(false);
  const dialogs: string[] = [];
  page.once("dialog", (dialog) => {
    dialogs.push(dialog.type());
    void dialog.accept();
  });
  await page.reload();
  expect(dialogs).toEqual(["beforeunload"]);

  // Back from the browser alone: shown, counted as unsent, and not on the server yet.
  await expect.poll(() => clauseText(page, "OP2"), { timeout: 10_000 }).toMatch(/priorities; kept through a reload$/);
  await expect.poll(() => page.locator(".connection-badge").getAttribute("data-unsaved")).toBe("true");
  expect(await storedText({ db }, documentId)).not.toContain("kept through a reload");

  serverReachable = true;
  await expect.poll(() => page.locator(".connection-badge").textContent(), { timeout: 20_000 }).toBe("All changes saved");
  expect(clauseTexts(await storedDoc(db.sql, documentId))[8]).toMatch(/priorities; kept through a reload$/);
  // Acknowledged, so no longer kept in the browser.
  await expect.poll(() => copyNames(page, prefix), { timeout: 10_000 }).toEqual([]);
});

it("drops the local copy of an edit the server refused, so it never comes back", async ({ db, server, browser }) => {
  const n = await createNegotiation(db.sql, server.url);
  const op2 = n.clauses.find((c) => c.label === "OP2")!;
  const prefix = copyPrefix(n.chair.userId, n.documentId);
  const context = await signedInContext(browser, server.url, n.chair.cookie);
  const page = await openStatement({ server }, context, n.documentId);

  await goOffline(context, page);
  await caretAtEnd(page, "OP2");
  await page.keyboard.type(" typed while it was agreed");
  await expect.poll(() => copiedText(page, prefix), { timeout: 10_000 }).toContain("typed while it was agreed");
  // Meanwhile the clause is agreed, so the server will refuse the edit.
  expect((await n.chair.post(`/documents/${n.documentId}/states`, { clauseId: op2.id, state: "agreed" })).status).toBe(200);
  await waitFor(() => server.concord.collab.rooms.get(n.documentId)?.currentLocks.clauses.has(op2.id) === true, { what: "the lock" });

  await goOnline(context, page);
  await page.locator(".refusal-notice").waitFor({ timeout: 15_000 });
  await expect.poll(() => clauseText(page, "OP2"), { timeout: 10_000 }).toBe(op2.text);
  await expect.poll(() => copyNames(page, prefix), { timeout: 10_000 }).toEqual([]);

  await page.reload();
  await statementShown(page);
  expect(await clauseText(page, "OP2")).toBe(op2.text);
  expect(await page.locator(".refusal-notice").count()).toBe(0);
  expect(await storedText({ db }, n.documentId)).not.toContain("typed while it was agreed");
});

it("keeps a closed tab's edits for the same person only, and drops them once that person may no longer write", async ({
  db,
  server,
  browser,
}) => {
  const { documentId, conferenceId } = await createStatement(db.sql);
  const first = await createSignedInPerson(db.sql, { conferenceId, role: "chair" });
  const second = await createSignedInPerson(db.sql, { conferenceId, role: "chair" });
  const prefix = copyPrefix(first.id, documentId);
  const context = await signedInContext(browser, server.url, first.cookie);
  const page = await openStatement({ server }, context, documentId);

  await goOffline(context, page);
  await caretAtEnd(page, "OP2");
  await page.keyboard.type(" left in a closed tab");
  await expect.poll(() => copiedText(page, prefix), { timeout: 10_000 }).toContain("left in a closed tab");
  const dialogs: string[] = [];
  page.once("dialog", (dialog) => {
    dialogs.push(dialog.type());
    void dialog.accept();
  });
  await page.close({ runBeforeUnload: true });
  await waitFor(() => page.isClosed(), { what: "the tab to close" });
  expect(dialogs).toEqual(["beforeunload"]);
  await context.setOffline(false);

  // Someone else signed in on the same browser gets none of it.
  await context.clearCookies();
  await context.addCookies([{ name: second.cookie.split("=")[0], value: second.cookie.split("=").slice(1).join("="), url: server.url }]);
  const other = await openStatement({ server }, context, documentId);
  expect(await clauseText(other, "OP2")).not.toContain("left in a closed tab");
  expect(await copyNames(other, prefix)).toHaveLength(1);
  await other.close();

  // The first person, now an observer, gets the statement as stored and the copy is dropped.
  await setMembership(db.sql, { conferenceId, userId: first.id, role: "observer", delegationId: null });
  await context.clearCookies();
  await context.addCookies([{ name: first.cookie.split("=")[0], value: first.cookie.split("=").slice(1).join("="), url: server.url }]);
  const reader = await openStatement({ server }, context, documentId);
  await expect.poll(() => copyNames(reader, prefix), { timeout: 10_000 }).toEqual([]);
  expect(await clauseText(reader, "OP2")).not.toContain("left in a closed tab");
  expect(await storedText({ db }, documentId)).not.toContain("left in a closed tab");
});
