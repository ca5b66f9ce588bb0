import { expect, it, type FileFixtures } from "../support/fixtures";
import { clauseTexts, deleteInClause, storedDoc, typeInClause } from "../support/statement";
import { connectSyncedClient, waitFor, waitForConvergence } from "../support/clients";
import { anchorOnWord, anchoredText, commentsPoster } from "../support/comments";
import { loadCommentThreads } from "../../server/negotiation/comments";
import { createSignedInPerson, createStatement } from "../support/factories";

/**
 * An anchor is a pair of Yjs relative positions: it follows the text through everyone's edits,
 * and when the anchored text is deleted the thread is orphaned. Edits come from real y-websocket
 * clients; what the page shows comes from the stored statement.
 */
let documentId: string;
let chairCookie: string;
let delegate: { userId: string; post: ReturnType<typeof commentsPoster> };

it.beforeAll(async ({ db, server }) => {
  const fixture = await createStatement(db.sql);
  documentId = fixture.documentId;
  chairCookie = fixture.cookie;
  const u = await createSignedInPerson(db.sql, { conferenceId: fixture.conferenceId, role: "delegate" });
  delegate = { userId: u.id, post: commentsPoster(server.url, documentId, u.cookie) };
});

const thread = async ({ db }: Pick<FileFixtures, "db">, id: string) =>
  (await loadCommentThreads(db.sql, documentId, delegate.userId)).find((t) => t.id === id)!;
const storedText = async ({ db }: Pick<FileFixtures, "db">, anchor: { start: string; end: string }) => {
  const doc = await storedDoc(db.sql, documentId);
  try {
    return anchoredText(doc, anchor);
  } finally {
    doc.destroy();
  }
};

it("follows the text when a client inserts before it, and is orphaned when a client deletes it", async ({ db, server }) => {
  const editor = await connectSyncedClient(server.wsUrl, documentId, { cookie: chairCookie });
  const reader = await connectSyncedClient(server.wsUrl, documentId, { cookie: chairCookie });
  const anchor = anchorOnWord(editor.doc, 1, "outcomes");
  const created = await delegate.post({
    intent: "create",
    clauseId: anchor.clauseId,
    anchorStart: anchor.start,
    anchorEnd: anchor.end,
    body: "Which outcomes?",
  });
  expect(created.status).toBe(200);
  const id = created.data!.threadId!;
  const before = clauseTexts(editor.doc)[1].indexOf("outcomes");

  // The chair types at the start of the clause, before the anchored word.
  typeInClause(editor.doc, 1, "Further ", 0);
  await waitForConvergence([editor, reader]);
  expect(clauseTexts(editor.doc)[1].indexOf("outcomes")).toBe(before + "Further ".length);
  expect(await storedText({ db }, anchor)).toBe("outcomes");
  expect(anchoredText(reader.doc, anchor)).toBe("outcomes");
  expect((await thread({ db }, id)).orphaned).toBe(false);

  // Typing inside the range widens it: the anchor is on text, not on a count of characters.
  const inside = clauseTexts(editor.doc)[1].indexOf("outcomes") + "out".length;
  typeInClause(editor.doc, 1, "-", inside);
  await waitForConvergence([editor, reader]);
  expect(await storedText({ db }, anchor)).toBe("out-comes");

  // The chair deletes the anchored word: the thread is orphaned, its quote kept.
  const at = clauseTexts(editor.doc)[1].indexOf("out-comes");
  deleteInClause(editor.doc, 1, at, "out-comes".length);
  await waitForConvergence([editor, reader]);
  expect(clauseTexts(reader.doc)[1]).not.toContain("out-comes");
  await waitFor(async () => (await thread({ db }, id)).orphaned, { what: "the thread to be orphaned" });
  expect(anchoredText(reader.doc, anchor)).toBeNull();
  expect((await thread({ db }, id)).anchor?.quote).toBe("outcomes");

  // A new anchor on the deleted text is refused.
  const stale = await delegate.post({
    intent: "create",
    clauseId: anchor.clauseId,
    anchorStart: anchor.start,
    anchorEnd: anchor.end,
    body: "Late",
  });
  expect(stale.status).toBe(400);
  expect(stale.data!.errors!.anchor).toBeDefined();
});

it("a deleted clause orphans the threads anchored in it", async ({ db, server }) => {
  const editor = await connectSyncedClient(server.wsUrl, documentId, { cookie: chairCookie });
  const anchor = anchorOnWord(editor.doc, 3, "concern");
  const created = await delegate.post({
    intent: "create",
    clauseId: anchor.clauseId,
    anchorStart: anchor.start,
    anchorEnd: anchor.end,
    body: "On concern",
  });
  const id = created.data!.threadId!;
  expect((await thread({ db }, id)).orphaned).toBe(false);
  // Delete the whole clause element from the preamble, as the editor's "delete clause" does.
  editor.doc.transact(() => {
    const preamble = editor.doc
      .getXmlFragment("default")
      .toArray()
      .find((n) => (n as { nodeName?: string }).nodeName === "preamble") as import("yjs").XmlElement;
    preamble.delete(3, 1);
  });
  // A deletion adds no item (the clock stays), so "saved" cannot tell; the stored text can.
  await waitFor(async () => (await thread({ db }, id)).orphaned, { what: "the thread to be orphaned" });
  expect(await storedText({ db }, anchor)).toBeNull();
});
