import { describe, expect, it, type FileFixtures } from "../support/fixtures";
import type { Page } from "playwright-core";
import { caretAtEnd, signedInContext } from "../support/browser";
import { createSignedInPerson, createStatement } from "../support/factories";

let documentId: string;
let conferenceId: string;

it.beforeAll(async ({ db }) => {
  ({ documentId, conferenceId } = await createStatement(db.sql));
});

/** Opens the statement as a new chair (a pen holder) with this name. */
async function openAs({ db, browser, server }: Pick<FileFixtures, "db" | "browser" | "server">, name: string): Promise<Page> {
  const { cookie } = await createSignedInPerson(db.sql, { conferenceId, role: "chair", name });
  const context = await signedInContext(browser, server.url, cookie, { viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${server.url}/documents/${documentId}`);
  await page.locator(".statement .clause").first().waitFor();
  await page.locator('.connection-badge[data-connection="connected"]').waitFor();
  return page;
}

const clause = (page: Page, label: string) => page.locator(`.statement .clause[data-label="${label}"]`);

/** A clause's text as the reader sees it, without other people's caret labels. */
const clauseText = (page: Page, label: string) =>
  clause(page, label).evaluate((el) => {
    const copy = el.cloneNode(true) as HTMLElement;
    copy.querySelectorAll(".collab-caret").forEach((c) => c.remove());
    return copy.textContent;
  });

describe("two delegates co-editing one statement in Chromium", () => {
  let alice: Page;
  let bob: Page;

  it.beforeAll(async ({ db, server, browser }) => {
    alice = await openAs({ db, browser, server }, "Alice Okafor");
    bob = await openAs({ db, browser, server }, "Bob Lindqvist");
  });

  it("shows each person's typing, named caret and presence to the other", async () => {
    await caretAtEnd(alice, "PP2");
    await alice.keyboard.type(" and at Baku");
    await caretAtEnd(bob, "OP1");
    await bob.keyboard.type(" without delay");

    await expect.poll(() => clauseText(bob, "PP2")).toContain("agenda, and at Baku");
    await expect.poll(() => clauseText(alice, "OP1")).toContain("environments; without delay");

    await expect.poll(() => alice.locator(".collab-caret__label").allTextContents()).toContain("Bob Lindqvist");
    await expect.poll(() => bob.locator(".collab-caret__label").allTextContents()).toContain("Alice Okafor");
    await expect.poll(() => alice.locator(".presence-list").textContent()).toContain("Bob Lindqvist");
    await expect.poll(() => bob.locator(".presence-list").textContent()).toContain("Alice Okafor");
    await expect.poll(() => alice.locator(".connection-badge").textContent()).toBe("All changes saved");
  });

  it("keeps the text across a reload", async () => {
    await expect.poll(() => bob.locator(".connection-badge").textContent()).toBe("All changes saved");
    await alice.reload();
    await clause(alice, "OP1").waitFor();
    await expect.poll(() => clauseText(alice, "PP2")).toContain("agenda, and at Baku");
    await expect.poll(() => clauseText(alice, "OP1")).toContain("environments; without delay");
  });

  it("renumbers live for everyone when a clause is inserted in the middle", async () => {
    const oldPP4 = await clause(bob, "PP4").getAttribute("data-clause-id");
    expect(oldPP4).toBeTruthy();
    await caretAtEnd(alice, "PP3");
    await alice.keyboard.press("Control+Enter");
    await alice.keyboard.type("Stressing the needs of returnees,");

    // The new clause is PP4 for both, with its opening word italic; the former PP4 is now PP5 with the same id.
    await expect.poll(() => clauseText(bob, "PP4")).toBe("Stressing the needs of returnees,");
    await expect.poll(() => clause(bob, "PP4").locator("em").first().textContent()).toBe("Stressing");
    await expect.poll(() => clause(bob, "PP5").getAttribute("data-clause-id")).toBe(oldPP4);
    expect(await clause(bob, "PP4").getAttribute("data-clause-id")).not.toBe(oldPP4);
    await expect.poll(() => bob.locator(".outline-list").first().textContent()).toContain("PP4 Stressing the needs of returnees,");
    await expect.poll(() => bob.locator(".statement .part-preamble .clause").count()).toBe(8);
  });

  it("keeps a caret's name on the page on a phone, when the caret is at the right edge", async () => {
    for (const page of [alice, bob]) await page.setViewportSize({ width: 390, height: 844 });
    // Bob's caret at the end of the first line of PP3, where a name drawn to the right would leave the page.
    const paragraph = clause(bob, "PP3").locator("p").first();
    await paragraph.click();
    await paragraph.evaluate((p) => {
      const box = p.getBoundingClientRect();
      const range = document.caretRangeFromPoint(box.right - 6, box.top + 8)!;
      const selection = window.getSelection()!;
      selection.removeAllRanges();
      selection.addRange(range);
    });
    const label = alice.locator(".collab-caret__label", { hasText: "Bob Lindqvist" });
    // Bob's caret was in OP1 from the first test: its label moves to PP3 once his new position arrives.
    await expect.poll(() => label.evaluate((el) => el.closest(".clause")?.getAttribute("data-label"))).toBe("PP3");
    await expect
      .poll(() =>
        label.evaluate((el) => {
          const paper = el.closest(".paper")!.getBoundingClientRect();
          const box = el.getBoundingClientRect();
          return box.right <= paper.right && box.left >= paper.left;
        }),
      )
      .toBe(true);
  });
});
