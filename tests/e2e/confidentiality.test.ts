import { readFile } from "node:fs/promises";
import type { Page } from "playwright-core";
import { expect, it, type FileFixtures } from "../support/fixtures";
import { createProposal, createSignedInPerson, createStatement } from "../support/factories";
import { signedInContext } from "../support/browser";
import { zipText } from "../support/zip";
import { entriesOf } from "../support/audit";
import { readStatement } from "../../server/negotiation/numbering";
import { findConference } from "../../server/queries/conferences";

/**
 * In Chromium: a delegate downloads the draft from the statement page's Export menu (the file is
 * read back and the download is in the audit trail); an observer of a conference in standard
 * confidentiality sees the text and its clause, but no proposals, comments or compilation link,
 * and is offered no compilation download.
 */
let fixture: Awaited<ReturnType<typeof createStatement>>;
let delegateCookie: string;
let observerCookie: string;

it.beforeAll(async ({ db }) => {
  fixture = await createStatement(db.sql);
  const delegate = await createSignedInPerson(db.sql, { conferenceId: fixture.conferenceId, role: "delegate" });
  delegateCookie = delegate.cookie;
  observerCookie = (await createSignedInPerson(db.sql, { conferenceId: fixture.conferenceId, role: "observer" })).cookie;
  const { ydoc, clauses } = await readStatement(db.sql, fixture.documentId);
  ydoc.destroy();
  await createProposal(db.sql, {
    documentId: fixture.documentId,
    createdBy: delegate.id,
    delegationId: delegate.delegationId,
    clauseId: clauses.find((c) => c.label === "OP1")!.id,
    text: "Proposedwording for OP1",
  });
});

async function open({ server, browser }: Pick<FileFixtures, "server" | "browser">, cookie: string): Promise<Page> {
  const context = await signedInContext(browser, server.url, cookie, { viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(`${server.url}/documents/${fixture.documentId}`);
  await page.locator(".statement .clause").first().waitFor();
  await page.locator('.connection-badge[data-connection="connected"]').waitFor();
  return page;
}

const clause = (page: Page, label: string) => page.locator(`.statement .clause[data-label="${label}"]`);

it("a delegate downloads the draft as Word from the statement page", async ({ db, server, browser }) => {
  const page = await open({ server, browser }, delegateCookie);
  await page.getByText("Export", { exact: true }).click();
  await page.getByLabel("Format").selectOption("docx");
  await page.getByLabel("Draft (watermark, brackets)").check();
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download" }).click()]);
  expect(download.suggestedFilename()).toMatch(/_draft\.docx$/);
  const file = await readFile(await download.path());
  expect(await zipText(file, "word/header1.xml")).toContain('string="DRAFT"');
  expect(await zipText(file, "word/document.xml")).toContain("Reaffirm");
  const [entry] = await entriesOf(db.sql, fixture.conferenceId, "export.downloaded");
  expect(entry).toMatchObject({ actorRole: "delegate" });
  expect(entry.subject).toMatchObject({ format: "docx", draft: true, filename: download.suggestedFilename() });
  // Delegates see the negotiation: the clause's proposals are in the side panel.
  await clause(page, "OP1").locator("p").first().click();
  await expect.poll(() => page.locator(".proposals-section").textContent()).toContain("Proposedwording");
  await page.context().close();
});

it("an observer in standard mode sees the text without proposals, comments or compilation", async ({ server, browser }) => {
  const page = await open({ server, browser }, observerCookie);
  await clause(page, "OP1").locator("p").first().click();
  await expect.poll(() => page.locator(".clause-panel").getAttribute("data-clause-id")).not.toBeNull();
  await expect.poll(() => page.locator(".clause-panel").textContent()).toContain("This clause");
  expect(await page.locator(".proposals-section").count()).toBe(0);
  expect(await page.locator(".clause-panel .comments").count()).toBe(0);
  expect(await page.getByRole("link", { name: "Compilation" }).count()).toBe(0);
  expect(await page.content()).not.toContain("Proposedwording");
  // The observer downloads the text, but is offered no compilation.
  await page.getByText("Export", { exact: true }).click();
  const formats = await page.getByLabel("Format").locator("option").allTextContents();
  expect(formats).toContain("Word (DOCX)");
  expect(formats).not.toContain("Compilation text (DOCX)");
  await page.context().close();
});

it("the secretariat closes the conference for informal consultations: an observer's open statement is cut off", async ({
  db,
  server,
  browser,
}) => {
  const secretariat = await createSignedInPerson(db.sql, { conferenceId: fixture.conferenceId, role: "secretariat" });
  const observer = await open({ server, browser }, observerCookie);
  const context = await signedInContext(browser, server.url, secretariat.cookie, { viewport: { width: 1280, height: 900 } });
  const settings = await context.newPage();
  await settings.goto(`${server.url}/conferences/${fixture.conferenceId}`);
  await settings.getByLabel(/Closed \(informal consultations\)/).check();
  await settings.getByRole("button", { name: "Save confidentiality" }).click();
  await expect.poll(() => settings.getByLabel(/Closed \(informal consultations\)/).isChecked()).toBe(true);
  await expect.poll(async () => (await findConference(db.sql, fixture.conferenceId))!.confidentiality).toBe("closed");

  await expect
    .poll(() => observer.locator(".connection-badge").textContent())
    .toContain("Disconnected: your access to this conference was removed");
  await observer.reload();
  await expect.poll(() => observer.locator("body").textContent()).toContain("closed session (informal consultations)");
  await context.close();
  await observer.context().close();
});
