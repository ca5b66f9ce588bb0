import { describe, expect, it, type FileFixtures } from "../support/fixtures";
import type { Page } from "playwright-core";
import { signedInContext } from "../support/browser";
import { clauseTexts, storedDoc } from "../support/statement";
import { createNegotiation, deadlineFields, type NegotiationFixture } from "../support/negotiation";
import { createProposal } from "../support/factories";
import { latestSilence } from "../../server/queries/silence-procedures";
import { waitFor } from "../support/wait";
import { axeViolations } from "../support/axe";

let n: NegotiationFixture;
let chair: Page;
let delegate: Page;
let proposal: { id: string; number: number };
/** Agreed before the pages open; nobody signalled on it. */
const agreedIndex = 10;
/** Delegation B cannot accept it yet. */
const contestedIndex = 3;

async function open({ server, browser }: Pick<FileFixtures, "server" | "browser">, cookie: string): Promise<Page> {
  const context = await signedInContext(browser, server.url, cookie, { viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  await page.goto(`${server.url}/documents/${n.documentId}`);
  await page.locator('.connection-badge[data-connection="connected"]').waitFor();
  return page;
}

const goToClause = (page: Page, index: number) => page.locator(`.outline li[data-clause-id="${n.clauses[index].id}"] button`).click();
const clause = (page: Page, index: number) => page.locator(`.statement .clause[data-label="${n.clauses[index].label}"]`);

it.beforeAll(async ({ db, server, browser }) => {
  n = await createNegotiation(db.sql, server.url);
  proposal = await createProposal(db.sql, {
    documentId: n.documentId,
    createdBy: n.delegateA.userId,
    delegationId: n.delegateA.delegationId,
    clauseId: n.clauses[8].id,
    text: "Left open when the text goes to silence.",
  });
  const notYet = { clauseId: n.clauses[contestedIndex].id, signal: "not_yet", reason: "Awaiting instructions." };
  expect((await n.delegateB.post(`/documents/${n.documentId}/signals`, notYet)).status).toBe(200);
  expect((await n.chair.post(`/documents/${n.documentId}/states`, { clauseId: n.clauses[agreedIndex].id, state: "agreed" })).status).toBe(
    200,
  );
  chair = await open({ server, browser }, n.chair.cookie);
  delegate = await open({ server, browser }, n.delegateA.cookie);
  await waitFor(() => server.concord.live.count() === 2, { what: "two live streams" });
});

describe("agreed clauses in Chromium", () => {
  it("a delegate is offered no amendment of an agreed clause, and is told why", async () => {
    await goToClause(delegate, agreedIndex);
    const panel = delegate.locator(".clause-panel");
    await expect.poll(() => panel.getByTestId("agreed-note").textContent()).toBe("Agreed — reopen through the chair.");
    for (const name of ["Replace", "Delete", "Retain"]) expect(await panel.getByRole("button", { name, exact: true }).count()).toBe(0);
    // A new clause after it leaves it as it is, and the server takes that.
    expect(await panel.getByRole("button", { name: `Add a clause after ${n.clauses[agreedIndex].label}` }).count()).toBe(1);
    // An open clause still offers them all.
    await goToClause(delegate, agreedIndex + 1);
    await expect.poll(() => panel.getByRole("button", { name: "Replace", exact: true }).count()).toBe(1);
    expect(await panel.getByTestId("agreed-note").count()).toBe(0);
  });

  it("the chair cannot type into an agreed clause, and is told so before typing; nothing is sent and refused", async ({ db }) => {
    const label = n.clauses[agreedIndex].label;
    const before = clauseTexts(await storedDoc(db.sql, n.documentId))[agreedIndex];
    expect(await clause(chair, agreedIndex).getAttribute("contenteditable")).toBe("false");
    await clause(chair, agreedIndex).locator("p").first().click();
    await expect.poll(() => chair.locator(".clause-panel").getAttribute("data-clause-id")).toBe(n.clauses[agreedIndex].id);
    await expect.poll(() => chair.locator(".lock-note").textContent()).toBe(`${label} is agreed; reopen it to edit.`);
    await chair.keyboard.type("xyz");
    await chair.keyboard.press("Enter");
    await chair.keyboard.press("Backspace");
    expect(await clause(chair, agreedIndex).textContent()).not.toContain("xyz");
    expect(await chair.locator(".refusal-notice").count()).toBe(0);
    expect(await chair.locator(".connection-badge").getAttribute("data-connection")).toBe("connected");
    expect(clauseTexts(await storedDoc(db.sql, n.documentId))[agreedIndex]).toBe(before);
    // The clause next to it takes typing as before, and the notice goes.
    await clause(chair, agreedIndex + 1)
      .locator("p")
      .first()
      .click();
    await expect.poll(() => chair.locator(".lock-note").textContent()).toBe("");
    await chair.keyboard.type(" now");
    await expect.poll(() => clause(chair, agreedIndex + 1).textContent()).toContain(" now");
  });

  it("agreeing a clause a delegation cannot accept yet warns the chair, naming it, and needs a confirmation", async ({ db }) => {
    await goToClause(chair, contestedIndex);
    const control = chair.locator(".state-form");
    await control.getByLabel("Clause state").selectOption("agreed");
    const warning = control.locator(".state-warning");
    const [{ name }] = await db.sql<{ name: string }[]>`select name from delegations where id = ${n.delegateB.delegationId}`;
    await expect.poll(() => warning.textContent()).toContain(`${name} says it cannot accept ${n.clauses[contestedIndex].label} yet.`);
    expect(await axeViolations(chair)).toEqual([]);
    // The browser will not send it unconfirmed.
    await control.getByRole("button", { name: "Set state" }).click();
    expect(await warning.getByRole("checkbox").evaluate((c) => (c as HTMLInputElement).validity.valueMissing)).toBe(true);
    await warning.getByLabel(`Agree ${n.clauses[contestedIndex].label} over this signal`).check();
    await control.getByRole("button", { name: "Set state" }).click();
    await expect.poll(() => control.locator('[role="status"]').textContent()).toContain("is now agreed");
    await expect.poll(() => chair.getByTestId("clause-state").textContent(), { timeout: 10_000 }).toBe("Agreed");
  });
});

describe("adoption with business still open, in Chromium", () => {
  it("the chair sees what is open, confirms, and at adoption the open proposal ends “Not taken up”", async ({ db, server }) => {
    await chair.locator(".silence-open summary").click();
    const business = chair.locator(".open-business");
    await expect.poll(() => business.locator(".open-proposals").textContent()).toContain(`P${proposal.number}`);
    expect(await business.locator(`a[href="/documents/${n.documentId}/proposals/${proposal.id}"]`).count()).toBe(1);
    expect(await business.locator(".open-signals").textContent()).toContain("Awaiting instructions.");
    expect(await axeViolations(chair)).toEqual([]);

    const { date, time } = deadlineFields(new Date(Date.now() + 12_000), "UTC");
    await chair.getByLabel("Deadline date").fill(date);
    await chair.getByLabel("Deadline time").fill(time);
    await chair.getByLabel("Time zone").selectOption("UTC");
    const confirm = business.getByLabel(
      "Close the 1 open proposal as not taken up at adoption, and go ahead although these delegations cannot accept yet",
    );
    // Unconfirmed, the browser does not send it.
    await chair.getByRole("button", { name: "Open the silence procedure" }).click();
    expect(await confirm.evaluate((c) => (c as HTMLInputElement).validity.valueMissing)).toBe(true);
    expect(await latestSilence(db.sql, n.documentId)).toBeNull();
    await confirm.check();
    await chair.getByRole("button", { name: "Open the silence procedure" }).click();
    await expect.poll(() => delegate.getByTestId("silence-running").isVisible(), { timeout: 10_000 }).toBe(true);

    await expect.poll(() => delegate.locator(".silence-adopted").textContent(), { timeout: 30_000 }).toContain("The text is adopted");
    await goToClause(delegate, 8);
    const item = delegate.locator(".clause-panel .proposal-item", { hasText: `P${proposal.number}` });
    await expect.poll(() => item.locator(".proposal-status").textContent(), { timeout: 10_000 }).toBe("Not taken up");
    expect(await delegate.locator(".clause-panel .propose-form").count()).toBe(0);

    const page = await chair.context().newPage();
    await page.goto(`${server.url}/documents/${n.documentId}/proposals/${proposal.id}`);
    expect(await page.getByTestId("proposal-status").textContent()).toBe("Not taken up");
    await page.close();
  }, 90_000);
});
