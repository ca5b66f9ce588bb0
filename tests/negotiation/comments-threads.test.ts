import { describe, expect, it, type FileFixtures } from "../support/fixtures";
import { randomUUID } from "node:crypto";
import { storedDoc } from "../support/statement";
import { anchorOnWord, commentsPoster } from "../support/comments";
import { waitFor } from "../support/wait";
import { loadCommentThreads } from "../../server/negotiation/comments";
import { subscribeNegotiationEvents, type NegotiationEvent } from "../../server/negotiation/events";
import { createDelegation, createSignedInPerson, createStatement } from "../support/factories";

/**
 * Comment threads over HTTP against a real server: who may write, reply, resolve, reopen and
 * pin; what is refused (403), hidden (404) or rejected (400); and what the page then shows.
 */
let documentId: string;
let other: { documentId: string; cookie: string };
let people: Record<"chair" | "delegate" | "secretariat" | "observer" | "outsider", { cookie: string; id: string }>;
let post: Record<keyof typeof people, ReturnType<typeof commentsPoster>>;
const events: NegotiationEvent[] = [];
let clauses: { pp1: string; pp2: string };

it.beforeAll(async ({ db, server }) => {
  const fixture = await createStatement(db.sql);
  documentId = fixture.documentId;
  other = await createStatement(db.sql);
  const norway = await createDelegation(db.sql, fixture.conferenceId, { code: "NOR", name: "Norway" });
  people = {
    chair: { cookie: fixture.cookie, id: fixture.chairId },
    delegate: await createSignedInPerson(db.sql, {
      conferenceId: fixture.conferenceId,
      role: "delegate",
      delegationId: norway.id,
      name: "Ingrid Berg",
    }),
    secretariat: await createSignedInPerson(db.sql, { conferenceId: fixture.conferenceId, role: "secretariat", name: "Sam Secretary" }),
    observer: await createSignedInPerson(db.sql, { conferenceId: fixture.conferenceId, role: "observer" }),
    outsider: await createSignedInPerson(db.sql, {
      conferenceId: (await db.sql<{ conference_id: string }[]>`select conference_id from documents where id = ${other.documentId}`)[0]
        .conference_id,
      role: "chair",
    }),
  };
  post = Object.fromEntries(Object.entries(people).map(([k, p]) => [k, commentsPoster(server.url, documentId, p.cookie)])) as typeof post;
  const doc = await storedDoc(db.sql, documentId);
  clauses = { pp1: anchorOnWord(doc, 0, "participants").clauseId, pp2: anchorOnWord(doc, 1, "outcomes").clauseId };
  doc.destroy();
  await subscribeNegotiationEvents(db.sql, (e) => events.push(e));
});

const threadsFor = ({ db }: Pick<FileFixtures, "db">, who: keyof typeof people) => loadCommentThreads(db.sql, documentId, people[who].id);

async function create(who: keyof typeof people, fields: Record<string, string>): Promise<string> {
  const res = await post[who]({ intent: "create", ...fields });
  expect(res.status).toBe(200);
  return res.data!.threadId!;
}

describe("writing", () => {
  it("a delegate comments on a clause, shown with their name and their delegation's name, and it is announced", async ({ db }) => {
    const before = events.length;
    const id = await create("delegate", { clauseId: clauses.pp1, body: "We would prefer a shorter preamble." });
    const thread = (await threadsFor({ db }, "chair")).find((t) => t.id === id)!;
    expect(thread).toMatchObject({
      clauseId: clauses.pp1,
      anchor: null,
      body: "We would prefer a shorter preamble.",
      authorName: "Ingrid Berg",
      affiliation: "Norway",
    });
    await waitFor(() => events.slice(before).some((e) => e.documentId === documentId && e.topic === "comments"), {
      what: "a comments event",
    });
  });

  it("the chair and the secretariat are shown as such", async ({ db }) => {
    const a = await create("chair", { clauseId: clauses.pp1, body: "Noted." });
    const b = await create("secretariat", { clauseId: clauses.pp1, body: "Editorial fix pending." });
    const threads = await threadsFor({ db }, "delegate");
    expect(threads.find((t) => t.id === a)!.affiliation).toBe("Chair");
    expect(threads.find((t) => t.id === b)!.affiliation).toBe("Secretariat");
  });

  it("an anchored thread keeps the quoted text, taken from the stored statement", async ({ db }) => {
    const doc = await storedDoc(db.sql, documentId);
    const anchor = anchorOnWord(doc, 1, "outcomes");
    doc.destroy();
    const id = await create("delegate", {
      clauseId: anchor.clauseId,
      anchorStart: anchor.start,
      anchorEnd: anchor.end,
      body: "Which outcomes?",
    });
    const thread = (await threadsFor({ db }, "chair")).find((t) => t.id === id)!;
    expect(thread.anchor).toMatchObject({ start: anchor.start, end: anchor.end, quote: "outcomes" });
    expect(thread.orphaned).toBe(false);
  });

  it("replies go under their thread", async ({ db }) => {
    const id = await create("delegate", { clauseId: clauses.pp2, body: "Thread for replies" });
    expect((await post.chair({ intent: "reply", threadId: id, body: "Answer from the chair" })).status).toBe(200);
    expect((await post.secretariat({ intent: "reply", threadId: id, body: "And the secretariat" })).status).toBe(200);
    const thread = (await threadsFor({ db }, "delegate")).find((t) => t.id === id)!;
    expect(thread.replies.map((r) => [r.body, r.affiliation])).toEqual([
      ["Answer from the chair", "Chair"],
      ["And the secretariat", "Secretariat"],
    ]);
  });

  it("rejects an empty or too long body, an unknown clause and a bad anchor with field errors", async ({ db }) => {
    const doc = await storedDoc(db.sql, documentId);
    const inPp2 = anchorOnWord(doc, 1, "outcomes");
    doc.destroy();
    const cases: [Record<string, string>, string][] = [
      [{ clauseId: clauses.pp1, body: "  " }, "body"],
      [{ clauseId: clauses.pp1, body: "x".repeat(4001) }, "body"],
      [{ clauseId: "no-such-clause", body: "Hello" }, "clauseId"],
      // Anchored in PP2 but said to be on PP1.
      [{ clauseId: clauses.pp1, anchorStart: inPp2.start, anchorEnd: inPp2.end, body: "Hello" }, "anchor"],
      // Ends swapped: an empty range.
      [{ clauseId: clauses.pp2, anchorStart: inPp2.end, anchorEnd: inPp2.start, body: "Hello" }, "anchor"],
      [{ clauseId: clauses.pp2, anchorStart: "not base64!", anchorEnd: inPp2.end, body: "Hello" }, "anchor"],
      [{ clauseId: clauses.pp2, anchorStart: "AAAA", anchorEnd: "AAAA", body: "Hello" }, "anchor"],
      [{ clauseId: clauses.pp2, anchorStart: inPp2.start, body: "Hello" }, "anchor"],
      [{ clauseId: clauses.pp2, anchorStart: "A".repeat(5000), anchorEnd: inPp2.end, body: "Hello" }, "anchorStart"],
    ];
    const before = (await threadsFor({ db }, "chair")).length;
    for (const [fields, field] of cases) {
      const res = await post.delegate({ intent: "create", ...fields });
      expect(res.status, JSON.stringify(fields).slice(0, 120)).toBe(400);
      expect(Object.keys(res.data!.errors!)).toContain(field);
    }
    expect((await post.delegate({ intent: "reply", threadId: (await threadsFor({ db }, "chair"))[0].id, body: "" })).status).toBe(400);
    expect((await threadsFor({ db }, "chair")).length).toBe(before);
  });

  it("a body of exactly 4000 characters is accepted", async () => {
    await create("delegate", { clauseId: clauses.pp2, body: "y".repeat(4000) });
  });
});

describe("resolving and pinning", () => {
  it("anyone who may comment resolves and reopens, and who did it is kept", async ({ db }) => {
    const id = await create("chair", { clauseId: clauses.pp2, body: "Resolve me" });
    expect((await post.delegate({ intent: "resolve", threadId: id })).status).toBe(200);
    let thread = (await threadsFor({ db }, "chair")).find((t) => t.id === id)!;
    expect(thread.resolved?.byName).toBe("Ingrid Berg");
    expect((await post.secretariat({ intent: "reopen", threadId: id })).status).toBe(200);
    thread = (await threadsFor({ db }, "chair")).find((t) => t.id === id)!;
    expect(thread.resolved).toBeNull();
    expect(thread.reopened?.byName).toBe("Sam Secretary");
    const history = await db.sql<{ kind: string }[]>`select kind from comment_events where thread_id = ${id} order by id`;
    expect(history.map((r) => r.kind)).toEqual(["resolved", "reopened"]);
  });

  it("the chair pins one thread per clause: pinning another unpins the first; unpin", async ({ db }) => {
    const a = await create("delegate", { clauseId: clauses.pp1, body: "Pin A" });
    const b = await create("delegate", { clauseId: clauses.pp1, body: "Pin B" });
    expect((await post.chair({ intent: "pin", threadId: a })).status).toBe(200);
    let threads = await threadsFor({ db }, "delegate");
    expect(threads[0].id).toBe(a); // pinned first
    expect(threads.find((t) => t.id === a)!.pinned).not.toBeNull();
    expect((await post.chair({ intent: "pin", threadId: b })).status).toBe(200);
    threads = await threadsFor({ db }, "delegate");
    expect(threads.filter((t) => t.clauseId === clauses.pp1 && t.pinned).map((t) => t.id)).toEqual([b]);
    expect((await post.chair({ intent: "unpin", threadId: b })).status).toBe(200);
    threads = await threadsFor({ db }, "delegate");
    expect(threads.filter((t) => t.pinned)).toEqual([]);
  });

  it("only the chair pins: a delegate and the secretariat get 403", async ({ db }) => {
    const id = await create("delegate", { clauseId: clauses.pp1, body: "Pin me" });
    expect((await post.delegate({ intent: "pin", threadId: id })).status).toBe(403);
    expect((await post.secretariat({ intent: "pin", threadId: id })).status).toBe(403);
    expect((await threadsFor({ db }, "chair")).find((t) => t.id === id)!.pinned).toBeNull();
  });
});

describe("refusals", () => {
  it("an observer cannot comment, reply or resolve (403)", async ({ db }) => {
    const id = await create("delegate", { clauseId: clauses.pp1, body: "Observed" });
    expect((await post.observer({ intent: "create", clauseId: clauses.pp1, body: "Me too" })).status).toBe(403);
    expect((await post.observer({ intent: "reply", threadId: id, body: "Me too" })).status).toBe(403);
    expect((await post.observer({ intent: "resolve", threadId: id })).status).toBe(403);
    expect((await threadsFor({ db }, "chair")).find((t) => t.id === id)!.replies).toEqual([]);
  });

  it("someone from another conference gets 404", async ({ server }) => {
    const outsider = commentsPoster(server.url, documentId, people.outsider.cookie);
    expect((await outsider({ intent: "create", clauseId: clauses.pp1, body: "Hi" })).status).toBe(404);
  });

  it("forged ids get 404: unknown, not a uuid, a reply's id, another statement's thread", async ({ db, server }) => {
    const id = await create("delegate", { clauseId: clauses.pp1, body: "Real" });
    await post.chair({ intent: "reply", threadId: id, body: "A reply" });
    const replyId = (await threadsFor({ db }, "chair")).find((t) => t.id === id)!.replies[0].id;
    const elsewhere = commentsPoster(server.url, other.documentId, other.cookie);
    const otherDoc = await storedDoc(db.sql, other.documentId);
    const res = await elsewhere({
      intent: "create",
      clauseId: anchorOnWord(otherDoc, 0, "participants").clauseId,
      body: "Other statement",
    });
    otherDoc.destroy();
    const otherThread = res.data!.threadId!;
    for (const threadId of [randomUUID(), "1 or 1=1", replyId, otherThread]) {
      for (const intent of ["reply", "resolve", "reopen", "pin", "unpin", "read"]) {
        expect((await post.chair({ intent, threadId, body: "x" })).status, `${intent} ${threadId}`).toBe(404);
      }
    }
    expect(
      (await commentsPoster(server.url, randomUUID(), people.chair.cookie)({ intent: "create", clauseId: clauses.pp1, body: "x" })).status,
    ).toBe(404);
  });
});
