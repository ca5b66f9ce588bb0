import { beforeAll, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { launchBrowser } from "../support/browser";
import { onCleanup } from "../support/cleanup";
import { createTestDatabase } from "../support/db";
import { createStatement, uniqueTag } from "../support/factories";
import { startTestProvider, type TestProvider } from "../support/openid-provider";
import { startTestServer, type TestServer } from "../support/server";
import { issueInvitation } from "../../server/people/invitations";

let server: TestServer;
let provider: TestProvider;
let browser: Browser;
let conferenceId: string;

beforeAll(async () => {
  const db = await createTestDatabase();
  provider = await startTestProvider();
  server = await startTestServer({
    databaseUrl: db.url,
    env: {
      OIDC_ISSUER: provider.issuer,
      OIDC_CLIENT_ID: provider.clientId,
      OIDC_CLIENT_SECRET: provider.clientSecret,
      OIDC_NAME: "Example Ministry",
    },
  });
  provider.register([`${server.url}/auth/oidc/callback`]);
  ({ conferenceId } = await createStatement(db.sql));
  await db.sql`update conferences set title = 'Conference on Safe Settlements' where id = ${conferenceId}`;
  const t = uniqueTag();
  await issueInvitation(db.sql, {
    conferenceId,
    email: `leila-${t}@ministry.example`,
    role: "observer",
    delegationId: null,
    language: null,
    createdBy: null,
    origin: server.url,
  });
  provider.account("leila", { email: `leila-${t}@ministry.example`, emailVerified: true, name: "Leila Observer" });
  browser = await launchBrowser();
  onCleanup(() => browser.close());
});

it('signs in with "Sign in with Example Ministry": the provider\'s login page, then into Concord, signed in', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });

  await page.goto(`${server.url}/login`);
  await page.getByRole("link", { name: "Sign in with Example Ministry" }).click();

  // The provider's own page, on its own origin.
  await page.waitForURL((url) => url.href.startsWith(provider.issuer));
  await page.locator('input[name="login"]').fill("leila");
  await page.locator('input[name="password"]').fill("whatever the provider asks");
  await page.getByRole("button", { name: "Sign-in" }).click();

  // Back on Concord, in the conference the invitation was for, signed in as the invitee.
  await page.waitForURL(`${server.url}/conferences/${conferenceId}`);
  await expect.poll(() => page.locator("main").innerText()).toContain("Your role: Observer");
  const body = await page.locator("body").innerText();
  expect(body).toContain("Conference on Safe Settlements");
  expect(body).toContain("Leila Observer");
  const cookies = await context.cookies(server.url);
  expect(cookies.find((c) => c.name === "concord_session")).toMatchObject({ httpOnly: true, sameSite: "Lax" });
  expect(violations).toEqual([]);

  // Signed in for good: the home page lists the conference.
  await page.goto(`${server.url}/`);
  expect(await page.locator("main").innerText()).toContain("Conference on Safe Settlements");
  await context.close();
});
