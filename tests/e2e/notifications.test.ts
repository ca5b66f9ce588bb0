import { describe, expect, it } from "../support/fixtures";
import { axeViolations } from "../support/axe";
import { createProposalFixture } from "../support/proposals";

describe("the notification bell and page", () => {
  it("a delegate's bell counts up live when the chair decides their proposal, and the notice opens the proposal", async ({
    db,
    server,
    openPage,
  }) => {
    const f = await createProposalFixture({ db, server });
    const clauses = await f.clauseIds();
    const id = await f.propose(f.people.alice, { kind: "retain", clauseId: clauses.OP2 });
    expect((await f.post(f.people.alice, `/documents/${f.documentId}/proposals/${id}`, { intent: "submit" })).status).toBe(200);

    const page = await openPage("/", f.people.alice.cookie, { viewport: { width: 1280, height: 900 } });
    const bell = page.getByRole("link", { name: /^Notifications/ });
    await expect.poll(() => bell.getAttribute("aria-label")).toBe("Notifications");
    // The page must not reload to show it: a mark left on this document stays.
    await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));

    expect(
      (await f.post(f.people.chair, `/documents/${f.documentId}/proposals/${id}`, { intent: "accept", reason: "Agreed in the room." }))
        .status,
    ).toBe(200);
    await expect.poll(() => bell.getAttribute("aria-label"), { timeout: 15_000 }).toBe("Notifications, 1 unread");
    expect(await page.locator(".bell-count").textContent()).toBe("1");
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    // Screen readers hear it as it arrives.
    await expect
      .poll(() => page.getByRole("status").first().textContent())
      .toMatch(/^New notification: The chair accepted P\d+: “Agreed in the room\.”$/);

    await bell.click();
    await page.waitForURL(`${server.url}/notifications`);
    const notice = page.getByRole("link", { name: /The chair accepted P\d+/ });
    await notice.waitFor();
    expect(await axeViolations(page)).toEqual([]);

    await notice.click();
    await page.waitForURL(`${server.url}/documents/${f.documentId}/proposals/${id}`);
    // The proposal's own page.
    await page.getByRole("heading", { level: 1, name: /^P\d+ · Retain/ }).waitFor();
    expect(await page.getByTestId("proposal-status").textContent()).toBe("Accepted");
  });

  it("on a statement page the bell follows the statement's own stream: the page holds one stream, not two", async ({
    db,
    server,
    openPage,
  }) => {
    const f = await createProposalFixture({ db, server });
    const clauses = await f.clauseIds();
    const id = await f.propose(f.people.alice, { kind: "retain", clauseId: clauses.OP1 });
    expect((await f.post(f.people.alice, `/documents/${f.documentId}/proposals/${id}`, { intent: "submit" })).status).toBe(200);
    // The first test's page, closed, no longer holds its stream.
    await expect.poll(() => server.concord.notifications.count(), { timeout: 15_000 }).toBe(0);

    const page = await openPage(`/documents/${f.documentId}`, f.people.alice.cookie, { viewport: { width: 1280, height: 900 } });
    await page.locator(".ProseMirror").waitFor();
    const bell = page.getByRole("link", { name: /^Notifications/ });
    expect(await bell.getAttribute("aria-label")).toBe("Notifications");
    expect(server.concord.notifications.count()).toBe(0);

    expect(
      (await f.post(f.people.chair, `/documents/${f.documentId}/proposals/${id}`, { intent: "reject", reason: "Not now." })).status,
    ).toBe(200);
    await expect.poll(() => bell.getAttribute("aria-label"), { timeout: 15_000 }).toBe("Notifications, 1 unread");
    expect(server.concord.notifications.count()).toBe(0);

    // Leaving the statement, the bell opens a stream of its own again.
    await page.getByRole("link", { name: "Concord", exact: true }).click();
    await expect.poll(() => server.concord.notifications.count(), { timeout: 15_000 }).toBe(1);
    expect(await bell.getAttribute("aria-label")).toBe("Notifications, 1 unread");
  });
});
