import { describe, expect, it, type FileFixtures } from "../support/fixtures";
import type { Page } from "playwright-core";
import { caretAtEnd } from "../support/browser";
import { statementText, storedDoc } from "../support/statement";
import { createPerson, createStatement, type TestPerson } from "../support/factories";

let documentId: string;
let chair: TestPerson;
let delegate: TestPerson;

it.beforeAll(async ({ db }) => {
  const made = await createStatement(db.sql);
  documentId = made.documentId;
  await db.sql`update conferences set title = 'Conference on Safe Settlements' where id = ${made.conferenceId}`;
  chair = await createPerson(db.sql, { conferenceId: made.conferenceId, role: "chair", name: "Amb. Keyboard Chair" });
  delegate = await createPerson(db.sql, {
    conferenceId: made.conferenceId,
    role: "delegate",
    name: "Nigar Reader",
    delegation: { code: "AZE", name: "Azerbaijan" },
  });
});

/** Remix has hydrated the page: from now on, forms submit through the router. */
async function hydrated(page: Page): Promise<void> {
  await page.waitForFunction(() =>
    Boolean((window as unknown as { __remixRouter?: { state: { initialized: boolean } } }).__remixRouter?.state.initialized),
  );
}

/** Signs in with the keyboard only: type the address, Tab, type the password, Enter. */
async function typeCredentials(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel("E-mail").focus();
  await page.keyboard.press("Control+A");
  await page.keyboard.type(email);
  await page.keyboard.press("Tab");
  await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("password");
  await page.keyboard.type(password);
  await page.keyboard.press("Enter");
}

async function signedInPage({ server, browser }: Pick<FileFixtures, "server" | "browser">, person: TestPerson): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${server.url}/login`);
  await hydrated(page);
  await typeCredentials(page, person.email, person.password);
  await page.waitForURL(`${server.url}/`);
  return page;
}

const statement = (page: Page) => page.locator(".statement");
const badge = (page: Page) => page.locator(".connection-badge");

/** The statement's text as its reader sees it, without other people's caret labels. */
const visibleText = (page: Page) =>
  statement(page).evaluate((el) => {
    const copy = el.cloneNode(true) as HTMLElement;
    copy.querySelectorAll(".collab-caret").forEach((c) => c.remove());
    return copy.innerText;
  });

async function openStatement({ server }: Pick<FileFixtures, "server">, page: Page): Promise<void> {
  await page.goto(`${server.url}/documents/${documentId}`);
  await statement(page).locator(".clause").first().waitFor();
  await page.locator('.connection-badge[data-connection="connected"]').waitFor();
}

describe("signing in with the keyboard", () => {
  it("shows a wrong password's error on the page, then signs in with Enter", async ({ server, browser }) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/login`);
    await hydrated(page);

    await typeCredentials(page, chair.email, "not my password");
    const alert = page.getByRole("alert");
    await expect.poll(() => alert.textContent()).toBe("The e-mail address or password is incorrect.");
    expect(new URL(page.url()).pathname).toBe("/login");
    expect(await page.getByLabel("E-mail").inputValue()).toBe(chair.email);
    expect(await context.cookies()).toEqual([]);

    await page.getByLabel("Password").focus();
    await page.keyboard.press("Control+A");
    await page.keyboard.type(chair.password);
    await page.keyboard.press("Enter");
    await page.waitForURL(`${server.url}/`);
    await page.getByRole("heading", { name: "Your conferences" }).waitFor();
    expect(await page.getByRole("link", { name: "Conference on Safe Settlements" }).count()).toBe(1);
    expect(await page.locator(".user-name").textContent()).toBe("Amb. Keyboard Chair");

    // The session cookie is out of reach of the page's scripts.
    const cookies = await context.cookies();
    expect(cookies.map((c) => [c.name, c.httpOnly, c.sameSite])).toEqual([["concord_session", true, "Lax"]]);
    expect(await page.evaluate(() => document.cookie)).not.toContain("concord_session");
    await context.close();
  });

  it("without JavaScript too: the form posts and the browser follows the redirect", async ({ server, browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${server.url}/login`);
    await typeCredentials(page, chair.email, "still not it");
    await expect.poll(() => page.getByRole("alert").textContent()).toBe("The e-mail address or password is incorrect.");
    await typeCredentials(page, chair.email, chair.password);
    await page.waitForURL(`${server.url}/`);
    await page.getByRole("heading", { name: "Your conferences" }).waitFor();
    await context.close();
  });
});

describe("the statement, by role", () => {
  let chairPage: Page;
  let delegatePage: Page;

  it("the chair can type: toolbar shown, text changed and saved", async ({ db, server, browser }) => {
    chairPage = await signedInPage({ server, browser }, chair);
    await openStatement({ server }, chairPage);
    expect(await chairPage.getByRole("toolbar", { name: "Editing tools" }).isVisible()).toBe(true);
    expect(await statement(chairPage).getAttribute("contenteditable")).toBe("true");
    expect(await chairPage.locator(".role-note").textContent()).toContain("Chair");

    await caretAtEnd(chairPage, "PP2");
    await chairPage.keyboard.type(" as pen holder");
    await expect.poll(() => visibleText(chairPage)).toContain("as pen holder");
    await expect.poll(() => badge(chairPage).textContent()).toBe("All changes saved");
    expect(statementText(await storedDoc(db.sql, documentId))).toContain("as pen holder");
  });

  it("a delegate reads the same statement: no toolbar, not editable, typing changes nothing", async ({ db, server, browser }) => {
    delegatePage = await signedInPage({ server, browser }, delegate);
    await openStatement({ server }, delegatePage);
    await expect.poll(() => badge(delegatePage).textContent()).toBe("Connected · read only");
    expect(await delegatePage.locator(".role-note").textContent()).toContain("Delegate");
    expect(await delegatePage.locator(".toolbar").count()).toBe(0);
    expect(await statement(delegatePage).getAttribute("contenteditable")).toBe("false");
    await expect.poll(() => visibleText(delegatePage)).toContain("as pen holder");

    const before = await visibleText(delegatePage);
    const storedBefore = statementText(await storedDoc(db.sql, documentId));
    await delegatePage.locator('.statement .clause[data-label="PP2"] p').first().click();
    await delegatePage.keyboard.type(" not mine to write");
    await delegatePage.keyboard.press("Backspace");
    await delegatePage.keyboard.press("Enter");
    await delegatePage.keyboard.press("Control+Enter");
    await delegatePage.keyboard.press("Delete");
    expect(await visibleText(delegatePage)).toBe(before);
    expect(await badge(delegatePage).textContent()).toBe("Connected · read only");

    // Nothing reached the chair or the database either.
    await caretAtEnd(chairPage, "OP1");
    await chairPage.keyboard.type(" [marker]");
    await expect.poll(() => visibleText(delegatePage)).toContain("[marker]");
    await expect.poll(() => badge(chairPage).textContent()).toBe("All changes saved");
    expect(await visibleText(chairPage)).not.toContain("not mine to write");
    const stored = statementText(await storedDoc(db.sql, documentId));
    expect(stored).not.toContain("not mine to write");
    expect(stored.replace(" [marker]", "")).toBe(storedBefore);
  });

  it("while the delegate reads, the chair's typing reaches them live, and the chair sees them present", async ({ db }) => {
    await expect.poll(() => chairPage.locator(".presence-list").textContent()).toContain("Nigar Reader (AZE)");
    await caretAtEnd(chairPage, "OP2");
    await chairPage.keyboard.type(" adopted by acclamation");
    await expect.poll(() => visibleText(delegatePage)).toContain("adopted by acclamation");
    expect(await statement(delegatePage).getAttribute("contenteditable")).toBe("false");
    await expect.poll(() => badge(chairPage).textContent()).toBe("All changes saved");
    expect(statementText(await storedDoc(db.sql, documentId))).toContain("adopted by acclamation");
  });
});
