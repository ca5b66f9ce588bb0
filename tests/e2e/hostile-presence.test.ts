import { expect, it, type FileFixtures } from "../support/fixtures";
import * as encoding from "lib0/encoding";
import type { Page } from "playwright-core";
import { caretAtEnd, signedInContext } from "../support/browser";
import { connectSyncedClient, waitFor, withTimeout } from "../support/clients";
import { closeCodes } from "../../app/statement/protocol";
import { clauseTexts, storedDoc, typeInClause } from "../support/statement";
import { createSignedInPerson, createStatement } from "../support/factories";

/**
 * Keeps a handle on every WebSocket the page opens, so the test can hand the page's provider a
 * message as if the server had relayed it: the server is going to drop hostile presence, and
 * the browser must cope without relying on that.
 */
const recordSockets = () => {
  const sockets: WebSocket[] = [];
  (window as unknown as { __sockets: WebSocket[] }).__sockets = sockets;
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      sockets.push(this);
    }
  };
};

/** The name a presence (awareness state) gives; anyone can publish anything there, so it is unknown. */
const nameIn = (state: Record<string, unknown>): unknown => (state as { user?: { name?: unknown } }).user?.name;

/** A y-websocket awareness message carrying these states, each with its clock. */
function awarenessMessage(states: { clientId: number; clock: number; state: unknown }[]): number[] {
  const update = encoding.createEncoder();
  encoding.writeVarUint(update, states.length);
  for (const { clientId, clock, state } of states) {
    encoding.writeVarUint(update, clientId);
    encoding.writeVarUint(update, clock);
    encoding.writeVarString(update, JSON.stringify(state));
  }
  const message = encoding.createEncoder();
  encoding.writeVarUint(message, 1);
  encoding.writeVarUint8Array(message, encoding.toUint8Array(update));
  return [...encoding.toUint8Array(message)];
}

async function deliverToPage(page: Page, message: number[]): Promise<void> {
  await page.evaluate((bytes) => {
    const socket = (window as unknown as { __sockets: WebSocket[] }).__sockets
      .filter((s) => s.url.includes("/collab/") && s.readyState === WebSocket.OPEN)
      .pop();
    if (!socket?.onmessage) throw new Error("no open collaboration socket");
    socket.onmessage(new MessageEvent("message", { data: new Uint8Array(bytes).buffer }));
  }, message);
}

/** A clause's text as the reader sees it, without other people's caret labels. */
const clauseText = (page: Page, label: string) =>
  page.locator(`.statement .clause[data-label="${label}"]`).evaluate((el) => {
    const copy = el.cloneNode(true) as HTMLElement;
    copy.querySelectorAll(".collab-caret").forEach((c) => c.remove());
    return copy.textContent;
  });

const malformedCaret = { anchor: {}, head: {} };
/** A well-formed caret: the end of the statement's root fragment. */
const endOfText = {
  anchor: { type: null, tname: "default", item: null, assoc: 0 },
  head: { type: null, tname: "default", item: null, assoc: 0 },
};

/** The statement open in Chromium as a chair, and a second writer connected from Node. */
async function openStatement({ db, server, browser }: Pick<FileFixtures, "db" | "server" | "browser">, chairName: string) {
  const { documentId, conferenceId } = await createStatement(db.sql);
  const chair = await createSignedInPerson(db.sql, { conferenceId, role: "chair", name: chairName });
  const writer = await createSignedInPerson(db.sql, { conferenceId, role: "secretariat", name: "Writer Bo" });
  const context = await signedInContext(browser, server.url, chair.cookie, { viewport: { width: 1280, height: 900 } });
  await context.addInitScript(recordSockets);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (err) => errors.push(err.message));
  await page.goto(`${server.url}/documents/${documentId}`);
  await page.locator('.connection-badge[data-connection="connected"]').waitFor();
  const bo = await connectSyncedClient(server.wsUrl, documentId, { cookie: writer.cookie });
  bo.provider.awareness.setLocalState({ user: { name: "Writer Bo", color: "#1a5fb4" }, cursor: null });
  await expect.poll(() => page.locator(".presence-list").textContent(), { timeout: 10_000 }).toContain("Writer Bo");
  return { documentId, conferenceId, page, bo, errors };
}

it("keeps applying others' edits, and never writes stale text back, when a presence has a malformed caret", async ({
  db,
  server,
  browser,
}) => {
  const { documentId, conferenceId, page, bo, errors } = await openStatement({ db, server, browser }, "Chair Amina");
  // The real server refuses such a presence and closes its connection…
  const observer = await createSignedInPerson(db.sql, { conferenceId, role: "observer", name: "Observer Oz" });
  const oz = await connectSyncedClient(server.wsUrl, documentId, { cookie: observer.cookie });
  const closed = new Promise<number>((resolve) => oz.provider.on("closed", ({ code }: { code: number }) => resolve(code)));
  oz.provider.awareness.setLocalState({ user: { name: "Observer Oz", color: "#1e6b45" }, cursor: malformedCaret });
  expect(await withTimeout(closed, 10_000, "the server to refuse the malformed caret")).toBe(closeCodes.malformed);
  // …so it goes straight into the page's provider, as a server that let it through would deliver
  // it. (Under the observer's id: the page echoes what it hears, and the server drops an echo of
  // someone else's presence, where it would close a connection sending such a state of its own.)
  await deliverToPage(
    page,
    awarenessMessage([
      { clientId: oz.doc.clientID, clock: 1, state: { user: { name: "Mallory", color: "#7d3c98" }, cursor: malformedCaret } },
    ]),
  );

  const before = clauseTexts(bo.doc);
  typeInClause(bo.doc, 0, " and of every survivor of explosive ordnance");
  await expect.poll(() => clauseText(page, "PP1"), { timeout: 10_000 }).toContain("every survivor of explosive ordnance");

  await caretAtEnd(page, "OP2");
  await page.keyboard.type(" without delay");
  await expect.poll(() => page.locator(".connection-badge").textContent(), { timeout: 10_000 }).toBe("All changes saved");
  await expect.poll(async () => clauseTexts(await storedDoc(db.sql, documentId))[8], { timeout: 10_000 }).toMatch(/without delay$/);

  const stored = clauseTexts(await storedDoc(db.sql, documentId));
  expect(stored[0]).toBe(`${before[0]} and of every survivor of explosive ordnance`);
  stored.forEach((text, i) => i !== 0 && i !== 8 && expect(text).toBe(before[i]));
  await expect.poll(() => clauseTexts(bo.doc)[0]).toBe(stored[0]);
  // The malformed presences are not listed either.
  const listed = await page.locator(".presence-list").textContent();
  expect(listed).not.toContain("Mallory");
  expect(errors).toEqual([]);
});

it("draws no presence with a colour that is not #rrggbb, a name that is not a string, or someone else's id; names stay text", async ({
  db,
  server,
  browser,
}) => {
  const { page, bo, errors } = await openStatement({ db, server, browser }, "Chair Ines");
  const chairClientId = () => [...bo.provider.awareness.getStates()].find(([, s]) => nameIn(s) === "Chair Ines")?.[0];
  await waitFor(() => chairClientId() !== undefined, { what: "the chair's presence" });

  await deliverToPage(
    page,
    awarenessMessage([
      { clientId: 900002, clock: 1, state: { user: { name: "Eve", color: "red; background:url(x)" }, cursor: endOfText } },
      { clientId: 900003, clock: 1, state: { user: { name: 42, color: "#7d3c98" }, cursor: endOfText } },
      {
        clientId: 900004,
        clock: 1,
        state: { user: { name: '<img src=x onerror="window.__pwned=1">Zed', color: "#00677f" }, cursor: endOfText },
      },
      // Someone else's presence under the chair's own id.
      { clientId: chairClientId()!, clock: 1_000_000, state: { user: { name: "Impostor", color: "#000000" }, cursor: null } },
    ]),
  );

  const presence = page.locator(".presence-list");
  await expect.poll(() => presence.textContent(), { timeout: 10_000 }).toContain('<img src=x onerror="window.__pwned=1">Zed');
  expect(await presence.textContent()).toContain("Chair Ines (you)");
  await expect.poll(() => page.locator(".collab-caret__label").allTextContents()).toEqual(['<img src=x onerror="window.__pwned=1">Zed']);
  for (const skipped of ["Eve", "Impostor", "42"]) expect(await presence.textContent()).not.toContain(skipped);
  expect(await page.locator(".presence-list img, .statement img").count()).toBe(0);
  expect(await page.locator('[style*="url("]').count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  // The others see the chair as the chair again, not as the impostor.
  await expect.poll(() => [...bo.provider.awareness.getStates().values()].map(nameIn)).toContain("Chair Ines");
  expect([...bo.provider.awareness.getStates().values()].map(nameIn)).not.toContain("Impostor");

  expect(errors).toEqual([]);
});
