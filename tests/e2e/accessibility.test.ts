import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { axeViolations } from "../support/axe";
import { launchBrowser, signedInContext } from "../support/browser";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { startTestServer, type TestServer } from "../support/server";
import { createRevision } from "../../server/versions/capture";
import { appendAudit } from "../../server/audit/log";
import { createSignedInPerson, createStatement } from "../support/factories";

let db: TestDatabase;
let server: TestServer;
let browser: Browser;
let fixture: { documentId: string; conferenceId: string; cookie: string };

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer({ databaseUrl: db.url });
  fixture = await createStatement(db.sql);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

async function open(path: string, cookie: string | null, width = 1280): Promise<Page> {
  const context = cookie
    ? await signedInContext(browser, server.url, cookie, { viewport: { width, height: 900 } })
    : await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${server.url}${path}`);
  return page;
}

describe("pages meet WCAG 2.1 AA as axe-core checks it", () => {
  it("the sign-in page, also with an error shown", async () => {
    const page = await open("/login", null);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel("E-mail").fill("nobody@example.org");
    await page.getByLabel("Password").fill("wrong password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("The e-mail address or password is incorrect.").waitFor();
    expect(await axeViolations(page)).toEqual([]);
  });

  it("the statement editor of a chair, on a desktop and on a tablet", async () => {
    for (const width of [1280, 820]) {
      const page = await open(`/documents/${fixture.documentId}`, fixture.cookie, width);
      await page.locator('.connection-badge[data-connection="connected"]').waitFor();
      await page.locator(".outline-item").first().waitFor();
      expect(await axeViolations(page)).toEqual([]);
    }
  });

  it("the statement as a delegate reads it", async () => {
    const delegate = await createSignedInPerson(db.sql, { conferenceId: fixture.conferenceId, role: "delegate" });
    const page = await open(`/documents/${fixture.documentId}`, delegate.cookie);
    await page.locator('.connection-badge[data-connection="connected"]').waitFor();
    expect(await axeViolations(page)).toEqual([]);
  });

  it("the secretariat's conference, delegations and people pages", async () => {
    const secretariat = await createSignedInPerson(db.sql, { conferenceId: fixture.conferenceId, role: "secretariat" });
    for (const path of ["", "/delegations", "/people"]) {
      const page = await open(`/conferences/${fixture.conferenceId}${path}`, secretariat.cookie);
      expect(await axeViolations(page), path || "/").toEqual([]);
    }
  });
  it("the history, a version, a redline and the import page", async () => {
    const [{ userId }] = await db.sql<{ userId: string }[]>`
      select user_id as "userId" from memberships where conference_id = ${fixture.conferenceId} and role = 'chair' limit 1`;
    const rev = await createRevision(db.sql, { documentId: fixture.documentId, name: "Rev.1", userId });
    const base = `/documents/${fixture.documentId}`;
    for (const path of [`${base}/history`, `${base}/versions/${rev.id}`, `${base}/redline?from=${rev.id}&to=current`]) {
      const page = await open(path, fixture.cookie);
      expect(await axeViolations(page), path).toEqual([]);
    }
    const secretariat = await createSignedInPerson(db.sql, { conferenceId: fixture.conferenceId, role: "secretariat" });
    expect(await axeViolations(await open(`/conferences/${fixture.conferenceId}/import`, secretariat.cookie))).toEqual([]);
  });

  it("the secretariat's audit trail, with entries and a verification", async () => {
    const secretariat = await createSignedInPerson(db.sql, { conferenceId: fixture.conferenceId, role: "secretariat" });
    await db.sql.begin((tx) =>
      appendAudit(tx, { documentId: fixture.documentId, actorId: secretariat.id, action: "clause_state.set", subject: { clause: "OP1", state: "agreed", reason: "Agreed." } }),
    );
    const page = await open(`/conferences/${fixture.conferenceId}/audit?verify=1`, secretariat.cookie);
    await page.getByText("The chain is intact").waitFor();
    expect(await axeViolations(page)).toEqual([]);
  });
});
