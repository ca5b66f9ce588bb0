import { expect, it, type FileFixtures } from "../support/fixtures";
import { storedDoc } from "../support/statement";
import { anchorOnWord, commentsPoster } from "../support/comments";
import { loadCommentThreads } from "../../server/negotiation/comments";
import { setConfidentiality } from "../../server/queries/conferences";
import { createSignedInPerson, createStatement } from "../support/factories";

/**
 * Unread is per person: comments by others after the person last read the thread (all of them
 * if never), cleared by reading (the small POST the page sends when a thread is opened) or by
 * replying; one's own comments are never unread.
 */
let documentId: string;
let clauseId: string;
type Who = "alice" | "bob" | "observer";
let users: Record<Who, { userId: string; post: ReturnType<typeof commentsPoster> }>;

it.beforeAll(async ({ db, server }) => {
  const fixture = await createStatement(db.sql);
  documentId = fixture.documentId;
  // Open: observers read the comments (in standard mode they see the base text only).
  await setConfidentiality(db.sql, fixture.conferenceId, "open");
  const make = async (role: "delegate" | "observer") => {
    const u = await createSignedInPerson(db.sql, { conferenceId: fixture.conferenceId, role });
    return { userId: u.id, post: commentsPoster(server.url, documentId, u.cookie) };
  };
  users = { alice: await make("delegate"), bob: await make("delegate"), observer: await make("observer") };
  const doc = await storedDoc(db.sql, documentId);
  clauseId = anchorOnWord(doc, 2, "landmines").clauseId;
  doc.destroy();
});

const unread = async ({ db }: Pick<FileFixtures, "db">, who: Who) => {
  const threads = await loadCommentThreads(db.sql, documentId, users[who].userId);
  return Object.fromEntries(threads.map((t) => [t.body, t.unreadCount]));
};

it("counts unread comments per person and clears them when read or replied to", async ({ db }) => {
  const created = await users.alice.post({ intent: "create", clauseId, body: "First" });
  const thread = created.data!.threadId!;
  // The author has read their own thread; everyone else has not.
  expect(await unread({ db }, "alice")).toEqual({ First: 0 });
  expect(await unread({ db }, "bob")).toEqual({ First: 1 });
  expect(await unread({ db }, "observer")).toEqual({ First: 1 });

  await users.alice.post({ intent: "reply", threadId: thread, body: "Second" });
  expect(await unread({ db }, "alice")).toEqual({ First: 0 });
  expect(await unread({ db }, "bob")).toEqual({ First: 2 });

  // Bob opens the thread.
  expect((await users.bob.post({ intent: "read", threadId: thread })).status).toBe(200);
  expect(await unread({ db }, "bob")).toEqual({ First: 0 });
  expect(await unread({ db }, "observer")).toEqual({ First: 2 });

  // Bob replies: Alice has one new comment, Bob none (his reply marks the thread read for him).
  await users.bob.post({ intent: "reply", threadId: thread, body: "Third" });
  expect(await unread({ db }, "alice")).toEqual({ First: 1 });
  expect(await unread({ db }, "bob")).toEqual({ First: 0 });
  const forAlice = (await loadCommentThreads(db.sql, documentId, users.alice.userId))[0];
  expect(forAlice.replies.map((r) => [r.body, r.unread])).toEqual([
    ["Second", false],
    ["Third", true],
  ]);

  // An observer cannot write but marks what they have read.
  expect((await users.observer.post({ intent: "read", threadId: thread })).status).toBe(200);
  expect(await unread({ db }, "observer")).toEqual({ First: 0 });
  expect(await unread({ db }, "alice")).toEqual({ First: 1 });
});
