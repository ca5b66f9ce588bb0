import { describe, expect, it } from "../support/fixtures";
import { compromiseContent, createProposalFixture, rewriteDraft, type Person, type ProposalFixture } from "../support/proposals";
import { connectSyncedClient } from "../support/clients";
import { commentsPoster } from "../support/comments";
import { deadlineFields } from "../support/negotiation";
import { waitFor } from "../support/wait";
import { openNotificationStream, storedNotices } from "../support/notifications";
import { openEventStream, type LiveEvent } from "../support/event-stream";
import { setConfidentiality } from "../../server/queries/conferences";
import { notificationKinds, type NotificationMessage } from "../../app/statement/notifications";

/**
 * Each kind of notice, triggered by the real action through the real server, reaches the people it
 * concerns who may see it, and nobody else: never the actor, nor an observer who sees the text
 * alone, nor anyone of another conference. Norway (Alice, Anna) and Brazil (Bruno) negotiate; the
 * conference is open (its observer sees the negotiation) until the silence procedure's tests.
 */
let f: ProposalFixture;
let clauses: Record<string, string>;
let everyone: Record<"chair" | "alice" | "anna" | "bruno" | "observer" | "secretariat" | "outsider", Person>;

it.beforeAll(async ({ db, server }) => {
  f = await createProposalFixture({ db, server });
  clauses = await f.clauseIds();
  everyone = f.people;
});

/** How many notices of each person, of a kind, as stored. */
async function counts(kind: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [name, p] of Object.entries(everyone)) out[name] = (await storedNotices(f.db.sql, p.userId, kind)).length;
  return out;
}

const comment = (p: Person) => commentsPoster(f.server.url, f.documentId, p.cookie);
const page = (id: string) => `/documents/${f.documentId}/proposals/${id}`;
const nobody = { chair: 0, alice: 0, anna: 0, bruno: 0, observer: 0, secretariat: 0, outsider: 0 };

/** The notifications page's unread count, as the signed-in person reads it. */
async function unreadOnPage(p: Person): Promise<string> {
  const html = await (await fetch(`${f.server.url}/notifications`, { headers: { cookie: p.cookie } })).text();
  return /<p>(Nothing unread\.|\d+ unread\.)<\/p>/.exec(html)![1];
}

describe("mentions", () => {
  it("tell the mentioned delegation's members, by code or name in any case, and nobody else", async () => {
    const answer = await comment(everyone.alice)({
      intent: "create",
      clauseId: clauses.OP1,
      body: "@bra could you look at this? cc @Nobody",
    });
    expect(answer.status).toBe(200);
    expect(await counts("mention")).toEqual({ ...nobody, bruno: 1 });
    const [notice] = await storedNotices(f.db.sql, everyone.bruno.userId, "mention");
    expect(notice.payload).toMatchObject({
      authorName: "Alice Berg",
      affiliation: "Norway",
      delegationName: "Brazil",
      excerpt: "@bra could you look at this? cc @Nobody",
      path: `/documents/${f.documentId}#clause-${clauses.OP1}`,
    });

    expect((await comment(everyone.bruno)({ intent: "create", clauseId: clauses.OP2, body: "We agree with @Norway." })).status).toBe(200);
    expect(await counts("mention")).toEqual({ ...nobody, bruno: 1, alice: 1, anna: 1 });
  });

  it("need the whole code or name: a longer word is no mention, and the author's own delegation is not told of itself by its author", async () => {
    expect((await comment(everyone.alice)({ intent: "create", clauseId: clauses.OP3, body: "@Brazilian and @NORway" })).status).toBe(200);
    // "@Brazilian" is not Brazil; "@NORway" mentions Norway, whose other member is told, not the author.
    expect(await counts("mention")).toEqual({ ...nobody, bruno: 1, alice: 1, anna: 2 });
  });
});

describe("replies", () => {
  it("tell everyone who wrote in the thread but the one replying; mentioned participants are told once", async () => {
    const started = await comment(everyone.alice)({ intent: "create", clauseId: clauses.PP1, body: "A question on the preamble." });
    const threadId = started.data!.threadId!;
    expect((await comment(everyone.bruno)({ intent: "reply", threadId, body: "An answer." })).status).toBe(200);
    expect(await counts("thread_reply")).toEqual({ ...nobody, alice: 1 });
    expect((await comment(everyone.secretariat)({ intent: "reply", threadId, body: "Noted, @BRA." })).status).toBe(200);
    expect(await counts("thread_reply")).toEqual({ ...nobody, alice: 2 });
    // Bruno took part, and his delegation is mentioned: the mention says it.
    expect(await counts("mention")).toEqual({ ...nobody, bruno: 2, alice: 1, anna: 2 });
    const [reply] = (await storedNotices(f.db.sql, everyone.alice.userId, "thread_reply")).slice(-1);
    expect(reply.payload.authorName).toMatch(/^secretariat /);
    expect(reply.payload).toMatchObject({
      affiliation: "Secretariat",
      excerpt: "Noted, @BRA.",
    });
  });
});

describe("decisions", () => {
  let rejected: string;

  /** A replacement of OP1 proposed by a delegate, its draft rewritten through the collaboration server, and submitted. */
  async function submittedReplacement(who: Person, text: string): Promise<string> {
    const id = await f.propose(who, { kind: "replace", clauseId: clauses.OP1 });
    const [{ textDocumentId }] = await f.db.sql<{ textDocumentId: string }[]>`
      select text_document_id as "textDocumentId" from proposals where id = ${id}`;
    const draft = await connectSyncedClient(f.server.wsUrl, textDocumentId, { cookie: who.cookie });
    rewriteDraft(draft.doc, text);
    await waitFor(() => draft.isSaved(), { what: "the draft to be saved" });
    draft.destroy();
    expect((await f.post(who, page(id), { intent: "submit" })).status).toBe(200);
    return id;
  }

  it("tell the sponsoring and co-sponsoring delegations, with a link to the proposal", async () => {
    const id = (rejected = await f.propose(everyone.alice, { kind: "retain", clauseId: clauses.OP3 }));
    expect((await f.post(everyone.alice, page(id), { intent: "submit" })).status).toBe(200);
    expect((await f.post(everyone.bruno, page(id), { intent: "cosponsor", reason: "" })).status).toBe(200);
    expect((await f.post(everyone.chair, page(id), { intent: "reject", reason: "Not now." })).status).toBe(200);
    expect(await counts("proposal_decided")).toEqual({ ...nobody, alice: 1, anna: 1, bruno: 1 });
    const [notice] = await storedNotices(f.db.sql, everyone.anna.userId, "proposal_decided");
    expect(notice.payload).toMatchObject({
      decision: "rejected",
      reason: "Not now.",
      path: page(id),
    });
    expect(notice.payload.proposal).toMatch(/^P\d+$/);
  });

  it("a merge tells each merged proposal's sponsors, with the chair's reason", async () => {
    const one = await submittedReplacement(everyone.alice, "Reaffirm that demining comes first;");
    const two = await submittedReplacement(everyone.bruno, "Reaffirm that demining is the first step;");
    const merged = await f.post(everyone.chair, page(one), {
      intent: "merge",
      merge: [one, two],
      content: compromiseContent("Reaffirm, together, that demining comes first;"),
      reason: "Both, as one.",
    });
    expect(merged.status).toBe(200);
    expect(await counts("proposal_decided")).toEqual({ ...nobody, alice: 2, anna: 2, bruno: 2 });
    const [toBruno] = (await storedNotices(f.db.sql, everyone.bruno.userId, "proposal_decided")).slice(-1);
    expect(toBruno.payload).toMatchObject({ decision: "merged", reason: "Both, as one.", path: page(two) });
    // The chair's own compromise has no sponsors to tell (and deciding it leaves no business open for the silence procedure below).
    const [compromise] = await f.db.sql<{ id: string }[]>`
      select id from proposals where document_id = ${f.documentId} and delegation_id is null and status = 'submitted'`;
    expect((await f.post(everyone.chair, page(compromise.id), { intent: "reject", reason: "" })).status).toBe(200);
    expect(await counts("proposal_decided")).toEqual({ ...nobody, alice: 2, anna: 2, bruno: 2 });
  });

  it("a refused decision notifies nobody", async () => {
    // Decided already: a second decision is refused.
    expect((await f.post(everyone.chair, page(rejected), { intent: "accept", reason: "" })).status).toBe(409);
    expect(await counts("proposal_decided")).toEqual({ ...nobody, alice: 2, anna: 2, bruno: 2 });
  });
});

describe("each person's stream", () => {
  it("refuses anyone not signed in", async () => {
    expect((await fetch(`${f.server.url}/notifications/events`)).status).toBe(401);
  });

  it("carries the person's own unread count and newest notice, live, and nobody else's", async () => {
    const alice = await openNotificationStream(f.server.url, everyone.alice.cookie);
    const bruno = await openNotificationStream(f.server.url, everyone.bruno.cookie);
    const aliceUnread = (await storedNotices(f.db.sql, everyone.alice.userId)).length;
    await waitFor(() => alice.messages.length === 1 && bruno.messages.length === 1, { what: "each stream's first message" });
    expect(alice.messages[0].unread).toBe(aliceUnread);
    const brunoFirst = bruno.messages[0];

    const started = await comment(everyone.bruno)({ intent: "create", clauseId: clauses.OP2, body: "For Norway only: @NOR" });
    expect(started.status).toBe(200);
    await waitFor(() => alice.messages.length === 2, { what: "Alice's stream to hear of the mention" });
    expect(alice.messages[1].unread).toBe(aliceUnread + 1);
    expect(alice.messages[1].latest).toMatchObject({ kind: "mention", read: false });
    expect(alice.messages[1].latest!.text).toContain("mentioned Norway");
    // Bruno, the author, is not told; his stream says nothing more (his next message would be another notice of his).
    expect((await comment(everyone.anna)({ intent: "create", clauseId: clauses.OP2, body: "Back to @Brazil" })).status).toBe(200);
    await waitFor(() => bruno.messages.length === 2, { what: "Bruno's stream to hear of his own mention" });
    expect(bruno.messages[1].unread).toBe(brunoFirst.unread + 1);
    expect(bruno.messages[1].latest?.text).toContain("mentioned Brazil");
    const brunoIds = new Set((await storedNotices(f.db.sql, everyone.bruno.userId)).map((n) => n.id));
    for (const m of bruno.messages) expect(brunoIds.has(m.latest!.id)).toBe(true);
    alice.close();
    bruno.close();
  });
});

describe("a statement page's stream", () => {
  it("carries the person's notices when the page asks (one stream per page, not two), and nobody else's", async () => {
    type Carried = LiveEvent & { notifications?: NotificationMessage };
    const open = (p: Person, query: string) => openEventStream(f.server.url, f.documentId, p.cookie, query);
    // The earlier tests' streams, closed by their readers, gone from the server too.
    await waitFor(() => f.server.concord.notifications.count() === 0, { what: "the earlier notification streams to close" });
    const alice = await open(everyone.alice, "?notifications=1");
    const bruno = await open(everyone.bruno, "?notifications=1");
    const plain = await open(everyone.anna, "");
    const carried = (s: { events: Carried[] }) => s.events.filter((e) => e.topic === "notifications").map((e) => e.notifications!);
    await waitFor(() => carried(alice).length === 1 && carried(bruno).length === 1, { what: "each page's notices as they stand" });
    const aliceUnread = (await storedNotices(f.db.sql, everyone.alice.userId)).filter((n) => !n.read).length;
    expect(carried(alice)[0].unread).toBe(aliceUnread);
    // Riding on the statement's stream, they are no stream of their own.
    expect(f.server.concord.notifications.count()).toBe(0);

    expect((await comment(everyone.bruno)({ intent: "create", clauseId: clauses.OP3, body: "Over to @NOR" })).status).toBe(200);
    await waitFor(() => carried(alice).length === 2, { what: "Alice's page to hear of the mention" });
    expect(carried(alice)[1]).toMatchObject({ unread: aliceUnread + 1, latest: { kind: "mention", read: false } });
    // Bruno's page hears the comment, not Alice's notice; Anna's page asked for no notices.
    await waitFor(() => bruno.events.some((e) => e.topic === "comments") && plain.events.some((e) => e.topic === "comments"));
    expect(carried(bruno)).toHaveLength(1);
    expect(carried(plain)).toEqual([]);
    for (const s of [alice, bruno, plain]) s.close();
  });
});

describe("reading", () => {
  it("counts unread notices, marks one and then all read, and never another person's", async () => {
    const notices = await storedNotices(f.db.sql, everyone.anna.userId);
    expect(await unreadOnPage(everyone.anna)).toBe(`${notices.length} unread.`);
    const stream = await openNotificationStream(f.server.url, everyone.anna.cookie);
    await waitFor(() => stream.messages.length === 1, { what: "the first message" });

    expect((await f.post(everyone.anna, "/notifications", { intent: "read", id: notices[0].id })).status).toBe(200);
    expect(await unreadOnPage(everyone.anna)).toBe(`${notices.length - 1} unread.`);
    // Her other pages hear of it, so every bell shows the same.
    await waitFor(() => stream.messages.at(-1)?.unread === notices.length - 1, { what: "the stream to say one was read" });

    // Bruno cannot mark Anna's: it does not exist for him.
    expect((await f.post(everyone.bruno, "/notifications", { intent: "read", id: notices[1].id })).status).toBe(404);
    expect((await storedNotices(f.db.sql, everyone.anna.userId))[1].read).toBe(false);
    expect((await f.post(everyone.anna, "/notifications", { intent: "read", id: "x" })).status).toBe(400);

    expect((await f.post(everyone.anna, "/notifications", { intent: "readAll" })).status).toBe(200);
    expect(await unreadOnPage(everyone.anna)).toBe("Nothing unread.");
    expect((await storedNotices(f.db.sql, everyone.anna.userId)).every((n) => n.read)).toBe(true);
    stream.close();
  });

  it("lists them newest first, linked to where they happened", async () => {
    const html = await (await fetch(`${f.server.url}/notifications`, { headers: { cookie: everyone.anna.cookie } })).text();
    const links = [...html.matchAll(/<a [^>]*class="notification-text"[^>]*>/g)].map((m) => /href="([^"]+)"/.exec(m[0])![1]);
    const stored = (await storedNotices(f.db.sql, everyone.anna.userId)).reverse();
    expect(links).toEqual(stored.map((n) => n.payload.path));
  });
});

describe("preferences", () => {
  it("a kind turned off is not received; the others still are", async () => {
    const allBut = notificationKinds.filter((k) => k !== "mention");
    expect((await f.post(everyone.alice, "/notifications", { intent: "preferences", kinds: [...allBut] })).status).toBe(200);
    const before = await counts("mention");
    expect((await comment(everyone.bruno)({ intent: "create", clauseId: clauses.OP1, body: "@Norway again" })).status).toBe(200);
    expect(await counts("mention")).toEqual({ ...before, anna: before.anna + 1 });
    const html = await (await fetch(`${f.server.url}/notifications`, { headers: { cookie: everyone.alice.cookie } })).text();
    const box = (kind: string) => new RegExp(`<input [^>]*value="${kind}"[^>]*>`).exec(html)![0];
    expect(box("mention")).not.toContain("checked");
    expect(box("thread_reply")).toContain("checked");
  });

  it("refuses a kind that does not exist", async () => {
    expect((await f.post(everyone.alice, "/notifications", { intent: "preferences", kinds: ["everything"] })).status).toBe(400);
  });
});

describe("the silence procedure", () => {
  const silence = `/silence`;

  it("opened: everyone who sees the negotiation is told, the chair who opened it is not", async () => {
    const res = await f.post(everyone.chair, `/documents/${f.documentId}${silence}`, {
      intent: "open",
      ...deadlineFields(new Date(Date.now() + 3 * 24 * 3_600_000), "Europe/Oslo"),
    });
    expect(res.status).toBe(200);
    expect(await counts("silence_opened")).toEqual({ ...nobody, alice: 1, anna: 1, bruno: 1, observer: 1, secretariat: 1 });
    const [notice] = await storedNotices(f.db.sql, everyone.observer.userId, "silence_opened");
    expect(notice.payload).toMatchObject({ timeZone: "Europe/Oslo", path: `/documents/${f.documentId}` });
  });

  it("broken, in standard confidentiality: the observer, who sees the text alone, is not told, nor the delegation breaking it", async () => {
    await setConfidentiality(f.db.sql, f.conferenceId, "standard");
    const res = await f.post(everyone.bruno, `/documents/${f.documentId}${silence}`, { intent: "object", objection: "We object to OP2." });
    expect(res.status).toBe(200);
    expect(await counts("silence_broken")).toEqual({ ...nobody, alice: 1, anna: 1, chair: 1, secretariat: 1 });
    // Nor does the observer read what they were told while the conference was open.
    const html = await (await fetch(`${f.server.url}/notifications`, { headers: { cookie: everyone.observer.cookie } })).text();
    expect(html).toContain("Nothing unread.");
    expect(html).not.toContain("opened a silence procedure");
  });
});

describe("a failure to notify", () => {
  it("leaves the action done: the comment is stored, without its notices", async ({ db }) => {
    // A real fault in PostgreSQL: writing any notice fails.
    await db.sql`create function refuse_notice() returns trigger language plpgsql as $$ begin raise exception 'notices are failing'; end $$`;
    await db.sql`create trigger refuse_notice before insert on notifications for each row execute function refuse_notice()`;
    try {
      const before = await counts("mention");
      const answer = await comment(everyone.bruno)({ intent: "create", clauseId: clauses.OP3, body: "Still stored, @Norway." });
      expect(answer.status).toBe(200);
      const [stored] = await db.sql<{ body: string }[]>`select body from comments where id = ${answer.data!.threadId!}`;
      expect(stored.body).toBe("Still stored, @Norway.");
      expect(await counts("mention")).toEqual(before);
    } finally {
      await db.sql`drop trigger refuse_notice on notifications`;
      await db.sql`drop function refuse_notice()`;
    }
  });
});
