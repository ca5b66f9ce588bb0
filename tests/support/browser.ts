import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from "playwright-core";

/** Debian's Chromium, driven by playwright-core (no browser download). */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** A browser context signed in with a session cookie ("name=value") for the server at `url`. */
export async function signedInContext(
  browser: Browser,
  url: string,
  cookie: string,
  options: BrowserContextOptions = {},
): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  const [name, ...rest] = cookie.split("=");
  await context.addCookies([{ name, value: rest.join("="), url }]);
  return context;
}

/** Puts the caret at the end of a clause's first paragraph, wherever its lines wrap. */
export async function caretAtEnd(page: Page, label: string): Promise<void> {
  const paragraph = page.locator(`.statement .clause[data-label="${label}"] p`).first();
  await paragraph.click();
  await paragraph.evaluate((p) => {
    const range = document.createRange();
    range.selectNodeContents(p);
    range.collapse(false);
    const selection = window.getSelection()!;
    selection.removeAllRanges();
    selection.addRange(range);
  });
}
