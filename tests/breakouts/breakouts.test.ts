import * as Y from "yjs";
import { storedNotices } from "../support/notifications";
import { describe, expect, it } from "../support/fixtures";
import { createNegotiation, participant, type NegotiationFixture, type Participant } from "../support/negotiation";
import { createClauseState, createProposal, createSignedInPerson, createStatement } from "../support/factories";
import { connectClient, connectSyncedClient, waitFor } from "../support/clients";
import { upgradeStatus } from "../support/raw-socket";
import { openEventStream } from "../support/event-stream";
import { auditEntries, entriesOf } from "../support/audit";
import { csrfTokenFor, pageText } from "../support/http";
import { readStatement } from "../../server/negotiation/numbering";
import { draftOf } from "../../server/negotiation/statement";
import { clauseBreakoutRecords, findPackage, listBreakouts, type BreakoutRow } from "../../server/queries/breakouts";
import { findProposal, listBreakoutProposals, listProposals } from "../../server/queries/proposals";
import { loadUpdates } from "../../server/queries/document-state";
import { negotiationMarks } from "../../server/negotiation/marks";
import { compileStatement } from "../../server/negotiation/compilation";
import { rollingTextFor } from "../../server/negotiation/rolling-text";
import { clauseText } from "../../server/export/model";
import { createRevision } from "../../server/versions/capture";
import { clauseBreakoutStory } from "../../server/breakouts/breakout-views";
import { findDelegation } from "../../server/queries/delegations";
import { resolveAccess } from "../../server/auth/permissions";
import { findConference, setConfidentiality } from "../../server/queries/conferences";
import { findUser } from "../../server/queries/users";
import { proposalField } from "../../app/statement/proposal-schema";
import { loadCommentThreads } from "../../server/negotiation/comments";
import { publishNegotiationEvent } from "../../server/negotiation/events";
import type { Sql } from "../../server/db/sql";

let n: NegotiationFixture;
let serverUrl: string;
let wsUrl: string;
/** A delegate whose delegation takes part in no breakout. */
let delegateC: Participant;
const codes = { A: "", B: "" };

it.beforeAll(async ({ db, server }) => {
  n = await createNegotiation(db.sql, server.url);
  serverUrl = server.url;
  wsUrl = server.wsUrl;
  delegateC = await participant(serverUrl, await createSignedInPerson(db.sql, { conferenceId: n.conferenceId, role: "delegate" }));
  codes.A = (await findDelegation(db.sql, n.conferenceId, n.delegateA.delegationId!))!.code;
  codes.B = (await findDelegation(db.sql, n.conferenceId, n.delegateB.delegationId!))!.code;
});

const listPath = () => `/documents/${n.documentId}/breakouts`;
const pagePath = (b: { id: string }) => `/documents/${n.documentId}/breakouts/${b.id}`;
const clause = (label: string) => n.clauses.find((c) => c.label === label)!;

/** Posts a form with repeated fields (clauses, delegations), with the person's anti-forgery token. */
async function postFields(who: Participant, path: string, fields: [string, string][]): Promise<Response> {
  const body = new URLSearchParams([["csrf", await csrfTokenFor(serverUrl, who.cookie)], ...fields]);
  return fetch(`${serverUrl}${path}`, { method: "POST", headers: { cookie: who.cookie }, body, redirect: "manual" });
}

interface SetUp {
  clauses: string[];
  facilitator: string;
  delegations: string[];
  confidential?: boolean;
}
const setUp = (who: Participant, s: SetUp) =>
  postFields(who, listPath(), [
    ["facilitator", s.facilitator],
    ...s.clauses.map((c): [string, string] => ["clauses", c]),
    ...s.delegations.map((d): [string, string] => ["delegations", d]),
    ...(s.confidential ? ([["confidential", "on"]] as [string, string][]) : []),
  ]);

const breakouts = (sql: Sql) => listBreakouts(sql, n.documentId);
/** Writes at the start of a breakout clause's text, as a participant's editor does. */
const write = (doc: Y.Doc, text: string) =>
  doc.transact(() => {
    const paragraph = doc.getXmlFragment(proposalField).get(0) as Y.XmlElement;
    const run = paragraph.get(0) as Y.XmlText | undefined;
    if (run) run.insert(0, text);
    else paragraph.insert(0, [new Y.XmlText(text)]);
  });
/** A breakout clause's plain text as a client holds it, read as the server reads a draft. */
const textOf = (doc: Y.Doc) => draftOf([Y.encodeStateAsUpdate(doc)]).text;
async function statementTexts(sql: Sql): Promise<{ id: string; label: string; text: string }[]> {
  const { ydoc, clauses } = await readStatement(sql, n.documentId);
  ydoc.destroy();
  return clauses.map((c) => ({ id: c.id!, label: c.label, text: c.text }));
}
async function storyFor(sql: Sql, who: Participant, clauseId: string) {
  const access = (await resolveAccess(sql, (await findUser(sql, who.userId))!, n.conferenceId))!;
  return clauseBreakoutStory(sql, n.documentId, clauseId, access, (await findConference(sql, n.conferenceId))!);
}

let closed: BreakoutRow;

describe("facilitated breakouts", () => {
  it("only the chair sets one up, on clauses of the statement, with a facilitator of a delegation or the secretariat; refusals change nothing", async ({
    db,
  }) => {
    const valid: SetUp = {
      clauses: [clause("OP2").id, clause("OP3").id],
      facilitator: n.delegateA.userId,
      delegations: [n.delegateA.delegationId!, n.delegateB.delegationId!],
      confidential: true,
    };
    expect((await setUp(n.delegateA, valid)).status).toBe(403);
    expect((await setUp(n.secretariat, valid)).status).toBe(403);
    expect((await setUp(n.observer, valid)).status).toBe(403);
    expect((await setUp(n.outsider, valid)).status).toBe(404);
    expect((await setUp(n.chair, { ...valid, clauses: [] })).status).toBe(400);
    expect((await setUp(n.chair, { ...valid, clauses: ["no-such-clause"] })).status).toBe(404);
    const observerFacilitator = await setUp(n.chair, { ...valid, facilitator: n.observer.userId });
    expect(observerFacilitator.status).toBe(400);
    expect(await observerFacilitator.text()).toContain("Choose as facilitator a delegate or a member of the secretariat");
    expect((await setUp(n.chair, { ...valid, facilitator: "not-a-uuid" })).status).toBe(400);
    expect((await setUp(n.chair, { ...valid, delegations: [] })).status).toBe(400);
    const other = await createStatement(db.sql);
    const foreign = await createSignedInPerson(db.sql, { conferenceId: other.conferenceId, role: "delegate" });
    expect((await setUp(n.chair, { ...valid, delegations: [foreign.delegationId!] })).status).toBe(400);
    // An agreed clause is locked: it goes to no breakout.
    await createClauseState(db.sql, { documentId: n.documentId, clauseId: clause("OP7").id, state: "agreed" });
    const agreed = await setUp(n.chair, { ...valid, clauses: [clause("OP7").id] });
    expect(agreed.status).toBe(409);
    expect(await agreed.text()).toContain("OP7 is agreed");
    expect(await breakouts(db.sql)).toEqual([]);
    expect(await entriesOf(db.sql, n.conferenceId, "breakout.created")).toEqual([]);

    // The clauses in any order: the breakout keeps the statement's.
    const created = await setUp(n.chair, { ...valid, clauses: [clause("OP3").id, clause("OP2").id] });
    expect(created.status).toBe(302);
    [closed] = await breakouts(db.sql);
    expect(created.headers.get("location")).toBe(pagePath(closed));
    expect(closed).toMatchObject({ number: 1, confidential: true, status: "active", facilitatorId: n.delegateA.userId });
    expect(closed.clauses.map((c) => c.clauseId)).toEqual([clause("OP2").id, clause("OP3").id]);
    expect([...closed.delegationIds].sort()).toEqual([n.delegateA.delegationId, n.delegateB.delegationId].sort());
    const [entry] = await entriesOf(db.sql, n.conferenceId, "breakout.created");
    expect(entry.subject).toMatchObject({
      breakout: "B1",
      clauses: ["OP2", "OP3"],
      confidential: true,
      facilitatorId: n.delegateA.userId,
      delegations: [codes.A, codes.B].sort(),
    });
    // The facilitator and the delegations taking part are invited; nobody else (not the chair who set it up, not a delegation left out).
    const invited = await db.sql<{ userId: string; payload: { path: string; breakoutTitle: string } }[]>`
      select user_id as "userId", payload from notifications where kind = 'breakout_invited' and document_id = ${n.documentId}`;
    expect(invited.map((i) => i.userId).sort()).toEqual([n.delegateA.userId, n.delegateB.userId].sort());
    expect(invited[0].payload).toMatchObject({ path: pagePath(closed), breakoutTitle: "B1 (OP2, OP3)" });
    // A clause is in one running breakout at a time.
    const twice = await setUp(n.chair, { ...valid, clauses: [clause("OP3").id, clause("OP4").id] });
    expect(twice.status).toBe(409);
    expect(await twice.text()).toContain("OP3 is already in breakout B1.");
    expect(await breakouts(db.sql)).toHaveLength(1);
  });

  it("a closed breakout is refused to non-participants over HTTP, the y-websocket client and event streams", async ({ db }) => {
    const [first] = closed.clauses;
    // Participants read it: the facilitator, the delegations taking part, the chair.
    for (const who of [n.delegateA, n.delegateB, n.chair]) {
      const res = await who.get(pagePath(closed));
      expect(res.status).toBe(200);
      expect(pageText(await res.text())).toContain(clause("OP2").text);
    }
    for (const who of [delegateC, n.secretariat, n.observer, n.outsider]) expect((await who.get(pagePath(closed))).status).toBe(404);
    // The list and the statement page say the clauses are in a closed breakout, without who facilitates it or a link.
    expect(pageText(await (await delegateC.get(listPath())).text())).toContain("No breakouts you can see.");
    const plenary = await (await delegateC.get(`/documents/${n.documentId}`)).text();
    expect(pageText(plenary)).toContain("OP2, OP3 in closed breakout B1");
    expect(plenary).not.toContain(closed.id);
    expect(plenary).not.toContain("facilitator:");
    const participantView = await (await n.delegateB.get(`/documents/${n.documentId}`)).text();
    expect(participantView).toContain(`href="${pagePath(closed)}"`);

    // The collaboration endpoint: the upgrade is refused as for a document that does not exist.
    const doc = first.textDocumentId;
    expect(await upgradeStatus(`${wsUrl}/${doc}`, { cookie: delegateC.cookie })).toBe(404);
    expect(await upgradeStatus(`${wsUrl}/${doc}`, { cookie: n.secretariat.cookie })).toBe(404);
    expect(await upgradeStatus(`${wsUrl}/${doc}`, { cookie: n.observer.cookie })).toBe(404);
    expect(await upgradeStatus(`${wsUrl}/${doc}`, {})).toBe(401);
    // The stock client: refused at every attempt, it never receives the text.
    const outsider = connectClient(wsUrl, doc, { cookie: delegateC.cookie });
    let refusals = 0;
    outsider.provider.on("connection-error", () => refusals++);
    await waitFor(() => refusals >= 2, { what: "two refused connection attempts" });
    expect(outsider.provider.synced).toBe(false);
    expect(outsider.doc.getXmlFragment(proposalField).length).toBe(0);
    outsider.destroy();

    // Event streams: none on the breakout's text; the statement's carries that breakouts changed, never their text.
    const direct = await fetch(`${serverUrl}/documents/${doc}/events`, { headers: { cookie: delegateC.cookie } });
    expect(direct.status).toBe(404);
    const stream = await openEventStream(serverUrl, n.documentId, delegateC.cookie);
    const facilitator = await connectSyncedClient(wsUrl, doc, { cookie: n.delegateA.cookie });
    write(facilitator.doc, "Confidential words ");
    await waitFor(() => facilitator.isSaved(), { what: "the facilitator's edit saved" });
    const res = await postFields(n.chair, pagePath(closed), [
      ["intent", "participants"],
      ["delegations", n.delegateA.delegationId!],
      ["delegations", n.delegateB.delegationId!],
      ["delegations", delegateC.delegationId!],
    ]);
    expect(res.status).toBe(200);
    await waitFor(() => stream.events.some((e) => e.topic === "breakouts"), { what: "the breakouts event" });
    expect(JSON.stringify(stream.events)).not.toContain("Confidential words");
    stream.close();
    facilitator.destroy();
    // Delegation C's members alone are invited to it now.
    const invitedLater = await db.sql<{ userId: string }[]>`
      select user_id as "userId" from notifications where kind = 'breakout_invited' and document_id = ${n.documentId}
        and payload->>'breakoutTitle' = 'B1'`;
    expect(invitedLater.map((i) => i.userId)).toEqual([delegateC.userId]);
    // Taking part now, delegation C reads it; taken out again, it is refused at once.
    expect((await delegateC.get(pagePath(closed))).status).toBe(200);
    const reader = await connectSyncedClient(wsUrl, doc, { cookie: delegateC.cookie });
    expect(textOf(reader.doc)).toContain("Confidential words ");
    const closedAt = new Promise<number>((resolve) =>
      reader.provider.on("connection-close", (e: { code: number } | null) => resolve(e?.code ?? 0)),
    );
    const removed = await postFields(n.chair, pagePath(closed), [
      ["intent", "participants"],
      ["delegations", n.delegateA.delegationId!],
      ["delegations", n.delegateB.delegationId!],
    ]);
    expect(removed.status).toBe(200);
    expect(await closedAt).toBeGreaterThanOrEqual(4000);
    reader.destroy();
    expect((await delegateC.get(pagePath(closed))).status).toBe(404);
    const changes = await entriesOf(db.sql, n.conferenceId, "breakout.participants_changed");
    expect(changes.map((e) => e.subject)).toEqual([
      expect.objectContaining({
        breakout: "B1",
        added: [(await findDelegation(db.sql, n.conferenceId, delegateC.delegationId!))!.code],
        removed: [],
      }),
      expect.objectContaining({
        breakout: "B1",
        added: [],
        removed: [(await findDelegation(db.sql, n.conferenceId, delegateC.delegationId!))!.code],
      }),
    ]);
  });

  it("the facilitator and a participating delegation co-edit the breakout text live; the chair reads it; others may not write", async () => {
    const second = closed.clauses[1].textDocumentId;
    const a = await connectSyncedClient(wsUrl, second, { cookie: n.delegateA.cookie });
    const b = await connectSyncedClient(wsUrl, second, { cookie: n.delegateB.cookie });
    const chair = await connectSyncedClient(wsUrl, second, { cookie: n.chair.cookie });
    await waitFor(() => a.readOnly === false && b.readOnly === false && chair.readOnly === true, { what: "access flags" });
    write(a.doc, "Together, ");
    await waitFor(() => textOf(b.doc).startsWith("Together, "), { what: "B sees A" });
    write(b.doc, "urgently: ");
    await waitFor(() => a.isSaved() && b.isSaved() && textOf(a.doc).startsWith("urgently: Together, "), { what: "both saved" });
    await waitFor(() => textOf(chair.doc) === textOf(a.doc), { what: "the chair follows" });
    expect(textOf(chair.doc)).toBe(`urgently: Together, ${clause("OP3").text}`);
    a.destroy();
    b.destroy();
    chair.destroy();
  });

  it("its participants comment on its clauses; the comments stay with the breakout, on its pages alone", async ({ db }) => {
    const op2 = clause("OP2").id;
    const breakoutPage = await openEventStream(serverUrl, n.documentId, n.delegateA.cookie, "?breakouts=1");
    const statementPage = await openEventStream(serverUrl, n.documentId, n.delegateB.cookie);
    const body = "Can we keep the word urgently?";
    for (const who of [delegateC, n.secretariat, n.observer]) {
      expect((await who.post(pagePath(closed), { intent: "comment", clauseId: op2, body })).status).toBe(404);
    }
    expect((await n.delegateB.post(pagePath(closed), { intent: "comment", clauseId: clause("OP4").id, body })).status).toBe(404);
    expect((await n.delegateB.post(pagePath(closed), { intent: "comment", clauseId: op2, body: " " })).status).toBe(400);
    expect((await n.delegateB.post(pagePath(closed), { intent: "comment", clauseId: op2, body })).status).toBe(200);
    const [thread] = await loadCommentThreads(db.sql, closed.clauses[0].textDocumentId, n.delegateA.userId);
    expect(thread).toMatchObject({ clauseId: op2, body, unreadCount: 1, replies: [] });
    expect((await n.delegateA.post(pagePath(closed), { intent: "comment", clauseId: op2, threadId: thread.id, body: "Yes." })).status).toBe(
      200,
    );
    const html = pageText(await (await n.chair.get(pagePath(closed))).text());
    expect(html).toContain(body);
    expect(html).toContain("Yes.");
    // Not the statement's comments, nor on its page.
    expect((await loadCommentThreads(db.sql, n.documentId, n.chair.userId)).map((t) => t.body)).not.toContain(body);
    expect(pageText(await (await n.delegateB.get(`/documents/${n.documentId}`)).text())).not.toContain(body);
    // Breakout pages hear of it; the statement's other pages are not reloaded for it (the next event shows it went by).
    await waitFor(() => breakoutPage.events.filter((e) => e.topic === "breakouts").length === 2, { what: "two comment events" });
    await publishNegotiationEvent(db.sql, { documentId: n.documentId, topic: "versions" });
    await waitFor(() => statementPage.events.some((e) => e.topic === "versions"), { what: "the next event" });
    expect(statementPage.events.filter((e) => e.topic === "breakouts")).toEqual([]);
    breakoutPage.close();
    statementPage.close();
  });

  it("its participants table proposals on its clauses, seen by those who see the breakout alone; the facilitator decides them on the breakout text", async ({
    db,
  }) => {
    const op2 = clause("OP2").id;
    const text = `Confidential words ${clause("OP2").text} as amended`;
    const content = JSON.stringify([{ type: "paragraph", content: [{ type: "text", text }] }]);
    const participantPage = await openEventStream(serverUrl, n.documentId, n.delegateA.cookie, "?breakouts=1");
    const outsiderPage = await openEventStream(serverUrl, n.documentId, delegateC.cookie, "?breakouts=1");
    // Those who may not see the closed breakout are answered as if it did not exist; the chair follows it but does not propose.
    for (const who of [delegateC, n.secretariat, n.observer, n.outsider]) {
      expect((await who.post(pagePath(closed), { intent: "propose", clauseId: op2, content })).status).toBe(404);
    }
    expect((await n.chair.post(pagePath(closed), { intent: "propose", clauseId: op2, content })).status).toBe(403);
    expect((await n.delegateB.post(pagePath(closed), { intent: "propose", clauseId: clause("OP4").id, content })).status).toBe(404);
    expect((await n.delegateB.post(pagePath(closed), { intent: "propose", clauseId: op2, content: "not json" })).status).toBe(400);
    const unchanged = JSON.stringify([
      { type: "paragraph", content: [{ type: "text", text: `Confidential words ${clause("OP2").text}` }] },
    ]);
    expect((await n.delegateB.post(pagePath(closed), { intent: "propose", clauseId: op2, content: unchanged })).status).toBe(409);
    expect(await listBreakoutProposals(db.sql, closed.id)).toEqual([]);

    const tabled = await n.delegateB.post(pagePath(closed), { intent: "propose", clauseId: op2, content });
    expect(tabled.status).toBe(200);
    expect(pageText(await tabled.text())).toContain("B1/P1 tabled.");
    const withdrawn = JSON.stringify([{ type: "paragraph", content: [{ type: "text", text: "A text its sponsors take back." }] }]);
    expect((await n.delegateB.post(pagePath(closed), { intent: "propose", clauseId: op2, content: withdrawn })).status).toBe(200);
    const rejected = JSON.stringify([{ type: "paragraph", content: [{ type: "text", text: "A text the facilitator turns down." }] }]);
    expect((await n.delegateA.post(pagePath(closed), { intent: "propose", clauseId: op2, content: rejected })).status).toBe(200);
    const [p1, p2, p3] = await listBreakoutProposals(db.sql, closed.id);
    expect([p1, p2, p3].map((p) => [p.number, p.status, p.delegationId, p.breakoutId])).toEqual([
      [1, "submitted", n.delegateB.delegationId, closed.id],
      [2, "submitted", n.delegateB.delegationId, closed.id],
      [3, "submitted", n.delegateA.delegationId, closed.id],
    ]);
    expect(p1.revision).toMatchObject({ text, baseText: `Confidential words ${clause("OP2").text}` });

    // Participants read them on the breakout's page; nobody reads them anywhere in the plenary.
    for (const who of [n.delegateA, n.chair]) {
      expect(pageText(await (await who.get(pagePath(closed))).text())).toMatch(
        /B1\/P1 · Delegation \S+ \(\S+\) · Submitted .*\[inserted: as amended \]/,
      );
    }
    expect(await listProposals(db.sql, n.documentId)).toEqual([]);
    expect(await (await n.chair.get(`/documents/${n.documentId}`)).text()).not.toContain("as amended");
    for (const who of [n.chair, n.delegateB, delegateC])
      expect((await who.get(`/documents/${n.documentId}/proposals/${p1.id}`)).status).toBe(404);
    // Only the breakout's participants hear of them: a page of the statement's breakouts open to another delegate is told nothing.
    await waitFor(() => participantPage.events.filter((e) => e.topic === "breakouts").length === 3, { what: "three proposal events" });
    await publishNegotiationEvent(db.sql, { documentId: n.documentId, topic: "breakouts", withinBreakouts: true, notice: "marker" });
    await waitFor(() => outsiderPage.events.some((e) => e.notice === "marker"), { what: "the next breakouts event" });
    expect(outsiderPage.events.filter((e) => e.topic === "breakouts")).toEqual([expect.objectContaining({ notice: "marker" })]);
    participantPage.close();
    outsiderPage.close();

    // The facilitator alone decides; the sponsors alone withdraw.
    expect((await n.delegateB.post(pagePath(closed), { intent: "acceptProposal", proposalId: p1.id })).status).toBe(403);
    expect((await n.chair.post(pagePath(closed), { intent: "acceptProposal", proposalId: p1.id })).status).toBe(403);
    expect((await delegateC.post(pagePath(closed), { intent: "acceptProposal", proposalId: p1.id })).status).toBe(404);
    expect((await n.delegateA.post(pagePath(closed), { intent: "withdrawProposal", proposalId: p2.id })).status).toBe(403);
    expect((await n.delegateA.post(pagePath(closed), { intent: "acceptProposal", proposalId: "not-a-proposal" })).status).toBe(404);
    const live = await connectSyncedClient(wsUrl, closed.clauses[0].textDocumentId, { cookie: n.delegateB.cookie });
    expect((await n.delegateA.post(pagePath(closed), { intent: "acceptProposal", proposalId: p1.id, reason: "Agreed here." })).status).toBe(
      200,
    );
    // Accepted into the breakout text, live, for everyone writing it.
    await waitFor(() => textOf(live.doc) === text, { what: "the accepted text relayed" });
    live.destroy();
    expect(draftOf(await loadUpdates(db.sql, closed.clauses[0].textDocumentId)).text).toBe(text);
    expect((await n.delegateA.post(pagePath(closed), { intent: "acceptProposal", proposalId: p1.id })).status).toBe(409);
    expect((await n.delegateB.post(pagePath(closed), { intent: "withdrawProposal", proposalId: p2.id })).status).toBe(200);
    expect((await n.delegateA.post(pagePath(closed), { intent: "rejectProposal", proposalId: p3.id })).status).toBe(200);
    expect((await listBreakoutProposals(db.sql, closed.id)).map((p) => [p.number, p.status, p.decidedBy, p.decisionReason])).toEqual([
      [1, "accepted", n.delegateA.userId, "Agreed here."],
      [2, "withdrawn", null, null],
      [3, "rejected", n.delegateA.userId, null],
    ]);
    // The facilitator's decisions are in the audit trail, the withdrawal (the sponsors' own) is not.
    const decisions = (await auditEntries(db.sql, n.conferenceId)).filter((e) => e.action.startsWith("breakout.proposal_"));
    expect(decisions.map((e) => [e.action, e.subject.proposal, e.actorId])).toEqual([
      ["breakout.proposal_accepted", "B1/P1", n.delegateA.userId],
      ["breakout.proposal_rejected", "B1/P3", n.delegateA.userId],
    ]);
    // The statement did not change: the breakout's text did.
    expect((await statementTexts(db.sql)).find((c) => c.id === op2)!.text).toBe(clause("OP2").text);
  });

  it("the package round trip: the facilitator submits a proposal covering its clauses, delegations signal on it, the chair accepts it like any proposal, the clauses hold the breakout text with their ids and numbers, and provenance is recorded", async ({
    db,
  }) => {
    // The statement's zero draft, against which the story tells what the package changed.
    const chairActor = {
      userId: n.chair.userId,
      role: "chair" as const,
      delegationId: null,
      isChair: true,
      negotiates: false,
      mayPropose: false,
    };
    await createRevision(db.sql, chairActor, { documentId: n.documentId, name: "Zero draft" });
    const before = await statementTexts(db.sql);
    const op2 = `Confidential words ${clause("OP2").text} as amended`;
    const op3 = `urgently: Together, ${clause("OP3").text}`;
    // Only the facilitator submits.
    expect((await n.delegateB.post(pagePath(closed), { intent: "submit" })).status).toBe(403);
    expect((await n.chair.post(pagePath(closed), { intent: "submit" })).status).toBe(403);
    const writer = await connectSyncedClient(wsUrl, closed.clauses[0].textDocumentId, { cookie: n.delegateB.cookie });
    await waitFor(() => writer.readOnly === false, { what: "writable while drafting" });

    const submitting = await n.delegateA.post(pagePath(closed), { intent: "submit" });
    expect(submitting.status).toBe(200);
    expect(pageText(await submitting.text())).toMatch(/submitted to the plenary as one package, proposal P\d+\./);
    // The text is frozen: the open connection is told so.
    await waitFor(() => writer.readOnly === true, { what: "read-only once submitted" });
    writer.destroy();
    expect((await n.delegateA.post(pagePath(closed), { intent: "submit" })).status).toBe(409);
    const submitted = (await findPackage(db.sql, closed.id))!;
    expect(submitted.status).toBe("submitted");
    expect(submitted.clauses.map((c) => [c.clauseId, c.text, c.baseText])).toEqual([
      [clause("OP2").id, op2, clause("OP2").text],
      [clause("OP3").id, op3, clause("OP3").text],
    ]);
    expect(pageText(await (await n.delegateB.get(`/documents/${n.documentId}`)).text())).toContain("outcome submitted to the plenary");

    // The plenary's proposal: listed with the statement's proposals, on each clause it covers.
    const proposalPath = `/documents/${n.documentId}/proposals/${submitted.id}`;
    const [listed] = (await listProposals(db.sql, n.documentId)).filter((p) => p.id === submitted.id);
    expect(listed).toMatchObject({ kind: "package", status: "submitted", number: submitted.number, delegationId: null });
    expect(listed.package).toMatchObject({ breakoutId: closed.id, breakoutNumber: 1 });
    const viewerC = { delegationId: delegateC.delegationId, isChair: false };
    const marks = await negotiationMarks(db.sql, { id: n.documentId });
    const compiled = await compileStatement(db.sql, marks, viewerC, { delegationId: null, state: null, status: null });
    for (const label of ["OP2", "OP3", "OP4"]) {
      const entry = compiled.entries.find((e) => e.type === "clause" && e.label === label);
      const labels = entry?.type === "clause" ? entry.proposals.map((p) => p.label) : null;
      expect([label, labels]).toEqual([label, label === "OP4" ? [] : ["B1 package"]]);
    }
    const op3Entry = compiled.entries.find((e) => e.type === "clause" && e.label === "OP3");
    const inserted = op3Entry?.type === "clause" ? op3Entry.proposals[0].diff.filter((d) => d.type === "insert").map((d) => d.text) : [];
    expect(inserted.join("")).toContain("urgently:");
    expect(compiled.counts.pending).toBe(1);
    const rolling = rollingTextFor(marks, viewerC, { attributions: true });
    for (const label of ["OP2", "OP3"]) expect(clauseText(rolling.operative.find((c) => c.label === label)!)).toContain("(B1)");
    expect([...marks.bracketed]).toEqual(expect.arrayContaining([clause("OP2").id, clause("OP3").id]));
    // Everyone who sees the negotiation sees it (the package is the plenary's, even from a closed breakout) and signals on it.
    const page = await delegateC.get(proposalPath);
    expect(page.status).toBe(200);
    const shown = pageText(await page.text());
    expect(shown).toContain("Breakout package");
    expect(shown).toContain("Breakout B1");
    expect((await delegateC.post(proposalPath, { intent: "support", reason: "A good outcome." })).status).toBe(200);
    expect((await findProposal(db.sql, n.documentId, submitted.id))!.positions).toEqual([
      expect.objectContaining({ delegationId: delegateC.delegationId, position: "support" }),
    ]);
    // Nobody withdraws or merges it; only the chair decides it, through the proposals' own decision.
    expect((await n.chair.post(proposalPath, { intent: "withdraw" })).status).toBe(403);
    expect((await n.delegateA.post(proposalPath, { intent: "withdraw" })).status).toBe(403);
    expect((await n.delegateA.post(proposalPath, { intent: "accept" })).status).toBe(403);
    expect((await n.secretariat.post(proposalPath, { intent: "accept" })).status).toBe(403);
    expect((await n.observer.post(proposalPath, { intent: "accept" })).status).toBe(403);
    expect((await n.outsider.post(proposalPath, { intent: "accept" })).status).toBe(404);
    expect(await statementTexts(db.sql)).toEqual(before);
    const accepted = await n.chair.post(proposalPath, { intent: "accept", reason: "As the breakout agreed." });
    expect(accepted.status).toBe(200);
    expect((await n.chair.post(proposalPath, { intent: "reject" })).status).toBe(409);
    expect((await findProposal(db.sql, n.documentId, submitted.id))!).toMatchObject({ status: "accepted", decidedBy: n.chair.userId });
    expect((await breakouts(db.sql)).find((b) => b.id === closed.id)!.status).toBe("ended");
    // No delegation sponsors a package: its facilitator and the taking-part delegations are told of the decision.
    const decided = async (who: Participant) =>
      (await storedNotices(db.sql, who.userId, "proposal_decided")).filter((x) => x.payload.proposal === `P${submitted.number}`);
    for (const who of [n.delegateA, n.delegateB]) expect(await decided(who)).toMatchObject([{ payload: { decision: "accepted" } }]);
    expect(await decided(delegateC)).toEqual([]);

    const after = await statementTexts(db.sql);
    expect(after.map((c) => [c.id, c.label])).toEqual(before.map((c) => [c.id, c.label]));
    expect(after.map((c) => c.text)).toEqual(
      before.map((c) => (c.id === clause("OP2").id ? op2 : c.id === clause("OP3").id ? op3 : c.text)),
    );
    // Where OP2's text came from: breakout B1's package, accepted by the chair.
    const [record] = await clauseBreakoutRecords(db.sql, n.documentId, clause("OP2").id);
    expect(record).toMatchObject({ breakoutNumber: 1, breakoutStatus: "ended", confidential: true });
    expect(record.package).toMatchObject({ status: "accepted", decidedBy: n.chair.userId, text: op2, baseText: clause("OP2").text });
    expect(Date.parse(record.package!.decidedAt!)).toBeGreaterThan(Date.parse(record.package!.submittedAt));
    // The breakout itself shows in the story to its participants only.
    expect((await storyFor(db.sql, n.delegateB, clause("OP2").id)).map((r) => r.name)).toEqual(["B1"]);
    expect(await storyFor(db.sql, delegateC, clause("OP2").id)).toEqual([]);
    const storyPage = async (who: Participant, label = "OP2") =>
      (await who.get(`/documents/${n.documentId}/clauses/${clause(label).id}/story`)).text();
    const told = pageText(await storyPage(n.delegateB));
    expect(told).toMatch(/Sent to breakout B1 ?, facilitated by Delegate A\./);
    // The text's origin: breakout B1's package, not an edit; the package's submission and decision are its proposal's.
    const name = `P${submitted.number}`;
    expect(told).toContain(`From the breakout package of B1 (${name}, facilitated by Delegate A), accepted.`);
    expect(told).toMatch(new RegExp(`Delegate A submitted ?${name} \\(Breakout package, B1\\)`));
    expect(told).toMatch(new RegExp(`accepted ?${name} \\(Breakout package, B1\\)`));
    const op3Story = await storyPage(n.chair, "OP3");
    expect(op3Story).toContain('data-event="package"');
    expect(pageText(op3Story)).toContain(`From the breakout package of B1 (${name}, facilitated by Delegate A), accepted.`);
    // A delegation outside the closed breakout reads where the text came from, without who facilitated it or the breakout itself.
    const toOthers = pageText(await storyPage(delegateC));
    expect(toOthers).toContain(`From the breakout package of B1 (${name}), accepted.`);
    expect(toOthers).not.toContain("Delegate A), accepted");
    expect(toOthers).not.toMatch(/Sent to breakout B1/);
    expect(await clauseBreakoutRecords(db.sql, n.documentId, clause("OP1").id)).toEqual([]);

    const [submittedEntry] = await entriesOf(db.sql, n.conferenceId, "breakout.package_submitted");
    expect(submittedEntry.subject).toMatchObject({ breakout: "B1", clauses: ["OP2", "OP3"], proposal: name });
    expect(submittedEntry.actorId).toBe(n.delegateA.userId);
    const acceptedEntries = (await entriesOf(db.sql, n.conferenceId, "proposal.accepted")).filter((e) => e.subject.kind === "package");
    expect(acceptedEntries.map((e) => [e.subject.proposal, e.actorId])).toEqual([[name, n.chair.userId]]);
    // No longer in a breakout: the plenary shows no mark.
    expect(pageText(await (await n.delegateB.get(`/documents/${n.documentId}`)).text())).not.toContain("in closed breakout");
  });

  it("an open breakout is everyone's to read; a package opened for discussion and then rejected leaves the statement as it was", async ({
    db,
  }) => {
    const created = await setUp(n.chair, {
      clauses: [clause("OP5").id],
      facilitator: n.secretariat.userId,
      delegations: [n.delegateB.delegationId!],
    });
    expect(created.status).toBe(302);
    const open = (await breakouts(db.sql)).find((b) => b.number === 2)!;
    expect(open.confidential).toBe(false);
    for (const who of [delegateC, n.observer, n.delegateA]) expect((await who.get(pagePath(open))).status).toBe(200);
    expect(pageText(await (await n.observer.get(`/documents/${n.documentId}`)).text())).toContain("OP5 in breakout B2 (facilitator:");
    // Comments are the negotiation's: a delegation not taking part reads them, but may not write; an observer who sees the text alone reads the text only.
    const remark = "A remark on OP5 for the negotiators.";
    expect((await n.secretariat.post(pagePath(open), { intent: "comment", clauseId: clause("OP5").id, body: remark })).status).toBe(200);
    expect((await delegateC.post(pagePath(open), { intent: "comment", clauseId: clause("OP5").id, body: remark })).status).toBe(403);
    expect(pageText(await (await delegateC.get(pagePath(open))).text())).toContain(remark);
    await setConfidentiality(db.sql, n.conferenceId, "standard");
    const textOnly = await n.observer.get(pagePath(open));
    expect(textOnly.status).toBe(200);
    const textOnlyPage = pageText(await textOnly.text());
    expect(textOnlyPage).toContain(clause("OP5").text);
    expect(textOnlyPage).not.toContain(remark);
    await setConfidentiality(db.sql, n.conferenceId, "open");
    // Reading is not writing: a delegation not taking part is read-only.
    const facilitator = await connectSyncedClient(wsUrl, open.clauses[0].textDocumentId, { cookie: n.secretariat.cookie });
    const reader = await connectSyncedClient(wsUrl, open.clauses[0].textDocumentId, { cookie: delegateC.cookie });
    await waitFor(() => facilitator.readOnly === false && reader.readOnly === true, { what: "access flags" });
    write(facilitator.doc, "Rejected words ");
    await waitFor(() => facilitator.isSaved() && textOf(reader.doc).startsWith("Rejected words "), { what: "saved and relayed" });
    facilitator.destroy();
    reader.destroy();
    const before = await statementTexts(db.sql);

    expect((await n.secretariat.post(pagePath(open), { intent: "submit" })).status).toBe(200);
    const proposalPath = `/documents/${n.documentId}/proposals/${(await findPackage(db.sql, open.id))!.id}`;
    expect((await n.delegateB.post(proposalPath, { intent: "discuss" })).status).toBe(403);
    expect((await n.chair.post(proposalPath, { intent: "discuss" })).status).toBe(200);
    expect((await findPackage(db.sql, open.id))!.status).toBe("discussion");
    expect(pageText(await (await n.delegateB.get(proposalPath)).text())).toContain("open for discussion");
    expect((await n.chair.post(proposalPath, { intent: "discuss" })).status).toBe(409);
    // Only a package is opened for discussion: another proposal is accepted or rejected.
    const plain = await createProposal(db.sql, {
      documentId: n.documentId,
      createdBy: n.delegateA.userId,
      delegationId: n.delegateA.delegationId,
      kind: "retain",
      clauseId: clause("OP1").id,
    });
    const refused = await n.chair.post(`/documents/${n.documentId}/proposals/${plain.id}`, { intent: "discuss" });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain("Only a breakout's package is opened for discussion.");
    expect((await findProposal(db.sql, n.documentId, plain.id))!).toMatchObject({ status: "submitted", discussionOpenedAt: null });
    expect((await n.chair.post(pagePath(open), { intent: "close" })).status).toBe(409);
    expect((await n.chair.post(proposalPath, { intent: "reject", reason: "x".repeat(2001) })).status).toBe(400);
    expect((await n.chair.post(proposalPath, { intent: "reject", reason: "Back to the plenary." })).status).toBe(200);
    expect(await statementTexts(db.sql)).toEqual(before);
    expect((await findPackage(db.sql, open.id))!).toMatchObject({
      status: "rejected",
      decidedBy: n.chair.userId,
      reason: "Back to the plenary.",
    });
    expect((await entriesOf(db.sql, n.conferenceId, "proposal.discussion_opened")).map((e) => e.subject.kind)).toEqual(["package"]);
    expect((await entriesOf(db.sql, n.conferenceId, "proposal.rejected")).map((e) => e.subject.kind)).toEqual(["package"]);
    // Deciding the package ended its breakout.
    expect((await breakouts(db.sql)).find((b) => b.id === open.id)!.status).toBe("ended");
    const [record] = await clauseBreakoutRecords(db.sql, n.documentId, clause("OP5").id);
    expect(record.package).toMatchObject({ status: "rejected", text: `Rejected words ${clause("OP5").text}` });

    // OP5 is free again; a breakout closed without an outcome changes nothing either.
    expect(
      (await setUp(n.chair, { clauses: [clause("OP5").id], facilitator: n.delegateB.userId, delegations: [n.delegateB.delegationId!] }))
        .status,
    ).toBe(302);
    const third = (await breakouts(db.sql)).find((b) => b.number === 3)!;
    expect((await n.delegateB.post(pagePath(third), { intent: "close" })).status).toBe(403);
    expect((await n.chair.post(pagePath(third), { intent: "close" })).status).toBe(200);
    expect((await n.chair.post(pagePath(third), { intent: "close" })).status).toBe(409);
    expect((await n.delegateB.post(pagePath(third), { intent: "submit" })).status).toBe(409);
    expect(await statementTexts(db.sql)).toEqual(before);
    expect((await entriesOf(db.sql, n.conferenceId, "breakout.closed")).map((e) => e.subject.breakout)).toEqual(["B3"]);
  });
});
