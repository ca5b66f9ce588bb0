import { describe, expect, it, type FileFixtures } from "../support/fixtures";
import type { Page } from "playwright-core";
import { signedInContext } from "../support/browser";
import { createDelegation, createGroup, createSignedInPerson, createStatement } from "../support/factories";
import { recordSignal } from "../../server/queries/clause-signals";
import { readStatement } from "../../server/negotiation/numbering";

/**
 * In Chromium: a delegate of an NGO sees no Propose or Signal controls in the clause panel, and
 * is told why; a member of a group opens the group's proposal and aligns with it, and the
 * proposal then names it beside the group.
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

async function goToClause(page: Page, label: string) {
  await page.locator(".outline-item", { has: page.locator(".outline-label", { hasText: new RegExp(`^${label}$`) }) }).click();
  await page
    .locator(".clause-panel")
    .getByRole("heading", { name: `Proposals on ${label}` })
    .waitFor();
}

describe("kinds of delegation, in Chromium", () => {
  it("an NGO's delegate sees no Propose or Signal controls, but the reason; a Member State's delegate sees both", async ({
    db,
    server,
    browser,
  }) => {
    const ngo = await createSignedInPerson(db.sql, {
      conferenceId,
      role: "delegate",
      delegation: { code: "ICBL", name: "ICBL", kind: "ngo" },
    });
    const state = await createSignedInPerson(db.sql, { conferenceId, role: "delegate", delegation: { code: "NOR", name: "Norway" } });
    const ngoPage = await openStatement({ server, browser }, ngo.cookie);
    await goToClause(ngoPage, "OP2");
    await expect.poll(() => ngoPage.getByTestId("participation-note").textContent()).toContain("takes part without negotiating");
    expect(await ngoPage.locator(".clause-panel .propose-form").count()).toBe(0);
    expect(await ngoPage.locator(".clause-panel .signal-form").count()).toBe(0);
    // Comments stay open to it.
    expect(
      await ngoPage
        .locator(".clause-panel")
        .getByRole("heading", { name: /Comments/ })
        .count(),
    ).toBeGreaterThan(0);
    const statePage = await openStatement({ server, browser }, state.cookie);
    await goToClause(statePage, "OP2");
    await statePage.locator(".clause-panel .propose-form").getByRole("button", { name: "Replace" }).waitFor();
    expect(await statePage.locator(".clause-panel .signal-form").count()).toBe(1);
    expect(await statePage.getByTestId("participation-note").count()).toBe(0);
  });

  it("a member delegation aligns with its group's proposal, and the proposal shows it beside the group", async ({
    db,
    server,
    browser,
  }) => {
    const brazil = await createDelegation(db.sql, conferenceId, { code: "BRA", name: "Brazil" });
    const group = await createGroup(db.sql, conferenceId, [brazil.id], { code: "G77", name: "G-77 and China" });
    const groupDelegate = await createSignedInPerson(db.sql, { conferenceId, role: "delegate", delegationId: group.id });
    const member = await createSignedInPerson(db.sql, { conferenceId, role: "delegate", delegationId: brazil.id });

    const groupPage = await openStatement({ server, browser }, groupDelegate.cookie);
    await goToClause(groupPage, "OP3");
    await groupPage.locator(".propose-form").getByRole("button", { name: "Retain" }).click();
    await groupPage.getByRole("button", { name: "Submit", exact: true }).click();
    await expect.poll(() => groupPage.getByTestId("proposal-status").textContent()).toBe("Submitted");
    const proposalUrl = groupPage.url();

    const context = await signedInContext(browser, server.url, member.cookie, { viewport: { width: 1280, height: 900 } });
    const memberPage = await context.newPage();
    await memberPage.goto(proposalUrl);
    await memberPage.getByRole("button", { name: "Align with the group" }).click();
    await memberPage.locator(".notice", { hasText: "Your delegation aligns with its group's proposal." }).waitFor();
    await expect.poll(() => memberPage.locator(".proposal-meta").textContent()).toContain("G-77 and China (G77; aligned: BRA)");
    expect(await memberPage.locator(".positions-align").textContent()).toContain("Brazil (BRA)");
  });

  it("the chair agrees a clause over a signal that no longer counts without being asked to confirm, and sees that it does not count", async ({
    db,
    server,
    browser,
  }) => {
    const person = await createSignedInPerson(db.sql, { conferenceId, role: "delegate", delegation: { code: "CHG", name: "Changeling" } });
    const statement = await readStatement(db.sql, documentId);
    statement.ydoc.destroy();
    const op4 = statement.clauses.find((c) => c.label === "OP4")!.id!;
    await recordSignal(db.sql, {
      documentId,
      clauseId: op4,
      delegationId: person.delegationId!,
      userId: person.id,
      signal: "not_yet",
      reason: "Consulting.",
    });
    await db.sql`update delegations set kind = 'observer_state' where id = ${person.delegationId}`;

    const chair = await openStatement({ server, browser }, chairCookie);
    await goToClause(chair, "OP4");
    await expect.poll(() => chair.locator(".clause-panel .signal-list").textContent()).toContain("(does not count toward consensus)");
    await chair.locator(".clause-panel .state-form").getByLabel("Clause state").selectOption("agreed");
    expect(await chair.locator(".clause-panel .state-warning").count()).toBe(0);
    await chair.locator(".clause-panel .state-form").getByRole("button", { name: "Set state" }).click();
    await expect.poll(() => chair.getByTestId("clause-state").first().textContent()).toBe("Agreed");
  });
});
