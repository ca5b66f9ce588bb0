import { describe, expect, it, type FileFixtures } from "../support/fixtures";
import type { Page } from "playwright-core";
import { axeViolations } from "../support/axe";
import { signedInContext } from "../support/browser";
import { clauseTexts, storedDoc } from "../support/statement";
import { createDelegation, createSignedInPerson, createStatement } from "../support/factories";

/**
 * A delegate drafts a replacement in the proposal editor and submits it; the chair, whose
 * statement page is open, sees it arrive in the clause panel without reloading, opens it and
 * accepts it; the new text and the decision reach both people's statement pages live.
 */
let documentId: string;
let conferenceId: string;
let chairCookie: string;

it.beforeAll(async ({ db }) => {
  ({ documentId, conferenceId, cookie: chairCookie } = await createStatement(db.sql));
});

async function openStatement({ server, browser }: Pick<FileFixtures, "server" | "browser">, cookie: string): Promise<Page> {
  const context = await signedInContext(browser, server.url, cookie, { viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${server.url}/documents/${documentId}`);
  await page.locator(".statement .clause").first().waitFor();
  await page.locator('.connection-badge[data-connection="connected"]').first().waitFor();
  return page;
}

/** Makes a clause the current one through the outline (works in a read-only editor too). */
async function goToClause(page: Page, label: string) {
  await page.locator(".outline-item", { has: page.locator(".outline-label", { hasText: new RegExp(`^${label}$`) }) }).click();
  await page
    .locator(`.clause-panel`)
    .getByRole("heading", { name: `Proposals on ${label}` })
    .waitFor();
}

const clauseText = (page: Page, label: string) =>
  page.locator(`.statement .clause[data-label="${label}"]`).evaluate((el) => {
    const copy = el.cloneNode(true) as HTMLElement;
    copy.querySelectorAll(".collab-caret").forEach((c) => c.remove());
    return copy.textContent;
  });

describe("a proposal from draft to the base text, in Chromium", () => {
  it("goes from a delegate's editor to the chair's decision, live on both pages", async ({ db, server, browser }) => {
    const norway = await createDelegation(db.sql, conferenceId, { code: "NOR", name: "Norway" });
    const delegate = await createSignedInPerson(db.sql, { conferenceId, role: "delegate", delegationId: norway.id, name: "Ingrid Holm" });
    const original = clauseTexts(await storedDoc(db.sql, documentId))[8];

    const chair = await openStatement({ server, browser }, chairCookie);
    await goToClause(chair, "OP2");
    await expect.poll(() => chair.locator(".clause-panel").textContent()).toContain("No proposals on this clause.");

    // The delegate proposes a replacement of OP2 and writes it in the live drafting editor.
    const alice = await openStatement({ server, browser }, delegate.cookie);
    await goToClause(alice, "OP2");
    await alice.locator(".propose-form").getByRole("button", { name: "Replace" }).click();
    // Client-side navigations: wait for what the new page shows, not for a load event.
    const draft = alice.locator(`.proposal-draft[aria-label="Proposed text of P1"]`);
    await draft.waitFor();
    await expect.poll(() => draft.textContent()).toBe(original);
    await draft.locator("p").first().click();
    await alice.keyboard.press("End");
    await alice.keyboard.press("Control+End");
    await alice.keyboard.type(" without delay");
    await expect.poll(() => alice.locator(".proposal-editor .connection-badge").textContent()).toBe("All changes saved");
    await expect.poll(() => alice.getByTestId("draft-diff").locator("ins").textContent()).toContain("without delay");
    expect(await axeViolations(alice)).toEqual([]);
    await alice.getByRole("button", { name: "Submit", exact: true }).click();
    await expect.poll(() => alice.getByTestId("proposal-status").textContent()).toBe("Submitted");
    // Back to the statement, which stays open from here on.
    await alice.goBack();
    await alice.locator('.statement .clause[data-label="OP2"]').waitFor();
    await goToClause(alice, "OP2");

    // The chair's page, open all along, shows it in the clause panel with its change marked.
    const item = chair.locator(".clause-panel .proposal-item", { hasText: "P1" });
    await item.waitFor({ timeout: 15_000 });
    await expect.poll(() => item.textContent()).toContain("Norway (NOR)");
    await expect.poll(() => item.locator("ins").textContent()).toContain("without delay");
    expect(await axeViolations(chair)).toEqual([]);

    // The chair opens it in a second tab and accepts it there.
    const link = item.getByRole("link", { name: /P1 · Replace OP2/ });
    const decision = await chair.context().newPage();
    await decision.goto(new URL((await link.getAttribute("href"))!, server.url).toString());
    await expect.poll(() => decision.getByTestId("proposal-diff").locator("ins").textContent()).toContain("without delay");
    expect(await axeViolations(decision)).toEqual([]);
    await decision.getByRole("button", { name: "Accept" }).click();
    await expect.poll(() => decision.getByTestId("proposal-status").textContent()).toBe("Accepted");

    // Both statement pages, never reloaded, show the new base text and the decision.
    const expected = `${original} without delay`;
    await expect.poll(() => clauseText(chair, "OP2"), { timeout: 15_000 }).toBe(expected);
    await expect.poll(() => clauseText(alice, "OP2"), { timeout: 15_000 }).toBe(expected);
    await expect.poll(() => chair.locator(".clause-panel .proposal-item .proposal-status").textContent()).toBe("Accepted");
    await expect.poll(() => alice.locator(".clause-panel .proposal-item .proposal-status").textContent()).toBe("Accepted");
    expect(clauseTexts(await storedDoc(db.sql, documentId))[8]).toBe(expected);
  }, 120_000);
  it("lets a delegate propose a new first clause of a part, before PP1", async ({ db, server, browser }) => {
    const delegation = await createDelegation(db.sql, conferenceId, { code: "JPN", name: "Japan" });
    const delegate = await createSignedInPerson(db.sql, { conferenceId, role: "delegate", delegationId: delegation.id });
    const page = await openStatement({ server, browser }, delegate.cookie);
    await goToClause(page, "PP1");
    await page.getByRole("button", { name: "Add a clause before PP1" }).click();
    // The statement page has two headings (the document's and the statement's title); wait to leave it.
    await page.waitForURL(/\/proposals\//, { timeout: 15_000 });
    await expect.poll(() => page.locator("h1").textContent()).toMatch(/P\d+ · New clause at the start of the preambular part/);
    await page.locator(".proposal-draft").waitFor();
  }, 60_000);
});
