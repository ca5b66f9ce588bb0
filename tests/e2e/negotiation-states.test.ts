import { describe, expect, it, type FileFixtures } from "../support/fixtures";
import type { Page } from "playwright-core";
import { caretAtEnd, signedInContext } from "../support/browser";
import { createNegotiation, deadlineFields, type NegotiationFixture } from "../support/negotiation";
import { waitFor } from "../support/wait";
import { axeViolations } from "../support/axe";

let n: NegotiationFixture;
let chairMatrix: Page;
let chairStatement: Page;
let delegate: Page;

async function open(
  { server, browser }: Pick<FileFixtures, "server" | "browser">,
  cookie: string,
  path: string,
  ready: string,
): Promise<Page> {
  const context = await signedInContext(browser, server.url, cookie, { viewport: { width: 1400, height: 1000 }, timezoneId: "Asia/Baku" });
  const page = await context.newPage();
  await page.goto(`${server.url}${path}`);
  await page.locator(ready).first().waitFor();
  return page;
}

/** Puts the person on a clause through the outline, as the keyboard or a click would. */
const goToClause = (page: Page, clauseId: string) => page.locator(`.outline li[data-clause-id="${clauseId}"] button`).click();

it.beforeAll(async ({ db, server, browser }) => {
  n = await createNegotiation(db.sql, server.url);
  chairMatrix = await open({ server, browser }, n.chair.cookie, `/documents/${n.documentId}/consensus`, ".consensus-matrix");
  chairStatement = await open(
    { server, browser },
    n.chair.cookie,
    `/documents/${n.documentId}`,
    '.connection-badge[data-connection="connected"]',
  );
  delegate = await open(
    { server, browser },
    n.delegateA.cookie,
    `/documents/${n.documentId}`,
    '.connection-badge[data-connection="connected"]',
  );
  // Every page's live stream is open before anything happens.
  await waitFor(() => server.concord.live.count() === 3, { what: "three live streams" });
});

describe("signals, clause states and the silence procedure in Chromium", () => {
  it("the signal form opens with no signal chosen, and the browser will not send it until one is", async () => {
    await goToClause(delegate, n.clauses[1].id);
    const radios = delegate.locator('.signal-form input[name="signal"]');
    expect(await radios.count()).toBe(3);
    expect(await radios.evaluateAll((inputs) => inputs.filter((i) => (i as HTMLInputElement).checked).length)).toBe(0);
    expect(await radios.first().evaluate((i) => (i as HTMLInputElement).validity.valueMissing)).toBe(true);
  });

  it("a delegate's 'cannot accept yet' reaches the chair's consensus matrix live", async () => {
    const clause = n.clauses[1];
    await goToClause(delegate, clause.id);
    const form = delegate.locator(".signal-form");
    await form.getByLabel("Cannot accept yet").check();
    await form.getByLabel("Reason or reservation").fill("Awaiting instructions from our capital.");
    await form.getByRole("button", { name: "Give signal" }).click();
    await expect.poll(() => form.locator('[role="status"]').textContent()).toContain("Cannot accept yet");

    const cell = chairMatrix.locator(`tr[data-clause-id="${clause.id}"] .signal-not_yet`);
    await expect.poll(() => cell.textContent(), { timeout: 10_000 }).toContain("Awaiting instructions from our capital.");
    // Everyone sees the signal on the clause.
    await goToClause(chairStatement, clause.id);
    await expect.poll(() => chairStatement.locator(".clause-status .signal-list").textContent()).toContain("Awaiting instructions");
  });

  it("a reason is required: the delegate is told, nothing is recorded", async ({ db }) => {
    const form = delegate.locator(".signal-form");
    await form.getByLabel("Cannot accept yet").check();
    await form.getByLabel("Reason or reservation").fill("");
    await form.getByRole("button", { name: "Give signal" }).click();
    await expect
      .poll(() => form.locator('[role="alert"]').allTextContents())
      .toContain("Say why your delegation cannot accept this clause yet.");
    const [{ count }] = await db.sql<
      { count: number }[]
    >`select count(*)::int as count from clause_signals where document_id = ${n.documentId}`;
    expect(count).toBe(1);
  });

  it("the chair agrees a clause and the delegate's page shows it without reloading", async () => {
    const clause = n.clauses[2];
    await goToClause(delegate, clause.id);
    await expect.poll(() => delegate.getByTestId("clause-state").textContent()).toBe("Open");
    await goToClause(chairStatement, clause.id);
    const control = chairStatement.locator(".state-form");
    await control.getByLabel("Clause state").selectOption("agreed");
    await control.getByLabel("Reason (optional)").fill("Agreed in the informal consultations.");
    await control.getByRole("button", { name: "Set state" }).click();
    await expect.poll(() => delegate.getByTestId("clause-state").textContent(), { timeout: 10_000 }).toBe("Agreed");
    await expect
      .poll(() => chairMatrix.locator(`tr[data-clause-id="${clause.id}"] .state-badge`).textContent(), { timeout: 10_000 })
      .toBe("Agreed");
  });

  it("the consensus matrix, the signal form and the state control meet WCAG 2.1 AA", async () => {
    expect(await axeViolations(chairMatrix)).toEqual([]);
    expect(await axeViolations(delegate)).toEqual([]);
    expect(await axeViolations(chairStatement)).toEqual([]);
  });

  it("an edit the server refuses (a clause agreed meanwhile) reopens the editor with a message instead of ending it", async ({
    db,
    server,
  }) => {
    const clause = n.clauses[4];
    // Agreed behind the page's back (no event), so only the server knows: as for a chair typing at that moment.
    await db.sql`insert into clause_states (document_id, clause_id, state, user_id) values (${n.documentId}, ${clause.id}, 'agreed', ${n.chair.userId})`;
    await server.concord.collab.refreshLocks(n.documentId);
    await caretAtEnd(chairStatement, clause.label);
    await chairStatement.keyboard.type(" refused words");

    const notice = chairStatement.locator(".refusal-notice");
    await expect.poll(() => notice.textContent(), { timeout: 10_000 }).toContain("agreed");
    await chairStatement.locator('.connection-badge[data-connection="connected"]').waitFor();
    await expect
      .poll(() => chairStatement.locator(`.statement .clause[data-label="${clause.label}"]`).textContent())
      .not.toContain("refused words");
    // The fresh copy edits other clauses as before.
    await caretAtEnd(chairStatement, n.clauses[5].label);
    await chairStatement.keyboard.type(" accepted words");
    await expect.poll(() => chairStatement.locator(".connection-badge").textContent(), { timeout: 10_000 }).toBe("All changes saved");
    await notice.getByRole("button", { name: "Dismiss" }).click();
    expect(await notice.count()).toBe(0);
  });

  it("a delegate breaks silence and the chair's page announces it live", async () => {
    await chairStatement.locator(".silence-open summary").click();
    await chairStatement.getByLabel("Deadline date").fill("2099-06-01");
    await chairStatement.getByLabel("Deadline time").fill("18:00:00");
    // The chair's own zone is the default.
    expect(await chairStatement.getByLabel("Time zone").inputValue()).toBe("Asia/Baku");
    // The delegate's "cannot accept yet" is still open business: the chair confirms going ahead over it.
    await chairStatement.locator(".open-business").getByLabel("Go ahead although these delegations cannot accept yet").check();
    await chairStatement.getByRole("button", { name: "Open the silence procedure" }).click();

    const banner = delegate.getByTestId("silence-running");
    await expect.poll(() => banner.textContent(), { timeout: 10_000 }).toContain("Asia/Baku");
    // The editor is read-only for the chair while silence runs.
    await expect.poll(() => chairStatement.locator(".statement").getAttribute("contenteditable"), { timeout: 10_000 }).toBe("false");

    expect(await axeViolations(delegate)).toEqual([]);
    await delegate.getByLabel("Your delegation's objection").fill("We cannot join consensus on OP4 as drafted.");
    await delegate.getByRole("button", { name: "Break silence", exact: true }).click();
    await delegate.getByRole("dialog").getByRole("button", { name: "Break silence now" }).click();

    await expect.poll(() => chairStatement.locator(".live-notices").textContent(), { timeout: 10_000 }).toContain("Silence broken by");
    await expect
      .poll(() => chairStatement.getByTestId("silence-broken").textContent())
      .toContain("We cannot join consensus on OP4 as drafted.");
    await expect.poll(() => chairStatement.locator(".statement").getAttribute("contenteditable"), { timeout: 10_000 }).toBe("true");
  });

  it("a silence procedure that passes leaves the text adopted on everyone's page", async () => {
    const { date, time } = deadlineFields(new Date(Date.now() + 5000), "UTC");
    await chairStatement.locator(".silence-open summary").click();
    await chairStatement.getByLabel("Deadline date").fill(date);
    await chairStatement.getByLabel("Deadline time").fill(time);
    await chairStatement.getByLabel("Time zone").selectOption("UTC");
    await chairStatement.locator(".open-business").getByRole("checkbox").check();
    await chairStatement.getByRole("button", { name: "Open the silence procedure" }).click();
    await expect.poll(() => delegate.getByTestId("silence-running").isVisible(), { timeout: 10_000 }).toBe(true);

    await expect.poll(() => delegate.locator(".silence-adopted").textContent(), { timeout: 20_000 }).toContain("The text is adopted");
    await expect.poll(() => chairStatement.locator(".live-notices").textContent(), { timeout: 10_000 }).toContain("the text is adopted");
    await expect.poll(() => chairStatement.locator(".statement").getAttribute("contenteditable"), { timeout: 10_000 }).toBe("false");
    await goToClause(delegate, n.clauses[0].id);
    await expect.poll(() => delegate.getByTestId("clause-state").textContent()).toBe("Agreed");
    expect(await chairStatement.locator(".silence-open").count()).toBe(0);
  });
});
