import { describe, expect, it, type FileFixtures } from "../support/fixtures";
import { waitFor } from "../support/wait";
import { openEventStream } from "../support/event-stream";
import { createSignedInPerson, createStatement, type SignedInPerson } from "../support/factories";
import { csrfTokenFor, getPage, pageText } from "../support/http";
import { entriesOf, lastSeq } from "../support/audit";
import { currentStatement } from "../../server/negotiation/numbering";
import { currentClauseStates } from "../../server/queries/clause-states";
import { clauseReadingOutcomes, listReadings } from "../../server/queries/readings";
import type { ReadingView } from "../../app/statement/readings";

/**
 * Readings through the real server: only the chair starts, moves, marks and ends one; every page
 * that sees the statement is sent the pointer in the event (no patch, no reload); outcomes that
 * are clause states set them; everything recorded and audited.
 */
let doc: Awaited<ReturnType<typeof createStatement>>;
let clauses: { id: string; label: string }[];
let delegate: SignedInPerson;
let observer: SignedInPerson;
const csrf = new Map<string, string>();

interface ReadingAnswer {
  ok: boolean;
  reading?: ReadingView | null;
  errors?: Record<string, string[]>;
  message?: string;
}

it.beforeAll(async ({ db }) => {
  doc = await createStatement(db.sql);
  clauses = (await currentStatement(db.sql, doc.documentId)).clauses.map((c) => ({ id: c.id!, label: c.label }));
  delegate = await createSignedInPerson(db.sql, { conferenceId: doc.conferenceId, role: "delegate" });
  observer = await createSignedInPerson(db.sql, { conferenceId: doc.conferenceId, role: "observer" });
});

/** Posts to the reading route as the person with this cookie, with their session's anti-forgery token. */
async function post({ server }: Pick<FileFixtures, "server">, cookie: string, fields: Record<string, string>) {
  let token = csrf.get(cookie);
  if (!token) csrf.set(cookie, (token = await csrfTokenFor(server.url, cookie, `/documents/${doc.documentId}`)));
  const res = await fetch(`${server.url}/documents/${doc.documentId}/reading`, {
    method: "POST",
    headers: { cookie },
    body: new URLSearchParams({ csrf: token, ...fields }),
  });
  const text = await res.text();
  // A refusal of the route itself (403) is its message as text; the reading's own answers are JSON.
  const body = res.headers.get("content-type")?.startsWith("application/json")
    ? (JSON.parse(text) as ReadingAnswer)
    : { ok: false, message: text };
  return { status: res.status, body };
}

const running = async ({ db }: Pick<FileFixtures, "db">) => (await listReadings(db.sql, doc.documentId)).filter((r) => r.endedAt === null);

describe("a reading, run by the chair", () => {
  it("refuses delegates and observers anything, before a reading and during one", async ({ db, server }) => {
    for (const person of [delegate, observer]) {
      const res = await post({ server }, person.cookie, { intent: "start", number: "1" });
      expect(res.status).toBe(403);
      expect(res.body.message).toContain("Your role in this conference does not allow this.");
    }
    expect(await running({ db })).toEqual([]);
    const started = await post({ server }, doc.cookie, { intent: "start", number: "1" });
    expect(started.status).toBe(200);
    for (const person of [delegate, observer]) {
      for (const fields of <Record<string, string>[]>[
        { intent: "move", to: "next" },
        { intent: "mark", clauseId: clauses[0].id, outcome: "to_return" },
        { intent: "end" },
      ]) {
        expect((await post({ server }, person.cookie, fields)).status).toBe(403);
      }
    }
    const [reading] = await running({ db });
    expect(reading.currentClauseId).toBe(clauses[0].id);
    expect(await clauseReadingOutcomes(db.sql, doc.documentId, clauses[0].id)).toEqual([]);
    expect((await post({ server }, doc.cookie, { intent: "end" })).status).toBe(200);
  });

  it("starts one reading when the chair's starts cross: the others are told one is running, with nothing changed", async ({
    db,
    server,
  }) => {
    await post({ server }, doc.cookie, { intent: "start", number: "1" }).then((r) => expect(r.status).toBe(200));
    expect((await post({ server }, doc.cookie, { intent: "end" })).status).toBe(200);
    const before = await lastSeq(db.sql, doc.conferenceId);
    // Eight at once, so that some pass the check for a running reading together and meet at the unique index.
    const answers = await Promise.all(Array.from({ length: 8 }, () => post({ server }, doc.cookie, { intent: "start", number: "2" })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409, 409, 409, 409, 409, 409]);
    for (const a of answers.filter((a) => a.status === 409))
      expect(a.body.errors?.form).toEqual(["A reading is already running; end it before starting another."]);
    expect(await running({ db })).toHaveLength(1);
    expect(await entriesOf(db.sql, doc.conferenceId, "reading.started", before)).toHaveLength(1);
    expect((await post({ server }, doc.cookie, { intent: "end" })).status).toBe(200);
  });

  it("sends the pointer to every page that sees the statement, moves, marks, ends, and keeps the record", async ({ db, server }) => {
    const seqBefore = await lastSeq(db.sql, doc.conferenceId);
    const streams = {
      chair: await openEventStream(server.url, doc.documentId, doc.cookie),
      delegate: await openEventStream(server.url, doc.documentId, delegate.cookie),
      // An observer of a conference in standard confidentiality sees the text, and readings of it.
      observer: await openEventStream(server.url, doc.documentId, observer.cookie),
    };
    const readingEvents = (s: (typeof streams)["chair"]) =>
      s.events.filter((e) => e.topic === "readings") as unknown as { reading: ReadingView | null; patch?: unknown }[];
    const lastPointer = (s: (typeof streams)["chair"]) => readingEvents(s).at(-1)?.reading?.current;

    const started = await post({ server }, doc.cookie, { intent: "start", number: "2" });
    expect(started.status).toBe(200);
    expect(started.body.reading?.number).toBe(2);
    expect(started.body.reading?.clauseIds).toEqual(clauses.map((c) => c.id));
    for (const s of Object.values(streams)) await waitFor(() => lastPointer(s) === clauses[0].id, { what: "the reading's start" });
    // A second reading while one runs is refused.
    expect((await post({ server }, doc.cookie, { intent: "start", number: "1" })).status).toBe(409);
    expect((await post({ server }, doc.cookie, { intent: "move", to: "previous" })).body.errors?.form).toEqual([
      "This is the reading's first paragraph.",
    ]);

    await post({ server }, doc.cookie, { intent: "move", to: "next" });
    for (const s of Object.values(streams)) await waitFor(() => lastPointer(s) === clauses[1].id, { what: "the pointer on the second" });
    // The pointer comes whole in the event: no patch, nothing for the page to reload.
    expect(readingEvents(streams.delegate).every((e) => e.patch === undefined)).toBe(true);

    const jumped = await post({ server }, doc.cookie, { intent: "move", to: "clause", clauseId: clauses[3].id });
    expect(jumped.body.reading?.current).toBe(clauses[3].id);
    for (const s of Object.values(streams)) await waitFor(() => lastPointer(s) === clauses[3].id, { what: "the jump" });
    const outside = await post({ server }, doc.cookie, { intent: "move", to: "clause", clauseId: "c-not-in-the-text" });
    expect(outside.status).toBe(400);
    expect(outside.body.errors?.clauseId).toEqual(["That paragraph is not part of this reading."]);

    // One keystroke each: agreed ad ref and bracketed are clause states; "to return to" is the reading's own.
    await post({ server }, doc.cookie, { intent: "mark", clauseId: clauses[3].id, outcome: "agreed_ad_ref" });
    await post({ server }, doc.cookie, { intent: "mark", clauseId: clauses[1].id, outcome: "bracketed" });
    const marked = await post({ server }, doc.cookie, { intent: "mark", clauseId: clauses[0].id, outcome: "to_return" });
    expect(marked.body.reading?.outcomes).toEqual({
      [clauses[3].id]: "agreed_ad_ref",
      [clauses[1].id]: "bracketed",
      [clauses[0].id]: "to_return",
    });
    const states = await currentClauseStates(db.sql, doc.documentId);
    expect(states.get(clauses[3].id)).toBe("agreed_ad_ref");
    expect(states.get(clauses[1].id)).toBe("under_negotiation");
    expect(states.get(clauses[0].id)).toBeUndefined();
    await waitFor(() => Object.keys(readingEvents(streams.observer).at(-1)?.reading?.outcomes ?? {}).length === 3, {
      what: "the outcomes on the observer's stream",
    });

    expect((await post({ server }, doc.cookie, { intent: "end" })).status).toBe(200);
    for (const s of Object.values(streams)) await waitFor(() => readingEvents(s).at(-1)?.reading === null, { what: "the end" });
    expect((await post({ server }, doc.cookie, { intent: "move", to: "next" })).status).toBe(409);

    // The record: who started and ended it, each paragraph's outcome and when.
    const [record] = await listReadings(db.sql, doc.documentId);
    expect(record.number).toBe(2);
    expect(record.endedAt).toBeInstanceOf(Date);
    const story = await clauseReadingOutcomes(db.sql, doc.documentId, clauses[3].id);
    expect(story.map((o) => [o.readingNumber, o.outcome, o.markedBy])).toEqual([[2, "agreed_ad_ref", doc.chairId]]);
    const page = await getPage(server.url, `/documents/${doc.documentId}/readings`, delegate.cookie);
    expect(page.status).toBe(200);
    const text = pageText(page.html);
    expect(text).toContain(`${clauses[3].label} Agreed ad ref`);
    expect(text).toContain(`${clauses[0].label} To return to`);
    expect(text).toContain("3 of");
    // The paragraph's story tells the mark, to everyone who sees the text.
    const told = await getPage(server.url, `/documents/${doc.documentId}/clauses/${clauses[3].id}/story`, delegate.cookie);
    expect(pageText(told.html)).toContain("marked it Agreed ad ref in the second reading.");

    // Audited: the start, each mark (and the clause states it set), the end; the pointer's moves are not decisions.
    expect((await entriesOf(db.sql, doc.conferenceId, "reading.started", seqBefore)).map((e) => e.subject.reading)).toEqual([
      "Second reading",
    ]);
    expect(
      (await entriesOf(db.sql, doc.conferenceId, "reading.marked", seqBefore)).map((e) => [e.subject.clause, e.subject.outcome]),
    ).toEqual([
      [clauses[3].label, "agreed_ad_ref"],
      [clauses[1].label, "bracketed"],
      [clauses[0].label, "to_return"],
    ]);
    expect((await entriesOf(db.sql, doc.conferenceId, "clause_state.set", seqBefore)).map((e) => e.subject.state)).toEqual([
      "agreed_ad_ref",
      "under_negotiation",
    ]);
    expect((await entriesOf(db.sql, doc.conferenceId, "reading.ended", seqBefore)).map((e) => e.subject.marked)).toEqual([3]);
    for (const s of Object.values(streams)) s.close();
  });

  it("reaches nobody who may not see the statement: closed session refuses an observer's stream, another conference's member gets 404", async ({
    db,
    server,
  }) => {
    const other = await createStatement(db.sql);
    const res = await fetch(`${server.url}/documents/${doc.documentId}/events`, { headers: { cookie: other.cookie } });
    expect(res.status).toBe(404);
    await res.body?.cancel();
    const closed = await createStatement(db.sql);
    await db.sql`update conferences set confidentiality = 'closed' where id = ${closed.conferenceId}`;
    const closedObserver = await createSignedInPerson(db.sql, { conferenceId: closed.conferenceId, role: "observer" });
    const refused = await fetch(`${server.url}/documents/${closed.documentId}/events`, { headers: { cookie: closedObserver.cookie } });
    expect(refused.status).toBe(403);
    await refused.body?.cancel();
  });
});
