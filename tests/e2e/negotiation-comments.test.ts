import { expect, it, type FileFixtures } from "../support/fixtures";
import type { Page } from "playwright-core";
import { signedInContext } from "../support/browser";
import { createDelegation, createSignedInPerson, createStatement } from "../support/factories";

/**
 * A delegate comments on words of a clause; the chair, whose page is already open, sees the
 * comment and the highlighted words appear without reloading and replies; the delegate sees the
 * reply marked unread, opens it, and resolves the thread.
 */
let delegate: Page;
let chair: Page;

async function open({ server, browser }: Pick<FileFixtures, "server" | "browser">, cookie: string): Promise<Page> {
  const context = await signedInContext(browser, server.url, cookie, { viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${server.url}/documents/${documentId}`);
  await page.locator(".statement .clause").first().waitFor();
  await page.locator('.connection-badge[data-connection="connected"]').waitFor();
  return page;
}
let documentId: string;

it.beforeAll(async ({ db, server, browser }) => {
  const fixture = await createStatement(db.sql);
  documentId = fixture.documentId;
  const norway = await createDelegation(db.sql, fixture.conferenceId, { code: "NOR", name: "Norway" });
  const ingrid = await createSignedInPerson(db.sql, {
    conferenceId: fixture.conferenceId,
    role: "delegate",
    delegationId: norway.id,
    name: "Ingrid Berg",
  });
  chair = await open({ server, browser }, fixture.cookie);
  delegate = await open({ server, browser }, ingrid.cookie);
});

const clause = (page: Page, label: string) => page.locator(`.statement .clause[data-label="${label}"]`);
const panel = (page: Page) => page.locator(".clause-panel");

/** Selects the first occurrence of `word` in a clause, as a person dragging over it would. */
async function selectWord(page: Page, label: string, word: string) {
  await clause(page, label).locator("p").first().click();
  await clause(page, label).evaluate((el, w) => {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.textContent!.indexOf(w);
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + w.length);
      const selection = window.getSelection()!;
      selection.removeAllRanges();
      selection.addRange(range);
      return;
    }
    throw new Error(`"${w}" not found`);
  }, word);
}

it("a delegate comments on selected words; the chair sees it live with the delegation's name and the highlight", async () => {
  // The chair is on PP2 already.
  await clause(chair, "PP2").locator("p").first().click();
  await expect.poll(() => panel(chair).getAttribute("data-clause-id")).not.toBeNull();

  await selectWord(delegate, "PP2", "outcomes");
  const onSelection = panel(delegate).getByRole("button", { name: "Comment on the selected text" });
  await expect.poll(() => onSelection.isEnabled()).toBe(true);
  await onSelection.click();
  await expect.poll(() => panel(delegate).locator(".comment-form .comment-quote").textContent()).toBe("outcomes");
  await panel(delegate).getByLabel("Your comment on the selected text").fill("Which outcomes exactly?");
  await panel(delegate).getByRole("button", { name: "Post comment" }).click();

  const thread = panel(chair).locator(".comment-thread", { hasText: "Which outcomes exactly?" });
  await thread.waitFor();
  expect(await thread.locator(".comment-affiliation").first().textContent()).toBe("Norway");
  expect(await thread.locator(".comment-author").first().textContent()).toBe("Ingrid Berg");
  expect(await thread.locator(".comment-quote").textContent()).toBe("outcomes");
  expect(await thread.locator(".thread-unread").textContent()).toBe("1 unread comment");
  await expect.poll(() => clause(chair, "PP2").locator(".comment-anchor").textContent()).toBe("outcomes");
  await expect.poll(() => clause(delegate, "PP2").locator(".comment-anchor").textContent()).toBe("outcomes");

  // Clicking the highlighted words brings their thread forward.
  await clause(chair, "PP2").locator(".comment-anchor").click();
  await expect.poll(() => thread.getAttribute("class")).toContain("selected");
});

it("the chair replies; the delegate sees the reply marked unread, opens it, and it is read", async () => {
  const thread = panel(chair).locator(".comment-thread", { hasText: "Which outcomes exactly?" });
  // Opened by the click on the highlight: opening marks it read.
  await expect.poll(() => thread.locator(".thread-unread").count()).toBe(0);
  await thread.getByLabel("Reply").fill("Those of the Geneva meeting.");
  await thread.getByRole("button", { name: "Post reply" }).click();

  const mine = panel(delegate).locator(".comment-thread", { hasText: "Which outcomes exactly?" });
  await expect.poll(() => mine.locator(".thread-unread").textContent()).toBe("1 unread comment");
  expect(await panel(delegate).locator("h3 .unread-count").textContent()).toContain("1 unread");
  await mine.getByRole("button", { name: "Show 1 reply" }).click();
  const reply = mine.locator(".comment-reply", { hasText: "Those of the Geneva meeting." });
  await reply.waitFor();
  expect(await reply.locator(".comment-affiliation").textContent()).toBe("Chair");
  await expect.poll(() => mine.locator(".thread-unread").count()).toBe(0);
  await expect.poll(() => panel(delegate).locator("h3 .unread-count").count()).toBe(0);
});

it("the delegate resolves the thread; both see it resolved and the highlight goes", async () => {
  const mine = panel(delegate).locator(".comment-thread", { hasText: "Which outcomes exactly?" });
  await mine.getByRole("button", { name: "Resolve this thread" }).click();
  const theirs = panel(chair).locator(".comment-thread", { hasText: "Which outcomes exactly?" });
  await expect
    .poll(() => theirs.locator(".comment-flag").allTextContents())
    .toContainEqual(expect.stringContaining("Resolved by Ingrid Berg"));
  await expect.poll(() => clause(chair, "PP2").locator(".comment-anchor").count()).toBe(0);
  await expect.poll(() => mine.getByRole("button", { name: "Reopen this thread" }).count()).toBe(1);
});

it("when the chair deletes the commented words, the delegate's page shows the thread as orphaned at once", async () => {
  await selectWord(delegate, "PP3", "landmines");
  await panel(delegate).getByRole("button", { name: "Comment on the selected text" }).click();
  await panel(delegate).getByLabel("Your comment on the selected text").fill("Add improvised devices?");
  await panel(delegate).getByRole("button", { name: "Post comment" }).click();
  const mine = panel(delegate).locator(".comment-thread", { hasText: "Add improvised devices?" });
  await mine.waitFor();
  await expect.poll(() => clause(chair, "PP3").locator(".comment-anchor").textContent()).toBe("landmines");

  await selectWord(chair, "PP3", "landmines");
  await chair.keyboard.press("Backspace");
  // No comment changed, so nothing reloads: the delegate's editor sees the text go.
  await expect.poll(() => mine.locator(".comment-orphaned").count()).toBe(1);
  expect(await clause(delegate, "PP3").locator(".comment-anchor").count()).toBe(0);
  await delegate.screenshot({ path: "/tmp/comments-delegate.png" });
});
