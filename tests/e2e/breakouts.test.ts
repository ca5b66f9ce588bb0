import { describe, expect, it } from "../support/fixtures";
import { axeViolations } from "../support/axe";
import { createSignedInPerson, createStatement } from "../support/factories";
import { currentStatement } from "../../server/negotiation/numbering";
import { listBreakouts } from "../../server/queries/breakouts";
import type { Locator, Page } from "playwright-core";

/** An element's text as its reader sees it, without other people's caret labels. */
const textOf = (element: Locator) =>
  element.evaluate((e) => {
    const copy = e.cloneNode(true) as HTMLElement;
    copy.querySelectorAll(".collab-caret").forEach((c) => c.remove());
    return copy.textContent;
  });
const statementClause = (page: Page, clauseId: string) => page.locator(`.statement .clause[data-clause-id="${clauseId}"]`);

/**
 * A breakout's round trip in Chromium: the chair sets one up on a clause, the facilitator (a
 * delegate) tables a proposal there and accepts it into the breakout text, then writes in it; the
 * plenary shows the clause in breakout meanwhile; the facilitator submits the outcome (a proposal
 * covering its clauses), the chair accepts it on the proposal's page, and the statement page shows
 * the new text.
 */
describe("a facilitated breakout, in Chromium", () => {
  it("the chair sets it up, the facilitator decides a proposal, edits and submits, the chair accepts the package, the plenary shows the new text", async ({
    db,
    openPage,
  }) => {
    const { documentId, conferenceId, cookie: chairCookie } = await createStatement(db.sql);
    const facilitator = await createSignedInPerson(db.sql, {
      conferenceId,
      role: "delegate",
      name: "Facilitator Fay",
      delegation: { code: "NOR", name: "Norway" },
    });
    const op2 = (await currentStatement(db.sql, documentId)).clauses.find((c) => c.label === "OP2")!;
    const viewport = { viewport: { width: 1280, height: 900 } };

    const chair = await openPage(`/documents/${documentId}/breakouts`, chairCookie, viewport);
    await chair.locator(`input[name="clauses"][value="${op2.id}"]`).check();
    await chair.getByLabel("Facilitator", { exact: true }).selectOption({ value: facilitator.id });
    await chair.locator(`input[name="delegations"][value="${facilitator.delegationId}"]`).check();
    expect(await axeViolations(chair)).toEqual([]);
    await chair.getByRole("button", { name: "Set up the breakout" }).click();
    await chair.getByRole("heading", { name: /Breakout B1/ }).waitFor();
    const [breakout] = await listBreakouts(db.sql, documentId);

    // The plenary shows the clause in breakout, with its facilitator and a link.
    const plenary = await openPage(`/documents/${documentId}`, chairCookie, viewport);
    await plenary.locator(".statement .clause").first().waitFor();
    const mark = plenary.getByTestId("breakout-mark");
    await expect.poll(() => mark.textContent()).toBe("OP2 in breakout B1 (facilitator: Facilitator Fay)");
    expect(await mark.getByRole("link", { name: "B1" }).getAttribute("href")).toBe(`/documents/${documentId}/breakouts/${breakout.id}`);

    const fay = await openPage(`/documents/${documentId}/breakouts/${breakout.id}`, facilitator.cookie, viewport);
    const editor = fay.getByRole("textbox", { name: "Breakout text of OP2" });
    await expect.poll(() => textOf(editor)).toBe(op2.text);
    // A proposal inside the breakout: tabled with its text, accepted by the facilitator into the breakout text, live.
    await fay.getByText("Propose a text for OP2").click();
    await fay.getByRole("textbox", { name: "Proposed text of OP2" }).click();
    await fay.keyboard.press("Control+End");
    await fay.keyboard.type(" in the breakout");
    await fay.getByRole("button", { name: "Table the proposal" }).click();
    await fay.getByText("B1/P1 tabled.").waitFor();
    await fay.getByRole("button", { name: "Accept B1/P1" }).click();
    await fay.getByText("Accepted; its text is in the breakout text.").waitFor();
    await expect.poll(() => fay.getByTestId("breakout-proposal-status").textContent()).toBe("Accepted");
    await expect.poll(() => textOf(editor)).toBe(`${op2.text} in the breakout`);
    await editor.click();
    await fay.keyboard.press("Control+Home");
    await fay.keyboard.type("As agreed in the breakout, ");
    const agreed = `As agreed in the breakout, ${op2.text} in the breakout`;
    // The chair's page follows the breakout text live.
    const chairEditor = chair.getByRole("textbox", { name: "Breakout text of OP2" });
    await expect.poll(() => textOf(chairEditor)).toBe(agreed);
    await fay.locator(".connection-badge", { hasText: "All changes saved" }).first().waitFor();
    await fay.getByRole("button", { name: "Submit the outcome to the plenary" }).click();
    await fay.getByText(/The outcome is submitted to the plenary as one package, proposal P\d+\./).waitFor();

    // The chair's page reloads with the package, a proposal before the plenary, which the chair decides on its own page.
    await chair.getByRole("link", { name: /^P\d+$/ }).click();
    await chair.getByRole("heading", { name: /Breakout package OP2/ }).waitFor();
    expect(await chair.getByTestId("package-clause").textContent()).toContain("As agreed in the breakout,");
    expect(await axeViolations(chair)).toEqual([]);
    await chair.getByRole("button", { name: "Accept", exact: true }).click();
    await chair.getByText("Accepted; the text is in the statement.").waitFor();
    await expect.poll(() => chair.getByTestId("proposal-status").textContent()).toBe("Accepted");

    // The plenary page, open all along, shows the new text under the same number, and no longer the mark.
    await expect.poll(() => textOf(statementClause(plenary, op2.id!)), { timeout: 15_000 }).toBe(agreed);
    expect(await statementClause(plenary, op2.id!).getAttribute("data-label")).toBe("OP2");
    await expect.poll(() => mark.count()).toBe(0);
  });
});
