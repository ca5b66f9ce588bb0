import { expect, test as it } from "../support/fixtures";
import { publishNegotiationEvent } from "../../server/negotiation/events";
import { axeViolations } from "../support/axe";
import { createPosition, createProposal } from "../support/factories";
import { createDelegatesFixture, type DelegatesFixture } from "../support/negotiation";

let f: DelegatesFixture;
let word: string;

it.beforeAll(async ({ db }) => {
  f = await createDelegatesFixture(db.sql);
  const { Norway, France } = f.delegates;
  const words = f.texts.OP2.split(" ");
  word = words[2];
  const p = await createProposal(db.sql, {
    documentId: f.documentId,
    createdBy: Norway.userId,
    delegationId: Norway.delegationId,
    clauseId: f.ids.OP2,
    baseText: f.texts.OP2,
    text: [...words.slice(0, 2), "REPLACED", ...words.slice(3)].join(" "),
  });
  await createPosition(db.sql, { proposalId: p.id, delegationId: France.delegationId, position: "cosponsor", userId: France.userId });
});

it("switches the statement page between the clean and the rolling text, live, and hides the attributions", async ({ db, openPage }) => {
  const page = await openPage(`/documents/${f.documentId}`, f.delegates.Germany.cookie);
  await page.addInitScript(() => {
    const Original = window.EventSource;
    window.EventSource = class extends Original {
      constructor(url: string | URL, init?: EventSourceInit) {
        super(url, init);
        this.addEventListener("open", () => ((window as unknown as { liveOpen: boolean }).liveOpen = true));
      }
    };
  });
  await page.reload();
  await page.locator('.statement .clause[data-label="OP2"]').waitFor();
  const rolling = page.locator(".rolling-text");
  expect(await rolling.count()).toBe(0);

  await page.getByRole("link", { name: "Rolling text" }).click();
  await page.waitForURL(/\?view=rolling$/);
  const op2 = rolling.locator('.rolling-clause[data-label="OP2"]');
  await expect.poll(() => op2.textContent()).toContain(`[${word}/REPLACED (NOR, FRA)]`);
  expect(await page.locator(".statement .clause").count()).toBe(0);
  expect(await axeViolations(page)).toEqual([]);

  // A proposal submitted meanwhile appears without a reload.
  await page.waitForFunction(() => (window as unknown as { liveOpen?: boolean }).liveOpen === true);
  const { Germany } = f.delegates;
  await createProposal(db.sql, {
    documentId: f.documentId,
    createdBy: Germany.userId,
    delegationId: Germany.delegationId,
    kind: "delete",
    clauseId: f.ids.OP4,
    baseText: f.texts.OP4,
  });
  await publishNegotiationEvent(db.sql, { documentId: f.documentId, topic: "proposals" });
  await expect
    .poll(() => rolling.locator('.rolling-clause[data-label="OP4"]').textContent(), { timeout: 15_000 })
    .toContain("[Delete OP4 (DEU)]");

  await page.getByRole("link", { name: "Hide attributions" }).click();
  await page.waitForURL(/attributions=0/);
  await expect.poll(() => op2.textContent()).toContain(`[${word}/REPLACED]`);
  expect(await rolling.textContent()).not.toMatch(/\((NOR|FRA|DEU)/);

  await page.getByRole("link", { name: "Clean text" }).click();
  await page.locator('.statement .clause[data-label="OP2"]').waitFor();
  expect(await rolling.count()).toBe(0);
  await page.context().close();
});

it("shows the rolling text on the compilation page, with the chair's downloads of it", async ({ openPage }) => {
  const page = await openPage(`/documents/${f.documentId}/compilation?view=rolling&attributions=0`, f.chair.cookie);
  const op2 = page.locator('.rolling-text .rolling-clause[data-label="OP2"]');
  expect(await op2.textContent()).toContain(`[${word}/REPLACED]`);
  expect(await page.locator(".compiled-clause").count()).toBe(0);
  expect(await page.getByRole("link", { name: "Word" }).getAttribute("href")).toBe(
    `/documents/${f.documentId}/export?format=docx&rolling=1&attributions=0`,
  );
  await page.getByRole("link", { name: "Clean text" }).click();
  await page.locator('.compiled-clause[data-label="OP2"]').waitFor();
  await page.context().close();
});
