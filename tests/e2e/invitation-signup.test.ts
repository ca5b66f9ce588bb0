import { expect, it } from "../support/fixtures";
import { signInWithBrowser, waitForHydration } from "../support/browser-session";
import { findMembership } from "../../server/queries/memberships";
import { findUserByEmail } from "../../server/queries/users";
import { createDocument } from "../../server/queries/documents";
import { appendUpdates } from "../../server/queries/document-state";
import { demoStatement } from "../../server/seed/demo-statement";
import { statementUpdate } from "../../app/statement/yjs-state";
import { createConference, createDelegation, createPerson } from "../support/factories";

it("the secretariat invites a delegate, who signs up through the link and reads the statement, read-only", async ({
  db,
  server,
  browser,
}) => {
  const conference = await createConference(db.sql, { title: "Conference on Safe Settlements", venue: "Baku, Azerbaijan" });
  const statement = await createDocument(db.sql, conference.id, "Joint Statement");
  await appendUpdates(db.sql, statement.id, [statementUpdate(demoStatement())]);
  const colombia = await createDelegation(db.sql, conference.id, { code: "COL", name: "Colombia" });
  const secretariat = await createPerson(db.sql, { role: "secretariat", conferenceId: conference.id });
  const peoplePath = `/conferences/${conference.id}/people`;

  // The secretariat creates the invitation and copies the link.
  const secretariatContext = await browser.newContext({ permissions: ["clipboard-read", "clipboard-write"] });
  const page = await secretariatContext.newPage();
  await signInWithBrowser(page, server.url, secretariat, peoplePath);
  await waitForHydration(page);
  await page.getByLabel("E-mail", { exact: true }).fill("maria.delegate@example.org");
  await page.getByLabel("Role", { exact: true }).selectOption("delegate");
  await page.getByLabel("Delegation (delegates only)", { exact: true }).selectOption({ label: "Colombia (COL)" });
  await page.getByRole("button", { name: "Create invitation link" }).click();

  const linkField = page.getByLabel("Invitation link", { exact: true });
  await linkField.waitFor();
  await expect
    .poll(() => page.getByRole("main").getByRole("status").first().textContent())
    .toContain("Invitation created for maria.delegate@example.org as Delegate of Colombia (COL).");
  expect(await linkField.getAttribute("readonly")).not.toBeNull();
  const shown = await linkField.inputValue();
  expect(shown).toMatch(new RegExp(`^${server.url}/invitations/[A-Za-z0-9_-]{40,}$`));
  await page.getByRole("button", { name: "Copy invitation link" }).click();
  await expect.poll(() => page.locator(".copy-status").textContent()).toBe("Link copied to the clipboard.");
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(shown);
  // The list of invitations shows it pending.
  await expect
    .poll(() => page.locator('.invitations-table tr[data-status="pending"] th').allTextContents())
    .toContain("maria.delegate@example.org");

  // The invitee, in a browser of their own, opens the link and chooses a name and password.
  const inviteeContext = await browser.newContext();
  const invitee = await inviteeContext.newPage();
  await invitee.goto(copied);
  await invitee.getByRole("heading", { name: "You are invited" }).waitFor();
  expect(await invitee.locator(".invitation-summary").textContent()).toContain("Conference on Safe Settlements");
  expect(await invitee.locator(".facts").textContent()).toContain("DelegationColombia (COL)");
  await waitForHydration(invitee);
  await invitee.getByLabel("Your name").fill("María Delegate");
  await invitee.getByLabel("Password", { exact: true }).fill("a password of my own");
  await invitee.getByLabel("Password again").fill("a password of my own");
  await invitee.getByRole("button", { name: "Create account and join" }).click();

  // Signed in, in the conference, as a delegate.
  await invitee.waitForURL(`${server.url}/conferences/${conference.id}`);
  await invitee.getByRole("heading", { name: "Conference on Safe Settlements" }).waitFor();
  expect(await invitee.locator(".role-note").textContent()).toBe("Your role: Delegate");
  expect(await invitee.locator(".user-name").textContent()).toBe("María Delegate");
  const user = await findUserByEmail(db.sql, "maria.delegate@example.org");
  expect(await findMembership(db.sql, conference.id, user!.id)).toMatchObject({ role: "delegate", delegationId: colombia.id });

  // The statement opens for them read-only: no tools, not editable, and typing changes nothing.
  await invitee.getByRole("link", { name: "Joint Statement", exact: true }).click();
  await invitee.locator('.connection-badge[data-connection="connected"]').waitFor();
  await expect.poll(() => invitee.locator(".connection-badge").textContent()).toBe("Connected · read only");
  expect(await invitee.locator(".statement").getAttribute("contenteditable")).toBe("false");
  expect(await invitee.locator(".toolbar").count()).toBe(0);
  const before = await invitee.locator(".statement").textContent();
  await invitee.locator('.statement .clause[data-label="OP1"] p').first().click();
  await invitee.keyboard.type("not allowed");
  expect(await invitee.locator(".statement").textContent()).toBe(before);

  // The link is spent: opened again, in yet another browser, it says so.
  const third = await (await browser.newContext()).newPage();
  const again = await third.goto(copied);
  expect(again?.status()).toBe(410);
  await third.getByRole("heading", { name: "This invitation has been used" }).waitFor();

  // And the secretariat's list now shows it accepted.
  await page.reload();
  await expect
    .poll(() => page.locator('.invitations-table tr[data-status="accepted"] th').allTextContents())
    .toContain("maria.delegate@example.org");
});
