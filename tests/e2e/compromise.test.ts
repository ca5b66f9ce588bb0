import { describe, expect, it } from "../support/fixtures";
import { axeViolations } from "../support/axe";
import { createDelegation, createProposal, createSignedInPerson, createStatement } from "../support/factories";
import { currentStatement } from "../../server/negotiation/numbering";
import { findProposal } from "../../server/queries/proposals";

/**
 * The chair merges two proposals into a compromise written in the proposals' editor: it starts
 * from the text as written, italic opening words included, and the compromise keeps them.
 */
describe("a compromise text, in Chromium", () => {
  it("starts from the clause as written, is edited with its formatting, and keeps the italic opening words", async ({ db, openPage }) => {
    const { documentId, conferenceId, cookie } = await createStatement(db.sql);
    const norway = await createDelegation(db.sql, conferenceId, { code: "NOR", name: "Norway" });
    const france = await createDelegation(db.sql, conferenceId, { code: "FRA", name: "France" });
    const delegate = await createSignedInPerson(db.sql, { conferenceId, role: "delegate", delegationId: norway.id });
    const other = await createSignedInPerson(db.sql, { conferenceId, role: "delegate", delegationId: france.id });
    const op2 = (await currentStatement(db.sql, documentId)).clauses.find((c) => c.label === "OP2")!;
    const one = await createProposal(db.sql, {
      documentId,
      createdBy: delegate.id,
      delegationId: norway.id,
      clauseId: op2.id!,
      baseText: op2.text,
      text: "Call upon all States to integrate demining;",
    });
    await createProposal(db.sql, { documentId, createdBy: other.id, delegationId: france.id, clauseId: op2.id!, kind: "delete" });

    const page = await openPage(`/documents/${documentId}/proposals/${one.id}`, cookie, { viewport: { width: 1280, height: 900 } });
    const editor = page.getByRole("textbox", { name: "Compromise text" });
    await editor.waitFor();
    // The clause as the statement holds it, its opening words in italics.
    await expect.poll(() => editor.locator("em").first().textContent()).toBe("Call upon");
    await editor.locator("p").first().click();
    await page.keyboard.press("Control+End");
    await page.keyboard.type(" ADDED IN COMPROMISE");
    expect(await axeViolations(page)).toEqual([]);
    const form = page.locator(".merge-form");
    for (const box of await form.getByRole("checkbox").all()) await box.check();
    await form.getByRole("button", { name: "Merge" }).click();
    await expect.poll(() => page.locator("main [role=status]").first().textContent()).toMatch(/^Merged into the compromise P3\./);

    const [{ id }] = await db.sql<{ id: string }[]>`select id from proposals where document_id = ${documentId} and number = 3`;
    const compromise = (await findProposal(db.sql, documentId, id))!;
    expect(compromise.revision!.text).toBe(`${op2.text} ADDED IN COMPROMISE`);
    const [paragraph] = compromise.revision!.content!;
    expect(paragraph.content![0]).toEqual({ type: "text", text: "Call upon", marks: [{ type: "italic" }] });
  });
});
