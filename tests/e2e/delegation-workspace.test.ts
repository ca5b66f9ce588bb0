import type { Page } from "playwright-core";
import { expect, it, type FileFixtures } from "../support/fixtures";
import { signedInContext } from "../support/browser";
import { waitForHydration } from "../support/browser-session";
import { createDelegation, createSignedInPerson, createStatement } from "../support/factories";
import { readStatement } from "../../server/negotiation/numbering";
import { axeViolations } from "../support/axe";

/**
 * A delegate writes a note in their delegation's workspace and holds a paragraph; a fellow
 * delegate, whose statement page and workspace are open, sees both appear without reloading; the
 * chair's view of the same statement shows nothing of either.
 */
let documentId: string;
let op2: string;
let ingrid: Page;
let lars: Page;
let larsWorkspace: Page;
let chair: Page;
const note = "Capital: hold OP2 until the donors' meeting";

async function open({ server, browser }: Pick<FileFixtures, "server" | "browser">, cookie: string, path: string): Promise<Page> {
  const context = await signedInContext(browser, server.url, cookie, { viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${server.url}${path}`);
  await waitForHydration(page);
  // A mark that a reload would wipe: the pages must change in place.
  await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
  return page;
}
const notReloaded = (page: Page) => page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded === true);

/** A statement page, connected, with the cursor in OP2 (its panel shows that paragraph). */
async function onOp2(page: Page) {
  await page.locator('.connection-badge[data-connection="connected"]').waitFor();
  await page.locator('.statement .clause[data-label="OP2"] p').first().click();
  await page.locator(`.clause-panel[data-clause-id="${op2}"]`).waitFor();
}

it.beforeAll(async ({ db, server, browser }) => {
  const fixture = await createStatement(db.sql);
  documentId = fixture.documentId;
  const statement = await readStatement(db.sql, documentId);
  op2 = statement.clauses.find((c) => c.label === "OP2")!.id!;
  statement.ydoc.destroy();
  const norway = await createDelegation(db.sql, fixture.conferenceId, { code: "NOR", name: "Norway" });
  const delegate = (name: string) =>
    createSignedInPerson(db.sql, { conferenceId: fixture.conferenceId, role: "delegate", delegationId: norway.id, name });
  const [a, b] = [await delegate("Ingrid Berg"), await delegate("Lars Dahl")];
  lars = await open({ server, browser }, b.cookie, `/documents/${documentId}`);
  await onOp2(lars);
  larsWorkspace = await open({ server, browser }, b.cookie, `/documents/${documentId}/workspace`);
  chair = await open({ server, browser }, fixture.cookie, `/documents/${documentId}`);
  await onOp2(chair);
  ingrid = await open({ server, browser }, a.cookie, `/documents/${documentId}/workspace`);
});

it("a delegate's note and hold reach a fellow delegate live, and the chair sees nothing of them", async () => {
  const panel = lars.locator(".clause-panel .workspace-mark");
  expect(await panel.getByRole("link").textContent()).toBe("No notes in your workspace");

  await ingrid.getByLabel("Paragraph", { exact: true }).selectOption(op2);
  await ingrid.getByLabel("Note for your delegation").fill(note);
  await ingrid.getByRole("button", { name: "Add the note" }).click();
  // The author's own list shows it, with what only the author may do to it.
  const own = ingrid.locator(`#notes-${op2} .workspace-note`, { hasText: note });
  await own.waitFor();
  expect(await own.getByRole("button", { name: "Delete" }).count()).toBe(1);

  // The fellow delegate's workspace shows the note, and their statement page counts it on OP2.
  await larsWorkspace.locator(`#notes-${op2} .workspace-note-body`, { hasText: note }).waitFor();
  expect(await larsWorkspace.locator(`#notes-${op2} .workspace-note`).getByRole("button").count()).toBe(0);
  await expect.poll(() => panel.getByRole("link").textContent()).toBe("1 note in your workspace");
  await expect.poll(() => lars.locator(`.outline-list li[data-clause-id="${op2}"] .outline-mark`).textContent()).toBe(" 1 note");

  await ingrid.getByRole("button", { name: "Hold OP2, awaiting instructions from capital" }).click();
  await ingrid.getByRole("button", { name: "Clear hold on OP2" }).waitFor();
  await expect.poll(() => panel.locator(".workspace-hold").textContent()).toBe("Held: awaiting instructions from capital");
  await expect.poll(() => lars.locator(`.outline-list li[data-clause-id="${op2}"] .outline-mark`).textContent()).toBe(" Held · 1 note");
  await expect.poll(() => larsWorkspace.locator(`tr[data-clause-id="${op2}"] .workspace-hold`).textContent()).toBe("Held");
  expect([await notReloaded(lars), await notReloaded(larsWorkspace)]).toEqual([true, true]);

  // The chair, on the same paragraph of the same statement, sees nothing: no mark, no count, no link, no note, open or reloaded.
  const chairSees = async () => {
    const text = await chair.locator("body").innerText();
    return [
      await chair.locator(".clause-panel").getAttribute("data-clause-id"),
      await chair.locator(".workspace-mark, .outline-mark, .workspace-link, .workspace-hold").count(),
      text.includes(note),
      text.includes("awaiting instructions"),
      text.includes("workspace"),
    ];
  };
  expect(await chairSees()).toEqual([op2, 0, false, false, false]);
  await chair.reload();
  await onOp2(chair);
  expect(await chairSees()).toEqual([op2, 0, false, false, false]);
  // Nor may the chair open the workspace.
  const refused = await chair.goto(chair.url().replace(/#.*$/, "") + "/workspace");
  expect(refused?.status()).toBe(403);
});

it("the workspace, with a note and a hold, and the statement page marking them, meet WCAG 2.1 AA as axe-core checks them", async () => {
  expect(await axeViolations(ingrid)).toEqual([]);
  expect(await axeViolations(lars)).toEqual([]);
});
