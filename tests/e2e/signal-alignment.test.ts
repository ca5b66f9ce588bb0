import { describe, expect, it } from "../support/fixtures";
import { signedInContext } from "../support/browser";
import { createDelegation, createGroup, createSignedInPerson, createStatement } from "../support/factories";
import { recordSignal } from "../../server/queries/clause-signals";
import { readStatement } from "../../server/negotiation/numbering";
import { participant } from "../support/negotiation";

/**
 * In Chromium: a member delegation aligns with its group's signal from the clause panel; the
 * signal list then shows the group's signal as the member's, "aligned with G77", and follows
 * the group when it changes its signal.
 */
describe("aligning with a group's signal, in Chromium", () => {
  it("a member aligns from the signal form and the list shows the group's signal as its own, live", async ({ db, server, browser }) => {
    const { documentId, conferenceId } = await createStatement(db.sql);
    const brazil = await createDelegation(db.sql, conferenceId, { code: "BRA", name: "Brazil" });
    const group = await createGroup(db.sql, conferenceId, [brazil.id], { code: "G77", name: "G-77 and China" });
    const groupDelegate = await createSignedInPerson(db.sql, { conferenceId, role: "delegate", delegationId: group.id });
    const member = await createSignedInPerson(db.sql, { conferenceId, role: "delegate", delegationId: brazil.id });
    const statement = await readStatement(db.sql, documentId);
    statement.ydoc.destroy();
    const op2 = statement.clauses.find((c) => c.label === "OP2")!.id!;
    await recordSignal(db.sql, {
      documentId,
      clauseId: op2,
      delegationId: group.id,
      userId: groupDelegate.id,
      signal: "not_yet",
      reason: "The Group is consulting.",
    });

    const context = await signedInContext(browser, server.url, member.cookie, { viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/documents/${documentId}`);
    await page.locator(".statement .clause").first().waitFor();
    await page.locator('.connection-badge[data-connection="connected"]').first().waitFor();
    await page.locator(".outline-item", { has: page.locator(".outline-label", { hasText: /^OP2$/ }) }).click();
    const form = page.locator(".clause-panel .signal-form");
    await form.getByLabel("Align with G-77 and China").check();
    await form.getByRole("button", { name: "Give signal" }).click();
    await form.getByRole("status").waitFor();
    const brazilLine = page.locator(".clause-panel .signal-list li", { hasText: "Brazil" });
    await expect.poll(() => brazilLine.textContent()).toContain("Brazil (aligned with G77): Cannot accept yet — The Group is consulting.");

    // The group changes its signal; the member's page follows without a reload.
    const groupAsParticipant = await participant(server.url, groupDelegate);
    expect((await groupAsParticipant.post(`/documents/${documentId}/signals`, { clauseId: op2, signal: "accept" })).status).toBe(200);
    await expect.poll(() => brazilLine.textContent()).toContain("Brazil (aligned with G77): Can accept");
    // The form shows the alignment as the delegation's choice.
    expect(await form.getByLabel("Align with G-77 and China").isChecked()).toBe(true);
  });
});
