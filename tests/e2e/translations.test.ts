import { describe, expect, it } from "../support/fixtures";
import { axeViolations } from "../support/axe";
import { createSignedInPerson, createStatement } from "../support/factories";
import { currentStatement } from "../../server/negotiation/numbering";
import { setConferenceLanguages } from "../../server/queries/conferences";
import { findTranslation } from "../../server/queries/translations";
import { readDraft } from "../../server/negotiation/statement";
import type { Locator } from "playwright-core";

/** An editor's text as its writer reads it, without other people's caret labels. */
const textOf = (editor: Locator) =>
  editor.evaluate((e) => {
    const copy = e.cloneNode(true) as HTMLElement;
    copy.querySelectorAll(".collab-caret").forEach((c) => c.remove());
    return copy.textContent;
  });

/**
 * The side-by-side view in Chromium: a French translator starts a clause's translation, the
 * secretariat writes in it too, both see each other's words live, and a reader's page shows the
 * translation as it is stored without being reloaded by hand. The Arabic column is right to left.
 */
describe("translations side by side, in Chromium", () => {
  it("two writers co-edit a clause's translation live; a reader's page follows; Arabic reads right to left", async ({ db, openPage }) => {
    const { documentId, conferenceId } = await createStatement(db.sql);
    await setConferenceLanguages(db.sql, conferenceId, ["en", "fr", "ar"]);
    const translator = await createSignedInPerson(db.sql, { conferenceId, role: "translator", language: "fr", name: "Traductrice" });
    const secretariat = await createSignedInPerson(db.sql, { conferenceId, role: "secretariat" });
    const delegate = await createSignedInPerson(db.sql, { conferenceId, role: "delegate" });
    const op1 = (await currentStatement(db.sql, documentId)).clauses.find((c) => c.label === "OP1")!;
    const path = `/documents/${documentId}/translations/fr`;
    const viewport = { viewport: { width: 1280, height: 900 } };

    const reader = await openPage(path, delegate.cookie, viewport);
    const readerRow = reader.locator(`[data-key="${op1.id}"]`);
    await expect.poll(() => readerRow.getByTestId("translation-status").textContent()).toBe("Missing");
    expect(await reader.getByRole("button", { name: /Translate/ }).count()).toBe(0);

    const page = await openPage(path, translator.cookie, viewport);
    await page.getByRole("button", { name: "Translate OP1" }).click();
    const editor = page.getByRole("textbox", { name: "French translation of OP1" });
    await editor.waitFor();
    await editor.click();
    await page.keyboard.type("Appellent les États");

    const other = await openPage(path, secretariat.cookie, viewport);
    await other.getByRole("button", { name: "Edit OP1" }).click();
    const otherEditor = other.getByRole("textbox", { name: "French translation of OP1" });
    await expect.poll(() => textOf(otherEditor)).toBe("Appellent les États");
    await otherEditor.click();
    await other.keyboard.press("Control+End");
    await other.keyboard.type(" à agir.");
    await expect.poll(() => textOf(editor)).toBe("Appellent les États à agir.");

    // The reader was not reloaded by hand: the page heard that a translation changed.
    await expect.poll(() => readerRow.locator(".translation-text").textContent(), { timeout: 15_000 }).toBe("Appellent les États à agir.");
    await expect.poll(() => readerRow.getByTestId("translation-status").textContent()).toBe("Up to date");
    // What both typed is stored, as the translation's text.
    const { textDocumentId } = (await findTranslation(db.sql, documentId, "fr", op1.id!))!;
    expect((await readDraft(db.sql, textDocumentId)).text).toBe("Appellent les États à agir.");
    expect(await axeViolations(page)).toEqual([]);

    const arabic = await openPage(`/documents/${documentId}/translations/ar`, delegate.cookie, viewport);
    const cell = arabic.locator(`[data-key="${op1.id}"] .translation-target`);
    expect(await cell.getAttribute("dir")).toBe("rtl");
    expect(await cell.getAttribute("lang")).toBe("ar");
  });
});
