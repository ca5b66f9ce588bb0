import { describe, expect, it } from "../support/fixtures";
import type { Page } from "playwright-core";
import { createStatement } from "../support/factories";
import { createDelegatesFixture } from "../support/negotiation";

/** The page's frame around the text: the masthead's links and buttons, and the saving badge. */
let documentId: string;
let cookie: string;

it.beforeAll(async ({ db }) => {
  ({ documentId, cookie } = await createStatement(db.sql));
});

const box = async (page: Page, selector: string) => (await page.locator(selector).first().boundingBox())!;

describe("the statement page's frame in Chromium", () => {
  it("keeps the masthead's links apart and its buttons on one row", async ({ openPage }) => {
    const page = await openPage(`/documents/${documentId}`, cookie, { viewport: { width: 1400, height: 900 } });
    await page.locator('.connection-badge[data-connection="connected"]').waitFor();
    const masthead = page.locator(".masthead");
    const compilation = (await masthead.getByRole("link", { name: "Compilation", exact: true }).boundingBox())!;
    const history = (await masthead.getByRole("link", { name: "History", exact: true }).boundingBox())!;
    // Before, the two links ran together as "CompilationHistory".
    expect(history.x - (compilation.x + compilation.width)).toBeGreaterThanOrEqual(8);
    const save = (await masthead.getByText("Save a revision", { exact: true }).boundingBox())!;
    const exportMenu = (await masthead.getByText("Export", { exact: true }).boundingBox())!;
    expect(Math.abs(save.y - exportMenu.y)).toBeLessThan(4);
    expect(Math.abs(save.y + save.height / 2 - (history.y + history.height / 2))).toBeLessThan(8);
  });

  it("keeps the saving badge in view while the text scrolls, on a desktop and on a phone", async ({ openPage }) => {
    for (const viewport of [
      { width: 1400, height: 900 },
      { width: 390, height: 844 },
    ]) {
      const page = await openPage(`/documents/${documentId}`, cookie, { viewport });
      await page.locator('.connection-badge[data-connection="connected"]').waitFor();
      // Half-way down the text, where one types after reading the preamble.
      await page.evaluate(() => document.querySelector('.statement .clause[data-label="OP2"]')!.scrollIntoView({ block: "center" }));
      expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(300);
      const badge = await box(page, ".connection-badge");
      expect(badge.y).toBeGreaterThanOrEqual(0);
      expect(badge.y + badge.height).toBeLessThanOrEqual(viewport.height);
      // What sticks below it (the editing tools) is not hidden under it, and takes one row on a phone.
      const bar = await box(page, ".status-bar");
      const toolbar = await box(page, ".toolbar");
      expect(toolbar.y).toBeGreaterThanOrEqual(bar.y + bar.height - 1);
      if (viewport.width < 640) expect(toolbar.height).toBeLessThan(60);
      await page.context().close();
    }
  });

  it("says when the consensus matrix has more delegations to the side, and keeps each row's clause in view", async ({ db, openPage }) => {
    const f = await createDelegatesFixture(db.sql);
    const page = await openPage(`/documents/${f.documentId}/consensus`, f.chair.cookie, { viewport: { width: 560, height: 900 } });
    const hint = page.locator(".side-scroll-hint");
    await expect.poll(() => hint.textContent()).toBe("Scroll sideways to see all 3 delegations →");
    expect(await hint.isVisible()).toBe(true);
    const region = page.getByRole("region", { name: "Consensus matrix" });
    // The region takes the keyboard focus and scrolls with the arrow keys.
    await region.focus();
    for (let i = 0; i < 20; i++) await page.keyboard.press("ArrowRight");
    await expect.poll(() => hint.textContent()).toBe("← Scroll sideways to see all 3 delegations");
    const clauseCell = await box(page, ".consensus-matrix tbody th");
    const regionBox = (await region.boundingBox())!;
    expect(Math.abs(clauseCell.x - regionBox.x)).toBeLessThan(2);
    // Wide enough, nothing is hidden and no hint is shown.
    await page.setViewportSize({ width: 1400, height: 900 });
    await expect.poll(() => hint.isVisible()).toBe(false);
  });
});
