import { describe, expect, it, type FileFixtures } from "../support/fixtures";
import type { Page } from "playwright-core";
import { signedInContext } from "../support/browser";
import { clauseTexts, storedDoc } from "../support/statement";
import { deadlineFields } from "../support/negotiation";
import { waitFor } from "../support/wait";
import { createDelegation, createSignedInPerson, createStatement } from "../support/factories";

/**
 * A whole negotiation in Chromium, with the chair and two delegations each in their own browser
 * context and their statement pages open throughout (never reloaded): Norway proposes a new text
 * for OP3, Colombia co-sponsors it and comments; Colombia proposes deleting OP5 and Norway objects;
 * the chair accepts Norway's text and everyone sees the base text change; the chair agrees OP3;
 * a silence procedure is broken by Colombia, and a second one passes, adopting the text.
 */
let documentId: string;
let chair: Page;
let norway: Page;
let colombia: Page;
let originalOp3: string;

/** Index of OP3 among the demo statement's clauses (seven preambular clauses come first). */
const op3 = 9;

async function openStatement({ server, browser }: Pick<FileFixtures, "server" | "browser">, cookie: string): Promise<Page> {
  const context = await signedInContext(browser, server.url, cookie, { viewport: { width: 1400, height: 1000 }, timezoneId: "Asia/Baku" });
  const page = await context.newPage();
  await page.goto(`${server.url}/documents/${documentId}`);
  await page.locator(".statement .clause").first().waitFor();
  await page.locator('.connection-badge[data-connection="connected"]').first().waitFor();
  return page;
}

/** Makes a clause the current one through the outline, as a delegate (whose editor is read-only) would. */
async function goToClause(page: Page, label: string) {
  await page.locator(".outline-item", { has: page.locator(".outline-label", { hasText: new RegExp(`^${label}$`) }) }).click();
  await page
    .locator(".clause-panel")
    .getByRole("heading", { name: `Proposals on ${label}` })
    .waitFor();
}

const clauseText = (page: Page, label: string) =>
  page.locator(`.statement .clause[data-label="${label}"]`).evaluate((el) => {
    const copy = el.cloneNode(true) as HTMLElement;
    copy.querySelectorAll(".collab-caret, .comment-anchor-label").forEach((c) => c.remove());
    return copy.textContent;
  });

const proposalItem = (page: Page, number: string) => page.locator(".clause-panel .proposal-item", { hasText: number });

/** Opens a proposal from the clause panel in a second tab, leaving the statement page as it is. */
async function openProposal({ server }: Pick<FileFixtures, "server">, page: Page, number: string): Promise<Page> {
  const href = await proposalItem(page, number)
    .getByRole("link", { name: new RegExp(`^${number} ·`) })
    .getAttribute("href");
  const tab = await page.context().newPage();
  await tab.goto(new URL(href!, server.url).toString());
  await tab.getByTestId("proposal-status").waitFor();
  return tab;
}

it.beforeAll(async ({ db, server, browser }) => {
  const fixture = await createStatement(db.sql);
  documentId = fixture.documentId;
  const nor = await createDelegation(db.sql, fixture.conferenceId, { code: "NOR", name: "Norway" });
  const col = await createDelegation(db.sql, fixture.conferenceId, { code: "COL", name: "Colombia" });
  const ingrid = await createSignedInPerson(db.sql, {
    conferenceId: fixture.conferenceId,
    role: "delegate",
    delegationId: nor.id,
    name: "Ingrid Holm",
  });
  const camila = await createSignedInPerson(db.sql, {
    conferenceId: fixture.conferenceId,
    role: "delegate",
    delegationId: col.id,
    name: "Camila Rojas",
  });
  originalOp3 = clauseTexts(await storedDoc(db.sql, documentId))[op3];
  chair = await openStatement({ server, browser }, fixture.cookie);
  norway = await openStatement({ server, browser }, ingrid.cookie);
  colombia = await openStatement({ server, browser }, camila.cookie);
  await waitFor(() => server.concord.live.count() === 3, { what: "three live streams" });
});

describe("a negotiation with the chair and two delegations, in Chromium", () => {
  it("Norway proposes a new text for OP3; Colombia sees it arrive, co-sponsors it and comments", async ({ server }) => {
    await goToClause(norway, "OP3");
    await norway.locator(".propose-form").getByRole("button", { name: "Replace" }).click();
    const draft = norway.locator('.proposal-draft[aria-label="Proposed text of P1"]');
    await draft.waitFor();
    await expect.poll(() => draft.textContent()).toBe(originalOp3);
    await draft.locator("p").first().click();
    await norway.keyboard.press("Control+End");
    await norway.keyboard.type(" in full partnership with affected communities");
    await expect.poll(() => norway.locator(".proposal-editor .connection-badge").textContent()).toBe("All changes saved");
    await norway.getByRole("button", { name: "Submit", exact: true }).click();
    await expect.poll(() => norway.getByTestId("proposal-status").textContent()).toBe("Submitted");
    await norway.goBack();
    await norway.locator('.statement .clause[data-label="OP3"]').waitFor();

    // Colombia's page was open all along: the proposal appears on OP3 with its change marked.
    await goToClause(colombia, "OP3");
    await expect
      .poll(() => proposalItem(colombia, "P1").locator("ins").textContent(), { timeout: 15_000 })
      .toContain("affected communities");
    expect(await proposalItem(colombia, "P1").textContent()).toContain("Norway (NOR)");

    const p1 = await openProposal({ server }, colombia, "P1");
    await p1.getByRole("button", { name: "Co-sponsor" }).click();
    await expect.poll(() => p1.locator(".positions-cosponsor").textContent()).toContain("Colombia (COL)");
    await p1.close();

    const panel = colombia.locator(".clause-panel");
    await panel.getByRole("button", { name: "Comment on this clause" }).click();
    await panel.getByLabel(/Your comment/).fill("We would welcome a reference to survivors as well.");
    await panel.getByRole("button", { name: "Post comment" }).click();

    // The chair, on OP3, sees the co-sponsor and the comment with Colombia's name, live.
    await goToClause(chair, "OP3");
    const thread = chair.locator(".clause-panel .comment-thread", { hasText: "reference to survivors" });
    await thread.waitFor({ timeout: 15_000 });
    expect(await thread.locator(".comment-affiliation").first().textContent()).toBe("Colombia");
    await expect.poll(() => proposalItem(chair, "P1").textContent()).toContain("Colombia");
  }, 120_000);

  it("Colombia proposes deleting OP5 and Norway objects with a reason", async ({ server }) => {
    await goToClause(colombia, "OP5");
    await colombia.locator(".propose-form").getByRole("button", { name: "Delete" }).click();
    await colombia.getByTestId("proposal-status").waitFor();
    await colombia.getByRole("button", { name: "Submit", exact: true }).click();
    await expect.poll(() => colombia.getByTestId("proposal-status").textContent()).toBe("Submitted");
    await colombia.goBack();
    await colombia.locator('.statement .clause[data-label="OP5"]').waitFor();

    await goToClause(norway, "OP5");
    await proposalItem(norway, "P2").waitFor({ timeout: 15_000 });
    const p2 = await openProposal({ server }, norway, "P2");
    await p2.getByLabel("Reason (required for an objection)").fill("OP5 carries the financing commitment we need.");
    await p2.getByRole("button", { name: "Object" }).click();
    await expect
      .poll(() => p2.locator(".positions-object").textContent())
      .toContain("Norway (NOR): “OP5 carries the financing commitment we need.”");
    await p2.close();

    await goToClause(chair, "OP5");
    await expect
      .poll(() => proposalItem(chair, "P2").locator(".proposal-positions").textContent(), { timeout: 15_000 })
      .toBe("Objected to by NOR");
    // OP5 is under negotiation now: bracketed on every page, derived from the open proposal.
    await expect
      .poll(() => chair.locator('.statement .clause[data-label="OP5"]').getAttribute("class"), { timeout: 15_000 })
      .toContain("clause-bracketed");
  }, 120_000);

  it("the chair accepts Norway's text; the base text changes on every page without a reload", async ({ db, server }) => {
    await goToClause(chair, "OP3");
    const p1 = await openProposal({ server }, chair, "P1");
    await p1.getByRole("button", { name: "Accept" }).click();
    await expect.poll(() => p1.getByTestId("proposal-status").textContent()).toBe("Accepted");
    await p1.close();

    const expected = `${originalOp3} in full partnership with affected communities`;
    for (const page of [chair, norway, colombia]) {
      await expect.poll(() => clauseText(page, "OP3"), { timeout: 15_000 }).toBe(expected);
    }
    expect(clauseTexts(await storedDoc(db.sql, documentId))[op3]).toBe(expected);
    await goToClause(norway, "OP3");
    await expect.poll(() => proposalItem(norway, "P1").locator(".proposal-status").textContent()).toBe("Accepted");
  }, 120_000);

  it("the chair agrees OP3: the delegations see it agreed, and nobody can type into it", async () => {
    await goToClause(chair, "OP3");
    const control = chair.locator(".state-form");
    await control.getByLabel("Clause state").selectOption("agreed");
    await control.getByRole("button", { name: "Set state" }).click();
    await goToClause(colombia, "OP3");
    await expect.poll(() => colombia.getByTestId("clause-state").textContent(), { timeout: 15_000 }).toBe("Agreed");
    await expect.poll(() => norway.locator('.statement .clause[data-label="OP3"]').getAttribute("data-state")).toBe("agreed");

    // The chair's own editor refuses to change the agreed clause.
    const before = await clauseText(chair, "OP3");
    await chair.locator('.statement .clause[data-label="OP3"] p').first().click();
    await chair.keyboard.type("xyz");
    await expect.poll(() => chair.locator(".lock-note").textContent()).toContain("OP3 is agreed");
    expect(await clauseText(chair, "OP3")).toBe(before);
  }, 120_000);

  it("a silence procedure broken by Colombia reopens the negotiation, announced to everyone", async () => {
    await chair.locator(".silence-open summary").click();
    await chair.getByLabel("Deadline date").fill("2099-06-01");
    await chair.getByLabel("Deadline time").fill("18:00:00");
    await chair.getByLabel("Time zone").selectOption("Asia/Baku");
    // Colombia's proposal to delete OP5 is still open: the chair confirms going ahead with it.
    await chair.locator(".open-business").getByRole("checkbox").check();
    await chair.getByRole("button", { name: "Open the silence procedure" }).click();
    await expect.poll(() => colombia.getByTestId("silence-running").isVisible(), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => chair.locator(".statement").getAttribute("contenteditable"), { timeout: 15_000 }).toBe("false");

    await colombia.getByLabel("Your delegation's objection").fill("Colombia cannot join consensus while OP5 remains open.");
    await colombia.getByRole("button", { name: "Break silence", exact: true }).click();
    await colombia.getByRole("dialog").getByRole("button", { name: "Break silence now" }).click();
    for (const page of [chair, norway]) {
      await expect.poll(() => page.locator(".live-notices").textContent(), { timeout: 15_000 }).toContain("Silence broken by Colombia");
      await expect.poll(() => page.getByTestId("silence-broken").textContent()).toContain("cannot join consensus");
    }
    await expect.poll(() => chair.locator(".statement").getAttribute("contenteditable"), { timeout: 15_000 }).toBe("true");
  }, 120_000);

  it("a silence procedure that nobody breaks adopts the text: every clause agreed, the text locked", async ({ db }) => {
    const { date, time } = deadlineFields(new Date(Date.now() + 10_000), "UTC");
    await chair.locator(".silence-open summary").click();
    await chair.getByLabel("Deadline date").fill(date);
    await chair.getByLabel("Deadline time").fill(time);
    await chair.getByLabel("Time zone").selectOption("UTC");
    await chair.locator(".open-business").getByRole("checkbox").check();
    await chair.getByRole("button", { name: "Open the silence procedure" }).click();
    await expect.poll(() => norway.getByTestId("silence-running").isVisible(), { timeout: 15_000 }).toBe(true);

    for (const page of [chair, norway, colombia]) {
      await expect.poll(() => page.locator(".silence-adopted").textContent(), { timeout: 30_000 }).toContain("The text is adopted");
    }
    await expect.poll(() => chair.locator(".statement").getAttribute("contenteditable")).toBe("false");
    await goToClause(norway, "OP5");
    await expect.poll(() => norway.getByTestId("clause-state").textContent()).toBe("Agreed");
    const [{ adopted }] = await db.sql<
      { adopted: boolean }[]
    >`select adopted_at is not null as adopted from documents where id = ${documentId}`;
    expect(adopted).toBe(true);
  }, 120_000);
});
