import { describe, expect, it, type FileFixtures } from "../support/fixtures";
import type { Page } from "playwright-core";
import { signedInContext } from "../support/browser";
import { createNegotiation, type NegotiationFixture } from "../support/negotiation";
import { standingExplanations } from "../../server/queries/explanations";
import { adoptionRecord } from "../../server/queries/adoption";
import { waitFor } from "../support/wait";
import { axeViolations } from "../support/axe";

let n: NegotiationFixture;

async function open({ server, browser }: Pick<FileFixtures, "server" | "browser">, cookie: string, path: string): Promise<Page> {
  const context = await signedInContext(browser, server.url, cookie, { viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  await page.goto(`${server.url}${path}`);
  return page;
}

it.beforeAll(async ({ db, server }) => {
  n = await createNegotiation(db.sql, server.url);
});

describe("explanations of position in Chromium", () => {
  it("a delegate files a reservation on a named paragraph, listed for them and live for an observer; revises and withdraws it", async ({
    db,
    server,
    browser,
  }) => {
    const path = `/documents/${n.documentId}/explanations`;
    const observer = await open({ server, browser }, n.observer.cookie, path);
    await observer.getByText("No delegation has filed an explanation of position.").waitFor();
    // Observers read; they are offered no form.
    expect(await observer.getByRole("button", { name: "File the explanation" }).count()).toBe(0);
    await waitFor(() => server.concord.live.count() === 1, { what: "the observer's live stream" });

    const delegate = await open({ server, browser }, n.delegateA.cookie, path);
    const form = delegate.getByRole("region", { name: "File an explanation of position" });
    const op3 = n.clauses.find((c) => c.label === "OP3")!;
    // Paragraphs are offered by the labels the numbering gives them.
    await form.getByRole("checkbox", { name: /^OP3 / }).check();
    await form.getByRole("checkbox", { name: "This is a reservation" }).check();
    await form.getByLabel("Explanation").fill("Our delegation joins the consensus but reserves its position on OP3.");
    expect(await axeViolations(delegate)).toEqual([]);
    await form.getByRole("button", { name: "File the explanation" }).click();

    const listed = delegate.locator(".explanation-list .explanation");
    await expect.poll(() => listed.count()).toBe(1);
    expect(await listed.locator("h3").textContent()).toMatch(/^Delegation \S+ on OP3Reservation$/);
    expect(await listed.locator(".explanation-text").textContent()).toBe(
      "Our delegation joins the consensus but reserves its position on OP3.",
    );
    // The form is emptied for the next one.
    await expect.poll(() => form.getByLabel("Explanation").inputValue()).toBe("");
    const [stored] = await standingExplanations(db.sql, n.documentId);
    expect(stored).toMatchObject({ clauseIds: [op3.id], reservation: true, delegationId: n.delegateA.delegationId });

    // The observer's page shows it without a reload.
    const seen = observer.locator(".explanation-list .explanation");
    await expect.poll(() => seen.count(), { timeout: 10_000 }).toBe(1);
    expect(await seen.locator(".explanation-scope").textContent()).toBe("on OP3");
    expect(await seen.getByRole("button", { name: "Withdraw" }).count()).toBe(0);

    // The delegation revises it (now on OP1 and OP3, no longer a reservation), then withdraws it.
    await listed.getByText("Revise").click();
    const revise = listed.locator(".explanation-form");
    await revise.getByRole("checkbox", { name: /^OP1 / }).check();
    await revise.getByRole("checkbox", { name: "This is a reservation" }).uncheck();
    await revise.getByRole("button", { name: "Save the revision" }).click();
    await expect.poll(() => seen.locator(".explanation-scope").textContent(), { timeout: 10_000 }).toBe("on OP1, OP3");
    expect(await seen.locator(".explanation-reservation").count()).toBe(0);
    await listed.getByRole("button", { name: "Withdraw" }).click();
    await expect.poll(() => seen.count(), { timeout: 10_000 }).toBe(0);
    expect(await standingExplanations(db.sql, n.documentId)).toEqual([]);

    // Filed again, for the statement page's count below.
    await form.getByLabel("Explanation").fill("Our delegation joins the consensus.");
    await form.getByRole("button", { name: "File the explanation" }).click();
    await expect.poll(() => seen.count(), { timeout: 10_000 }).toBe(1);
    await observer.context().close();
    await delegate.context().close();
  });

  it("the chair adopts the text by consensus, after a confirmation; the statement page shows the adoption line", async ({
    db,
    server,
    browser,
  }) => {
    const chair = await open({ server, browser }, n.chair.cookie, `/documents/${n.documentId}`);
    await chair.getByText("Adopt by consensus in plenary").click();
    await chair.getByLabel("Meeting (optional)").fill("its 4th plenary meeting");
    await chair.getByLabel("Time zone of the meeting").selectOption("Asia/Baku");
    // It asks first; cancelling adopts nothing.
    await chair.getByRole("button", { name: "Adopt the text by consensus" }).click();
    const dialog = chair.getByRole("dialog", { name: "Adopt the text by consensus?" });
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    expect(await adoptionRecord(db.sql, n.documentId)).toBeNull();
    await chair.getByRole("button", { name: "Adopt the text by consensus" }).click();
    await dialog.getByRole("button", { name: "Adopt now" }).click();
    const line = chair.locator(".adoption-line");
    await expect
      .poll(() => line.textContent(), { timeout: 10_000 })
      .toMatch(/^Adopted by consensus at its 4th plenary meeting on \d{1,2} \w+ \d{4}\.$/);
    expect((await adoptionRecord(db.sql, n.documentId))?.method).toBe("consensus");
    expect(await chair.getByText("Explanations of position (1)").count()).toBe(1);
    expect(await chair.getByRole("button", { name: "Adopt the text by consensus" }).count()).toBe(0);
    await chair.context().close();
  });
});
