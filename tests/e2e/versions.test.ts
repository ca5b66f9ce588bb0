import { describe, expect, it, type FileFixtures } from "../support/fixtures";
import type { Page } from "playwright-core";
import { axeViolations } from "../support/axe";
import { caretAtEnd, signedInContext } from "../support/browser";
import { createSignedInPerson, createStatement } from "../support/factories";
import { createRevision } from "../../server/versions/capture";

let documentId: string;
let chairId: string;
let chair: Page;
let delegate: Page;

async function open(
  { server, browser }: Pick<FileFixtures, "server" | "browser">,
  cookie: string,
  path: string,
  ready: string,
): Promise<Page> {
  const context = await signedInContext(browser, server.url, cookie, { viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  await page.goto(`${server.url}${path}`);
  await page.locator(ready).first().waitFor();
  return page;
}

const clauseText = (page: Page, label: string) => page.locator(`.statement .clause[data-label="${label}"]`).first().textContent();

it.beforeAll(async ({ db, server, browser }) => {
  const doc = await createStatement(db.sql);
  documentId = doc.documentId;
  chairId = doc.chairId;
  const person = await createSignedInPerson(db.sql, { conferenceId: doc.conferenceId, role: "delegate" });
  chair = await open({ server, browser }, doc.cookie, `/documents/${documentId}`, '.connection-badge[data-connection="connected"]');
  delegate = await open({ server, browser }, person.cookie, `/documents/${documentId}`, '.connection-badge[data-connection="connected"]');
});

describe("versions in Chromium", () => {
  it("the chair saves Rev.1, edits, compares, restores Rev.1 after confirming, and the delegate's open page shows it without reloading", async ({
    db,
  }) => {
    const original = await clauseText(chair, "OP1");
    await chair.getByText("Save a revision", { exact: true }).click();
    await chair.getByLabel("Name of the revision").fill("Rev.1");
    await chair.getByRole("button", { name: "Save", exact: true }).click();
    await expect.poll(() => chair.locator(".save-revision [role=status]").textContent()).toContain("Saved “Rev.1”");

    await caretAtEnd(chair, "OP1");
    await chair.keyboard.type(" EDITED AFTER REV1");
    await expect.poll(() => clauseText(delegate, "OP1"), { timeout: 10_000 }).toContain("EDITED AFTER REV1");

    await chair.getByRole("link", { name: "History" }).click();
    const row = chair.locator('li[data-version="Rev.1"]');
    await row.waitFor();
    await row.getByRole("link", { name: "Changes since" }).click();
    await chair.locator(".redline-list").first().waitFor();
    await expect
      .poll(() => chair.locator(".redline-clause.change-changed ins").allTextContents())
      .toEqual(expect.arrayContaining([expect.stringContaining("EDITED AFTER REV1")]));
    await chair.goBack();
    // A first click only asks: the dialog names the version and where the current text goes; cancelling changes nothing.
    await chair.getByRole("button", { name: "Restore Rev.1" }).click();
    const dialog = chair.getByRole("dialog", { name: "Restore “Rev.1”?" });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain("The current text will be kept as a version named “Before restoring Rev.1”");
    expect(await axeViolations(chair)).toEqual([]);
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "detached" });
    expect(await clauseText(delegate, "OP1")).toContain("EDITED AFTER REV1");
    expect(await chair.locator('li[data-version="Restored Rev.1"]').count()).toBe(0);

    await chair.getByRole("button", { name: "Restore Rev.1" }).click();
    await dialog.getByRole("button", { name: "Restore Rev.1" }).click();
    await expect.poll(() => chair.locator("main [role=status]").first().textContent()).toContain("Restored Rev.1");
    await expect.poll(() => chair.locator('li[data-version="Restored Rev.1"]').count()).toBe(1);
    expect(await dialog.count()).toBe(0);
    // A change announced afterwards reloads the page's data (a revision saved elsewhere appears);
    // the chair's answer stays: a reload used to clear it, and the restore's own announcement could.
    await createRevision(
      db.sql,
      { userId: chairId, role: "chair", delegationId: null, isChair: true, negotiates: false, mayPropose: false },
      { documentId, name: "Saved elsewhere" },
    );
    await chair.locator('li[data-version="Saved elsewhere"]').waitFor();
    expect(await chair.locator("main [role=status]").first().textContent()).toContain("Restored Rev.1");
    // The text the restore replaced is a version of its own, with the edit in it.
    const kept = chair.locator('li[data-version="Before restoring Rev.1"]');
    await kept.getByRole("link", { name: "Changes since" }).click();
    await chair.locator(".redline-list").first().waitFor();
    await expect
      .poll(() => chair.locator(".redline-clause.change-changed del").allTextContents())
      .toEqual(expect.arrayContaining([expect.stringContaining("EDITED AFTER REV1")]));

    // The delegate never reloaded: the restored text arrives over the open connection.
    await expect.poll(() => clauseText(delegate, "OP1"), { timeout: 10_000 }).toBe(original);
  });
});
