import { describe, expect, it } from "../support/fixtures";
import { startTestServer, type TestServer } from "../support/server";
import { freePort, linkIn, startSmtp, type TestSmtp } from "../support/smtp";
import { createConference, createPerson, type TestPerson } from "../support/factories";

/** "Forgot your password?" in Chromium, with the link read from the mail a real SMTP server received. */
let smtp: TestSmtp;
let server: TestServer;
let person: TestPerson;

it.beforeAll(async ({ db }) => {
  smtp = await startSmtp();
  const port = await freePort();
  server = await startTestServer({
    databaseUrl: db.url,
    env: { PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, SMTP_URL: smtp.url },
  });
  const conference = await createConference(db.sql, { title: "Conference on Remembered Passwords" });
  person = await createPerson(db.sql, { conferenceId: conference.id, role: "observer", name: "Rosa Forgetful" });
});

describe("Forgot your password?", () => {
  it("leads from the sign-in page through the mailed link to a new password, signed in", async ({ browser }) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/login`);
    await page.getByRole("link", { name: "Forgot your password?" }).click();
    await page.getByRole("heading", { name: "Forgot your password?" }).waitFor();
    await page.getByLabel("E-mail").fill(person.email);
    await page.getByRole("button", { name: "Send the link" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toContain(`If an account exists for ${person.email}`);

    const mail = await smtp.nextTo(person.email);
    await page.goto(linkIn(mail, `${server.url}/reset-password/`));
    const newPassword = "remembered at last, surely";
    await page.getByLabel("New password", { exact: true }).fill(newPassword);
    await page.getByLabel("New password again").fill(newPassword);
    await page.getByRole("button", { name: "Save and sign in" }).click();
    await page.waitForURL(`${server.url}/`);
    await page.getByRole("heading", { name: "Your conferences" }).waitFor();
    expect(await page.locator(".user-name").textContent()).toBe("Rosa Forgetful");
    expect(await page.getByRole("link", { name: "Conference on Remembered Passwords" }).count()).toBe(1);
    await context.close();
  });
});
