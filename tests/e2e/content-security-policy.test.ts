import { describe, expect, it, type FileFixtures } from "../support/fixtures";
import type { Page } from "playwright-core";
import { signedInContext } from "../support/browser";
import { waitForHydration } from "../support/browser-session";
import { createSignedInPerson, createStatement } from "../support/factories";

/**
 * The Content-Security-Policy in a real Chromium: the pages hydrate, the statement connects to
 * the collaboration WebSocket and saves, and the browser reports no violation, while a script
 * without the response's nonce is refused.
 */

let documentId: string;
let conferenceId: string;

it.beforeAll(async ({ db }) => {
  ({ documentId, conferenceId } = await createStatement(db.sql));
});

interface Watched {
  page: Page;
  /** Violations the page reported (securitypolicyviolation events) and CSP messages on the console. */
  violations: string[];
}

async function watchedPage({ server, browser }: Pick<FileFixtures, "server" | "browser">, cookie?: string): Promise<Watched> {
  const context = cookie ? await signedInContext(browser, server.url, cookie) : await browser.newContext();
  const page = await context.newPage();
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(`console: ${m.text()}`);
  });
  await page.exposeFunction("reportViolation", (v: string) => violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      (window as unknown as { reportViolation(v: string): void }).reportViolation(
        `${e.violatedDirective} blocked ${e.blockedURI} in ${e.sourceFile}:${e.lineNumber} ${e.sample}`,
      );
    });
  });
  return { page, violations };
}

describe("the Content-Security-Policy in Chromium", () => {
  it("lets the sign-in page load and hydrate with no violation", async ({ server, browser }) => {
    const { page, violations } = await watchedPage({ server, browser });
    const response = await page.goto(`${server.url}/login`);
    expect(response!.headers()["content-security-policy"]).toContain("'nonce-");
    await waitForHydration(page);
    expect(violations).toEqual([]);
  });

  it("lets a statement load, connect over WebSocket and save an edit, with no violation", async ({ db, server, browser }) => {
    const { cookie } = await createSignedInPerson(db.sql, { conferenceId, role: "chair", name: "Chair Under Policy" });
    const { page, violations } = await watchedPage({ server, browser }, cookie);
    const response = await page.goto(`${server.url}/documents/${documentId}`);
    expect(response!.headers()["content-security-policy"]).toMatch(/connect-src 'self' ws:\/\/127\.0\.0\.1:\d+ wss:/);
    await waitForHydration(page);
    await page.locator('.connection-badge[data-connection="connected"]').waitFor();
    const paragraph = page.locator(".statement .clause p").first();
    await paragraph.click();
    await page.keyboard.type(" typed under the policy");
    await expect.poll(() => page.locator(".connection-badge").textContent()).toBe("All changes saved");
    // A client-side navigation (single fetch) as well.
    await page.evaluate(
      (to) => (window as unknown as { __remixRouter: { navigate(to: string): Promise<void> } }).__remixRouter.navigate(to),
      `/documents/${documentId}/compilation`,
    );
    await expect.poll(() => page.title()).toMatch(/^Compilation · /);
    expect(violations).toEqual([]);
  });

  it("refuses an inline script without the nonce (and reports it)", async ({ server, browser }) => {
    const { page, violations } = await watchedPage({ server, browser });
    await page.goto(`${server.url}/login`);
    await waitForHydration(page);
    const ran = await page.evaluate(() => {
      const script = document.createElement("script");
      script.textContent = "window.injected = true";
      document.body.append(script);
      return (window as unknown as { injected?: boolean }).injected === true;
    });
    expect(ran).toBe(false);
    await expect.poll(() => violations.some((v) => v.includes("script-src"))).toBe(true);
  });
});
