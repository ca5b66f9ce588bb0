import { describe, expect, it, type FileFixtures } from "../support/fixtures";
import { afterAll } from "vitest";
import type { Page } from "playwright-core";
import { caretAtEnd, signedInContext } from "../support/browser";
import { publishNegotiationEvent } from "../../server/negotiation/events";
import { axeViolations } from "../support/axe";
import { createClauseState, createProposal } from "../support/factories";
import { createDelegatesFixture, type DelegatesFixture } from "../support/negotiation";

let f: DelegatesFixture;

it.beforeAll(async ({ db }) => {
  f = await createDelegatesFixture(db.sql);
  // The demo's OP3 was added by an accepted proposal after OP2 and is not final: "OP2 bis".
  await createProposal(db.sql, {
    documentId: f.documentId,
    createdBy: f.chair.userId,
    kind: "add",
    clauseId: f.ids.OP2,
    status: "accepted",
    newClauseId: f.ids.OP3,
    text: f.texts.OP3,
  });
  await createClauseState(db.sql, { documentId: f.documentId, clauseId: f.ids.OP1, state: "agreed", userId: f.chair.userId });
  await createClauseState(db.sql, { documentId: f.documentId, clauseId: f.ids.OP2, state: "under_negotiation", userId: f.chair.userId });
});

async function open({ server, browser }: Pick<FileFixtures, "server" | "browser">, cookie: string, path: string): Promise<Page> {
  const context = await signedInContext(browser, server.url, cookie, { viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  // Notes when the page's live connection is open, so a test knows an event will reach it.
  await page.addInitScript(() => {
    const Original = window.EventSource;
    window.EventSource = class extends Original {
      constructor(url: string | URL, init?: EventSourceInit) {
        super(url, init);
        this.addEventListener("open", () => ((window as unknown as { liveOpen: boolean }).liveOpen = true));
      }
    };
  });
  await page.goto(`${server.url}${path}`);
  return page;
}

const clause = (page: Page, label: string) => page.locator(`.statement .clause[data-label="${label}"]`);
const paragraphText = (page: Page, label: string) =>
  clause(page, label)
    .locator("p")
    .first()
    .evaluate((p) => p.textContent);

describe("the negotiation, live in Chromium", () => {
  it("shows a newly submitted proposal on the compilation page without a reload", async ({ db, server, browser }) => {
    const page = await open({ server, browser }, f.delegates.France.cookie, `/documents/${f.documentId}/compilation`);
    await page.locator('.compiled-clause[data-label="OP5"]').waitFor();
    // Wait for the live connection, then mark the page: a reload would drop the mark.
    await page.waitForFunction(() => (window as unknown as { liveOpen?: boolean }).liveOpen === true);
    await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));
    expect(await page.locator('[data-proposal="P2"]').count()).toBe(0);

    const { Norway } = f.delegates;
    await createProposal(db.sql, {
      documentId: f.documentId,
      createdBy: Norway.userId,
      delegationId: Norway.delegationId,
      clauseId: f.ids.OP5,
      baseText: "Urge all States",
      text: "Call upon all States",
    });
    await publishNegotiationEvent(db.sql, { documentId: f.documentId, topic: "proposals" });

    const proposal = page.locator('.compiled-clause[data-label="OP4"] [data-proposal="P2"]');
    await proposal.waitFor({ timeout: 15_000 });
    expect(await proposal.locator(".proposal-label").textContent()).toBe("OP4 alt");
    expect(await proposal.locator("ins").textContent()).toBe("[inserted: Call upon]");
    expect(await page.locator('.compiled-clause[data-label="OP4"] .clause-text').textContent()).toMatch(/^\[.*\]$/);
    expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await page.context().close();
  });

  it("links each clause of the compilation to its place in the text, and each proposal to its page", async ({ server, browser }) => {
    const page = await open({ server, browser }, f.delegates.France.cookie, `/documents/${f.documentId}/compilation`);
    const op4 = page.locator('.compiled-clause[data-label="OP4"]');
    await op4.getByRole("link", { name: "P2: open the proposal" }).click();
    await page.waitForURL(/\/proposals\//);
    await page.goBack();
    await op4.getByRole("link", { name: "OP4: open in the text" }).click();
    await page.waitForURL(new RegExp(`/documents/${f.documentId}#clause-${f.ids.OP5}$`));
    // The text opens with the caret in that clause, so the side panel shows its proposals.
    await expect.poll(() => page.locator(".clause-panel").getAttribute("data-clause-id"), { timeout: 15_000 }).toBe(f.ids.OP5);
    await page.context().close();
  });

  describe("on the statement page", () => {
    let page: Page;
    it.beforeAll(async ({ server, browser }) => {
      page = await open({ server, browser }, f.chair.cookie, `/documents/${f.documentId}`);
      await clause(page, "OP1").waitFor();
      await page.locator('.connection-badge[data-connection="connected"]').waitFor();
    });
    afterAll(async () => page?.context().close());

    it("labels a provisional clause OP2 bis, and the next one keeps OP3, in the text and the outline", async () => {
      await expect.poll(() => clause(page, "OP2 bis").count()).toBe(1);
      expect(await clause(page, "OP2 bis").getAttribute("data-clause-id")).toBe(f.ids.OP3);
      expect(await clause(page, "OP3").getAttribute("data-clause-id")).toBe(f.ids.OP4);
      expect(await page.locator(".outline-label").allTextContents()).toEqual(expect.arrayContaining(["OP2", "OP2 bis", "OP3"]));
    });

    it("brackets a clause under negotiation and shows its state", async () => {
      const op2 = clause(page, "OP2");
      await expect.poll(() => op2.getAttribute("class")).toContain("clause-bracketed");
      expect(await op2.locator(".state-badge").textContent()).toBe("Under negotiation");
      expect(await op2.getAttribute("aria-label")).toBe("Clause OP2, under negotiation");
      const brackets = await op2.evaluate((el) => {
        const paragraphs = el.querySelectorAll(":scope > p");
        return [
          getComputedStyle(paragraphs[0], "::before").content,
          getComputedStyle(paragraphs[paragraphs.length - 1], "::after").content,
        ];
      });
      expect(brackets).toEqual(['"["', '"]"']);
      // An agreed clause is never bracketed.
      expect(await clause(page, "OP1").getAttribute("class")).not.toContain("clause-bracketed");
    });

    it("shows an agreed clause as Agreed, and typing into it changes nothing, with an explanation", async () => {
      const op1 = clause(page, "OP1");
      expect(await op1.locator(".state-badge").textContent()).toBe("Agreed");
      const before = await paragraphText(page, "OP1");
      await caretAtEnd(page, "OP1");
      await page.keyboard.type("xyz");
      await page.keyboard.press("Backspace");
      await expect.poll(() => page.locator(".lock-note").textContent()).toBe("OP1 is agreed; reopen it to edit.");
      expect(await paragraphText(page, "OP1")).toBe(before);
      // The clause next to it is still open to edits.
      await caretAtEnd(page, "OP4");
      await page.keyboard.type(" now");
      await expect.poll(() => paragraphText(page, "OP4")).toMatch(/ now$/);
      // Badges, brackets and the explanation keep the page accessible.
      expect(await axeViolations(page)).toEqual([]);
    });

    it("applies a new clause state as soon as it is announced, without a reload", async ({ db }) => {
      await createClauseState(db.sql, { documentId: f.documentId, clauseId: f.ids.OP6, state: "agreed_ad_ref", userId: f.chair.userId });
      await publishNegotiationEvent(db.sql, { documentId: f.documentId, topic: "states" });
      await expect.poll(() => clause(page, "OP5").locator(".state-badge").textContent(), { timeout: 15_000 }).toBe("Agreed ad ref.");
    });
  });
});
