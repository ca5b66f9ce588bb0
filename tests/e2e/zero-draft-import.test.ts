import { expect, it } from "../support/fixtures";
import { signInWithBrowser, waitForHydration } from "../support/browser-session";
import { createConference, createPerson } from "../support/factories";

const draft = [
  "# Draft Joint Statement",
  "",
  "## Preamble",
  "",
  "*Recalling* the 2024 outcome,",
  "",
  "## Operative part",
  "",
  "1. *Decide* to act;",
  "2. *Request* the secretariat to report;",
  "2 bis. *Invite* donors to contribute;",
  "3. *Encourage* cooperation;",
  "[3 alt] *Call upon* all parties to cooperate.",
].join("\n");

it("previews a zero draft with its parts, the added clause and the alternative as such, then creates it", async ({
  db,
  server,
  browser,
}) => {
  const conference = await createConference(db.sql);
  const secretariat = await createPerson(db.sql, { role: "secretariat", conferenceId: conference.id });
  const path = `/conferences/${conference.id}/import`;

  const page = await (await browser.newContext()).newPage();
  await signInWithBrowser(page, server.url, secretariat, path);
  await waitForHydration(page);
  await page
    .getByLabel("File", { exact: true })
    .setInputFiles({ name: "zero-draft.md", mimeType: "text/markdown", buffer: Buffer.from(draft) });
  await page.getByRole("button", { name: "Preview", exact: true }).click();

  const notes = page.locator(".import-warnings li");
  await notes.first().waitFor();
  expect(await notes.allTextContents()).toEqual([
    "Recognised the headings “Preamble” and “Operative part” as the two parts; they are not clauses.",
    "Recognised 3 numbered clauses (3 by typed numbers); Concord numbers them itself.",
    "Recognised “2 bis.” as a clause added after OP2: it is OP2 bis, provisional until agreed.",
    "Recognised “[3 alt]” as an alternative to OP3, to be tabled in the chair's name.",
  ]);
  const clauses = page.getByRole("list", { name: "Operative clauses" }).locator(":scope > li");
  expect(await clauses.locator(":scope > .clause-label").allTextContents()).toEqual(["OP1", "OP2", "OP2 bis", "OP3"]);
  expect(await clauses.nth(2).textContent()).toContain("(added clause, provisional) Invite donors to contribute;");
  expect(await clauses.nth(2).locator("em").first().textContent()).toBe("Invite");
  const alternative = clauses.nth(3).locator(".import-alternative");
  expect(await alternative.textContent()).toBe(
    "OP3 alt (alternative, to be tabled in the chair's name) Call upon all parties to cooperate.",
  );
  expect(await page.getByRole("list", { name: "Preambular clauses" }).locator(":scope > li").allTextContents()).toEqual([
    "PP1 Recalling the 2024 outcome,",
  ]);

  await page.getByRole("button", { name: "Create statement", exact: true }).click();
  await page.waitForURL(/\/documents\/[0-9a-f-]+$/);
  const documentId = /\/documents\/([0-9a-f-]+)$/.exec(page.url())![1];
  const proposals = await db.sql<{ number: number; kind: string; status: string }[]>`
    select number, kind, status from proposals where document_id = ${documentId} order by number`;
  expect(proposals).toEqual([
    { number: 1, kind: "add", status: "accepted" },
    { number: 2, kind: "replace", status: "submitted" },
  ]);
});
