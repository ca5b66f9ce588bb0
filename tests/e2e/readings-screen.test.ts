import type { Page } from "playwright-core";
import { describe, expect, it, type FileFixtures } from "../support/fixtures";
import { caretAtEnd, signedInContext } from "../support/browser";
import { createNegotiation, type NegotiationFixture } from "../support/negotiation";
import { waitFor } from "../support/wait";
import { axeViolations } from "../support/axe";
import { waitForHydration } from "../support/browser-session";
import { createScreenToken } from "../../server/screen/screen";
import { createRevision } from "../../server/versions/capture";

/**
 * The chair's reading in Chromium: the plenary screen, opened with its token and no session,
 * follows the chair's pointer and shows live typing as tracked changes; a delegate's statement
 * page follows the reading (or not, as they choose, remembered in their browser).
 */
let n: NegotiationFixture;
let chair: Page;
let delegate: Page;
let screen: Page;

const viewport = { width: 1280, height: 800 };
/** What the browser said of the Content-Security-Policy on any of the pages (the highlight is a <style>, the screen a WebSocket with its token). */
const cspMessages: string[] = [];

async function open({ server, browser }: Pick<FileFixtures, "server" | "browser">, cookie: string | null, path: string, ready: string) {
  const context = cookie ? await signedInContext(browser, server.url, cookie, { viewport }) : await browser.newContext({ viewport });
  const page = await context.newPage();
  page.on("console", (m) => void (/Content Security Policy/i.test(m.text()) && cspMessages.push(m.text())));
  await page.goto(`${server.url}${path}`);
  await page.locator(ready).first().waitFor();
  return page;
}

/** Whether the element is wholly inside the page's viewport (scrolled into view). */
const inView = (page: Page, selector: string) =>
  page.locator(selector).evaluate((el) => {
    const box = el.getBoundingClientRect();
    return box.top >= 0 && box.bottom <= window.innerHeight;
  });

it.beforeAll(async ({ db, server, browser }) => {
  n = await createNegotiation(db.sql, server.url);
  const chairActor = {
    userId: n.chair.userId,
    role: "chair" as const,
    delegationId: null,
    isChair: true,
    negotiates: false,
    mayPropose: false,
  };
  await createRevision(db.sql, chairActor, { documentId: n.documentId, name: "Rev.1" });
  const { token } = await createScreenToken(db.sql, n.chair.userId, { documentId: n.documentId, label: "Plenary hall" });
  const connected = '.connection-badge[data-connection="connected"]';
  chair = await open({ server, browser }, n.chair.cookie, `/documents/${n.documentId}`, connected);
  delegate = await open({ server, browser }, n.delegateA.cookie, `/documents/${n.documentId}`, connected);
  screen = await open({ server, browser }, null, `/documents/${n.documentId}/screen?token=${token}`, ".screen-clause");
  // Every page's live stream is open (the screen's too) before anything happens.
  await waitFor(() => server.concord.live.count() === 3, { what: "three live streams" });
});

describe("a reading, on the plenary screen and a delegate's page", () => {
  it("the screen and the delegate's page follow the chair's pointer, moved by button and by key", async () => {
    await chair.getByRole("button", { name: "Start the first reading" }).click();
    const first = n.clauses[0];
    await screen.locator(`.screen-current[data-clause-id="${first.id}"]`).waitFor();
    await delegate
      .getByTestId("reading-current")
      .filter({ hasText: `On ${first.label}` })
      .waitFor();
    expect(await screen.getByTestId("screen-reading").textContent()).toBe(
      `First reading — 0 of ${n.clauses.length} paragraphs read · now ${first.label}`,
    );

    // From here the pointer only moves and a paragraph is marked "to return to" (no clause state): no page reloads its data for it.
    const reloads: string[] = [];
    for (const page of [chair, delegate, screen]) page.on("request", (r) => void (r.url().includes(".data") && reloads.push(r.url())));
    // Far down the text, so that following means scrolling.
    const far = n.clauses[n.clauses.length - 1];
    await chair.getByLabel("Go to paragraph").selectOption(far.id);
    await screen.locator(`.screen-current[data-clause-id="${far.id}"]`).waitFor();
    await waitFor(() => inView(screen, `.screen-current`), { what: "the screen's paragraph scrolled into view" });
    await delegate
      .getByTestId("reading-current")
      .filter({ hasText: `On ${far.label}` })
      .waitFor();
    const delegateClause = `.statement .clause[data-clause-id="${far.id}"]`;
    await waitFor(() => inView(delegate, delegateClause), { what: "the delegate's page scrolled to the paragraph" });
    // The delegate's page highlights it.
    expect(await delegate.locator(delegateClause).evaluate((el) => getComputedStyle(el).outlineStyle)).toBe("solid");

    // The chair's keys: Alt+↑ to the paragraph before, Alt+R to return to it.
    const before = n.clauses[n.clauses.length - 2];
    await chair.locator("body").press("Alt+ArrowUp");
    await screen.locator(`.screen-current[data-clause-id="${before.id}"]`).waitFor();
    await chair.locator("body").press("Alt+KeyR");
    await delegate
      .getByTestId("reading-return")
      .filter({ hasText: `To return to: ${before.label}` })
      .waitFor();
    await delegate
      .getByTestId("reading-progress")
      .filter({ hasText: `1 of ${n.clauses.length} paragraphs read` })
      .waitFor();
    await screen
      .getByTestId("screen-reading")
      .filter({ hasText: `1 of ${n.clauses.length} paragraphs read` })
      .waitFor();
  });

  it("the screen shows the chair's typing as it is typed, marked as inserted since the revision", async () => {
    const clause = n.clauses[1];
    await caretAtEnd(chair, clause.label);
    await chair.keyboard.type(" as typed in plenary");
    await screen.locator(`.screen-clause[data-clause-id="${clause.id}"] ins`).filter({ hasText: "as typed in plenary" }).waitFor();
    expect(await screen.locator(".screen-reference").textContent()).toBe("Changes since Rev.1 are marked.");
  });

  it("a delegate who stops following stays where they are, and the choice is remembered", async () => {
    await delegate.getByLabel("Follow the chair").uncheck();
    await chair.getByLabel("Go to paragraph").selectOption(n.clauses[0].id);
    await screen.locator(`.screen-current[data-clause-id="${n.clauses[0].id}"]`).waitFor();
    await delegate
      .getByTestId("reading-current")
      .filter({ hasText: `On ${n.clauses[0].label}` })
      .waitFor();
    // Not following: no paragraph highlighted.
    expect(
      await delegate.locator(`.statement .clause[data-clause-id="${n.clauses[0].id}"]`).evaluate((el) => getComputedStyle(el).outlineStyle),
    ).toBe("none");
    await delegate.reload();
    await waitForHydration(delegate);
    // The page is served following (the server does not know the choice), and the browser's memory unchecks it.
    await waitFor(async () => !(await delegate.getByLabel("Follow the chair").isChecked()), { what: "the remembered choice" });
    expect(await delegate.evaluate(() => Object.entries(localStorage).filter(([k]) => k.startsWith("concord:follow-reading:")))).toEqual([
      [`concord:follow-reading:${n.delegateA.userId}`, "off"],
    ]);
  });

  it("the screen passes axe's WCAG 2.1 AA rules, and no page broke the Content-Security-Policy", async () => {
    expect(await axeViolations(screen)).toEqual([]);
    expect(cspMessages).toEqual([]);
  });
});
