import { describe, expect, it, type FileFixtures } from "../support/fixtures";
import type { Page } from "playwright-core";
import { signedInContext } from "../support/browser";
import { createProposalFixture, rewriteDraft, type Person, type ProposalFixture } from "../support/proposals";
import { connectSyncedClient, waitFor } from "../support/clients";
import { findProposal } from "../../server/queries/proposals";
import { maxProposalTextLength } from "../../app/statement/limits";

/**
 * Pages carry only the latest revision of a proposal and the start of a withdrawn one's text: in
 * Chromium, an earlier revision's text arrives when it is opened, and the clause panel links a
 * withdrawn proposal to its page for the full text.
 */
let f: ProposalFixture;
let clauses: Record<string, string>;

it.beforeAll(async ({ db, server }) => {
  f = await createProposalFixture({ db, server });
  clauses = await f.clauseIds();
});

const proposalPage = (id: string) => `/documents/${f.documentId}/proposals/${id}`;

async function submit(who: Person, id: string, text: string) {
  const client = await connectSyncedClient(f.server.wsUrl, (await findProposal(f.db.sql, f.documentId, id))!.textDocumentId!, {
    cookie: who.cookie,
  });
  rewriteDraft(client.doc, text);
  await waitFor(() => client.isSaved(), { what: "the draft to be saved" });
  client.destroy();
  expect((await f.post(who, proposalPage(id), { intent: "submit" })).status).toBe(200);
}

async function open({ browser }: Pick<FileFixtures, "browser">, who: Person, path: string): Promise<Page> {
  const context = await signedInContext(browser, f.server.url, who.cookie, { viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${f.server.url}${path}`);
  return page;
}

describe("proposal texts on demand, in Chromium", () => {
  it("loads an earlier revision's text when it is opened", async ({ browser }) => {
    const id = await f.propose(f.people.alice, { kind: "replace", clauseId: clauses.OP3 });
    await submit(f.people.alice, id, "Decide to convey the Joint Statement, first wording.");
    await submit(f.people.alice, id, "Decide to convey the Joint Statement, second wording.");
    const page = await open({ browser }, f.people.bruno, proposalPage(id));
    await page.getByRole("heading", { name: "Earlier revisions" }).waitFor();
    expect(await page.locator("main").textContent()).not.toContain("first wording");
    await page.locator(".earlier-revisions summary", { hasText: "Revision 1" }).click();
    await expect.poll(() => page.getByTestId("revision-1").textContent(), { timeout: 10_000 }).toContain("first wording");
    await page.context().close();
  }, 60_000);

  it("counts a draft's characters as the delegation writes, and holds back a draft too long to submit", async ({ browser }) => {
    const id = await f.propose(f.people.alice, { kind: "add", clauseId: clauses.OP3 });
    const page = await open({ browser }, f.people.alice, proposalPage(id));
    const count = page.getByTestId("draft-length");
    await expect.poll(() => count.textContent(), { timeout: 10_000 }).toBe(`0 of ${maxProposalTextLength} characters`);
    const client = await connectSyncedClient(f.server.wsUrl, (await findProposal(f.db.sql, f.documentId, id))!.textDocumentId!, {
      cookie: f.people.anna.cookie,
    });
    rewriteDraft(client.doc, "x".repeat(maxProposalTextLength + 3));
    await waitFor(() => client.isSaved(), { what: "the draft to be saved" });
    await expect.poll(() => count.textContent(), { timeout: 10_000 }).toContain("shorten it by 3 to submit it");
    expect(await page.getByRole("button", { name: "Submit", exact: true }).isDisabled()).toBe(true);
    rewriteDraft(client.doc, "Encourage regional cooperation;");
    await expect.poll(() => page.getByRole("button", { name: "Submit", exact: true }).isDisabled(), { timeout: 10_000 }).toBe(false);
    client.destroy();
    await page.context().close();
  }, 60_000);

  it("shows a withdrawn proposal in the clause panel by the start of its text, linked to its page for the rest", async ({ browser }) => {
    const id = await f.propose(f.people.alice, { kind: "replace", clauseId: clauses.OP1 });
    const words = Array.from({ length: 80 }, (_, i) => `word${i}`).join(" ");
    await submit(f.people.alice, id, words);
    expect((await f.post(f.people.alice, proposalPage(id), { intent: "withdraw" })).status).toBe(200);
    // A withdrawn deletion has no text of its own: it still shows the clause it would have struck.
    const deletion = await f.propose(f.people.alice, { kind: "delete", clauseId: clauses.OP1 });
    expect((await f.post(f.people.alice, proposalPage(deletion), { intent: "submit" })).status).toBe(200);
    expect((await f.post(f.people.alice, proposalPage(deletion), { intent: "withdraw" })).status).toBe(200);
    const page = await open({ browser }, f.people.bruno, `/documents/${f.documentId}`);
    await page.locator('.connection-badge[data-connection="connected"]').first().waitFor();
    // As a person would, and again if the panel is not on OP1: twice, on a loaded CI machine, OP1's
    // proposals never showed after the click; a click landing while the page still moves is suspected.
    const onOP1 = page.locator(".clause-panel").getByRole("heading", { name: "Proposals on OP1" });
    await expect
      .poll(
        async () => {
          await page.locator(".outline-item", { has: page.locator(".outline-label", { hasText: /^OP1$/ }) }).click();
          return onOP1.isVisible();
        },
        { timeout: 30_000, interval: 500 },
      )
      .toBe(true);
    const struck = page.locator(".clause-panel .proposal-item", { hasText: "Delete OP1" });
    await struck.waitFor();
    expect(await struck.locator("del").textContent()).toContain("Reaffirm that humanitarian demining");
    expect(await struck.getByRole("link", { name: /Full text/ }).count()).toBe(0);
    const item = page.locator(".clause-panel .proposal-item", { hasText: "word0" });
    await item.waitFor();
    expect(await item.textContent()).toContain("word0 word1 word2");
    expect(await item.textContent()).not.toContain("word79");
    await item.getByRole("link", { name: /Full text on P\d+’s page/ }).click();
    await expect.poll(() => page.getByTestId("proposal-diff").textContent(), { timeout: 10_000 }).toContain("word79");
    await page.context().close();
  }, 60_000);
});
