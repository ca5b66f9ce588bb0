import { expect, it } from "../support/fixtures";
import { signInWithBrowser, waitForHydration } from "../support/browser-session";
import { findMembership } from "../../server/queries/memberships";
import { createConference, createDelegation, createPerson } from "../support/factories";

it("imports a CSV file with good and bad rows and shows the report row by row", async ({ db, server, browser }) => {
  const conference = await createConference(db.sql);
  await createDelegation(db.sql, conference.id, { code: "NOR", name: "Norway" });
  await createDelegation(db.sql, conference.id, { code: "G77", name: "G-77 and China", kind: "group" });
  const secretariat = await createPerson(db.sql, { role: "secretariat", conferenceId: conference.id });
  const existing = await createPerson(db.sql, { email: "known@example.org", name: "Known Person" });
  const peoplePath = `/conferences/${conference.id}/people`;

  const page = await (await browser.newContext()).newPage();
  await signInWithBrowser(page, server.url, secretariat, peoplePath);
  await waitForHydration(page);

  const csv = [
    "name,email,delegation,role",
    '"Hansen, Ingrid",ingrid@example.org,NOR,delegate',
    "Known Person,known@example.org,G-77 and China,delegate",
    "Broken Address,broken-at-example.org,,observer",
    "Ghost,ghost@example.org,ATLANTIS,delegate",
    "Ingrid Twice,INGRID@example.org,NOR,delegate",
  ].join("\n");
  await page
    .getByLabel("CSV file", { exact: true })
    .setInputFiles({ name: "participants.csv", mimeType: "text/csv", buffer: Buffer.from(csv, "utf8") });
  await page.getByRole("button", { name: "Import", exact: true }).click();

  const report = page.getByRole("table", { name: "Import report, row by row" });
  await report.waitFor();
  await expect
    .poll(() => page.getByRole("main").getByRole("status").first().textContent())
    .toContain("2 of 5 rows accepted (1 invited, 1 added, 0 updated, 0 unchanged), 3 rejected.");

  const row = (n: number) => report.locator(`tr[data-row="${n}"]`);
  const outcomes = await report
    .locator("tbody tr")
    .evaluateAll((rows) => rows.map((r) => [r.getAttribute("data-row"), r.getAttribute("data-outcome")]));
  expect(outcomes).toEqual([
    ["2", "invited"],
    ["3", "added"],
    ["4", "rejected"],
    ["5", "rejected"],
    ["6", "rejected"],
  ]);
  expect(await row(2).locator("td").first().textContent()).toBe("Hansen, Ingrid");
  expect(await row(2).getByLabel("Invitation link for ingrid@example.org").inputValue()).toMatch(/\/invitations\/[A-Za-z0-9_-]{40,}$/);
  expect(await row(3).textContent()).toContain("Existing account added as Delegate of G-77 and China (G77).");
  expect(await row(4).textContent()).toContain('"broken-at-example.org" is not a valid e-mail address.');
  expect(await row(5).textContent()).toContain('Unknown delegation "ATLANTIS"');
  expect(await row(6).textContent()).toContain("Duplicate: the e-mail address INGRID@example.org is already in row 2 of this file.");

  // The page behind the report has changed accordingly.
  await expect.poll(() => page.locator(".people-table").textContent()).toContain("known@example.org");
  await expect
    .poll(() => page.locator('.invitations-table tr[data-status="pending"] th').allTextContents())
    .toEqual(["ingrid@example.org"]);
  expect(await findMembership(db.sql, conference.id, existing.id)).toMatchObject({ role: "delegate" });

  // A file that is too large is refused next to the file field.
  await page
    .getByLabel("CSV file", { exact: true })
    .setInputFiles({ name: "huge.csv", mimeType: "text/csv", buffer: Buffer.alloc(1024 * 1024 + 1, "a") });
  await page.getByRole("button", { name: "Import", exact: true }).click();
  const fileInput = page.getByLabel("CSV file", { exact: true });
  await expect.poll(() => fileInput.getAttribute("aria-invalid")).toBe("true");
  const errorId = (await fileInput.getAttribute("aria-describedby"))!;
  expect(await page.locator(`[id="${errorId}"]`).textContent()).toContain("The file is larger than 1 MB.");
});
