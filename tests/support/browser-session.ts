import type { Page } from "playwright-core";

/** Resolves once Remix has hydrated the page, so that buttons run their handlers. */
export async function waitForHydration(page: Page): Promise<void> {
  await page.waitForFunction(() =>
    Boolean((window as unknown as { __remixRouter?: { state: { initialized: boolean } } }).__remixRouter?.state.initialized),
  );
}

/** Signs in through the sign-in page, as a person would, and waits for the page it leads to. */
export async function signInWithBrowser(
  page: Page,
  baseUrl: string,
  person: { email: string; password: string },
  redirectTo = "/",
): Promise<void> {
  await page.goto(`${baseUrl}/login?${new URLSearchParams({ redirectTo })}`);
  await waitForHydration(page);
  await page.getByLabel("E-mail").fill(person.email);
  await page.getByLabel("Password").fill(person.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.pathname === redirectTo.split("?")[0]);
}
