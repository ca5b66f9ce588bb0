import { describe, expect, it, type FileFixtures } from "../support/fixtures";
import type { Page } from "playwright-core";
import { signedInContext } from "../support/browser";
import { createNegotiation, deadlineFields, type NegotiationFixture } from "../support/negotiation";
import { latestSilence } from "../../server/queries/silence-procedures";
import { waitFor } from "../support/wait";
import { axeViolations } from "../support/axe";

let n: NegotiationFixture;
let chair: Page;
let delegate: Page;
const silencePath = () => `/documents/${n.documentId}/silence`;
const openedNotice = "The chair has opened a silence procedure";

async function open({ server, browser }: Pick<FileFixtures, "server" | "browser">, cookie: string): Promise<Page> {
  const context = await signedInContext(browser, server.url, cookie, { viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  await page.goto(`${server.url}/documents/${n.documentId}`);
  await page.locator('.connection-badge[data-connection="connected"]').waitFor();
  return page;
}

async function openSilence(): Promise<void> {
  const fields = { intent: "open", ...deadlineFields(new Date(Date.now() + 3_600_000), "UTC") };
  expect((await n.chair.post(silencePath(), fields)).status).toBe(200);
}

it.beforeAll(async ({ db, server, browser }) => {
  n = await createNegotiation(db.sql, server.url);
  chair = await open({ server, browser }, n.chair.cookie);
  delegate = await open({ server, browser }, n.delegateA.cookie);
  await waitFor(() => server.concord.live.count() === 2, { what: "two live streams" });
});

describe("breaking silence in Chromium", () => {
  it("asks the delegate to confirm: cancelling leaves the procedure running, confirming breaks it", async ({ db }) => {
    await openSilence();
    await expect.poll(() => delegate.getByTestId("silence-running").isVisible(), { timeout: 10_000 }).toBe(true);
    const dialog = delegate.getByRole("dialog", { name: "Break the silence procedure?" });
    // Confirming still needs the written objection: the refusal closes the dialog and says why.
    await delegate.getByRole("button", { name: "Break silence", exact: true }).click();
    await dialog.getByRole("button", { name: "Break silence now" }).click();
    await expect
      .poll(() => delegate.locator(".silence-object").textContent(), { timeout: 10_000 })
      .toContain("Write your delegation's objection.");
    await expect.poll(() => dialog.count()).toBe(0);
    expect((await latestSilence(db.sql, n.documentId))?.status).toBe("running");

    await delegate.getByLabel("Your delegation's objection").fill("We cannot join consensus on OP2.");
    await delegate.getByRole("button", { name: "Break silence", exact: true }).click();
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.textContent()).toContain("The procedure ends for everyone and the text stays unadopted");
    expect(await axeViolations(delegate)).toEqual([]);
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    // Nothing was sent: the procedure still runs, on the page and in the database.
    expect((await latestSilence(db.sql, n.documentId))?.status).toBe("running");
    expect(await delegate.getByTestId("silence-running").isVisible()).toBe(true);
    expect(await delegate.getByLabel("Your delegation's objection").inputValue()).toBe("We cannot join consensus on OP2.");

    await delegate.getByRole("button", { name: "Break silence", exact: true }).click();
    await dialog.getByRole("button", { name: "Break silence now" }).click();
    await expect
      .poll(() => delegate.getByTestId("silence-broken").textContent(), { timeout: 10_000 })
      .toContain("We cannot join consensus on OP2.");
    expect(await latestSilence(db.sql, n.documentId)).toMatchObject({ status: "broken", objection: "We cannot join consensus on OP2." });
  });

  it("withdraws the notice of a silence procedure once it is broken", async () => {
    await openSilence();
    const notices = chair.locator(".live-notices");
    await expect.poll(() => notices.textContent(), { timeout: 10_000 }).toContain(openedNotice);
    // The opening ends what the earlier break said.
    expect(await notices.textContent()).not.toContain("Silence broken by");

    expect((await n.delegateB.post(silencePath(), { intent: "object", objection: "OP4 is not ready." })).status).toBe(200);
    await expect.poll(() => notices.textContent(), { timeout: 10_000 }).toContain("Silence broken by");
    expect(await notices.textContent()).not.toContain(openedNotice);
    expect(await notices.locator(".live-notice").count()).toBe(1);
  });
});
