import { describe, expect, it } from "../support/fixtures";
import { signedInContext } from "../support/browser";
import { createNegotiation } from "../support/negotiation";

/**
 * In Chromium: the chair's statement page shows another delegation's comment, signal and proposal
 * as they happen, from what each event carries, without reloading its data; in the rolling-text
 * view (written on the server) the page reloads instead.
 */
describe("the statement page kept current by the events", () => {
  it("applies each change the event carries, and reloads only where it must", async ({ db, server, browser }) => {
    const n = await createNegotiation(db.sql, server.url);
    const context = await signedInContext(browser, server.url, n.chair.cookie, { viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    const reloads: string[] = [];
    page.on("request", (r) => {
      if (new URL(r.url()).pathname === `/documents/${n.documentId}.data`) reloads.push(r.url());
    });
    await page.goto(`${server.url}/documents/${n.documentId}`);
    await page.locator('.connection-badge[data-connection="connected"]').first().waitFor();
    const pp1 = n.clauses[0];
    await page.locator(".outline-item", { has: page.locator(".outline-label", { hasText: /^PP1$/ }) }).click();
    const panel = page.locator(".clause-panel");
    await panel.getByRole("heading", { name: "Proposals on PP1" }).waitFor();
    // The page's event stream is open before anything happens.
    await expect.poll(() => server.concord.live.count()).toBe(1);

    const doc = `/documents/${n.documentId}`;
    await n.delegateB.post(`${doc}/comments`, { intent: "create", clauseId: pp1.id, body: "Shorter, please." });
    await panel.locator(".comment-threads", { hasText: "Shorter, please." }).waitFor();
    await n.delegateB.post(`${doc}/signals`, { clauseId: pp1.id, signal: "not_yet", reason: "Instructions awaited" });
    await panel.locator(".signal-list .signal-not_yet", { hasText: "Instructions awaited" }).waitFor();
    const proposed = await n.delegateA.post(doc, { intent: "propose", kind: "retain", clauseId: pp1.id });
    await n.delegateA.post(`${doc}/proposals/${proposed.headers.get("location")!.split("/").pop()}`, { intent: "submit" });
    await panel.locator(".proposal-item").first().waitFor();
    expect(reloads).toEqual([]);

    // The rolling text is the server's to write: in that view an event reloads the page's data.
    await page.getByRole("link", { name: "Rolling text" }).click();
    await page.locator(".rolling-text").waitFor();
    const before = reloads.length;
    await n.delegateB.post(`${doc}/comments`, { intent: "create", clauseId: pp1.id, body: "One more." });
    await expect.poll(() => reloads.length).toBeGreaterThan(before);
    await context.close();
  });
});
