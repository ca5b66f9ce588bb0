import { describe, expect, it } from "../support/fixtures";
import { createNegotiation, deadlineFields, type NegotiationFixture } from "../support/negotiation";
import { createProposal } from "../support/factories";
import { entriesOf } from "../support/audit";
import { latestSilence } from "../../server/queries/silence-procedures";
import { findProposal, listProposalEvents } from "../../server/queries/proposals";
import { passSilenceIfDue } from "../../server/negotiation/silence";
import { notTakenUpReason } from "../../server/negotiation/adoption";

let n: NegotiationFixture;
let submitted: { id: string; number: number };
let draft: { id: string; number: number };
let codeA: string;
const silencePath = () => `/documents/${n.documentId}/silence`;
const openForm = () => ({ intent: "open", ...deadlineFields(new Date(Date.now() + 3_600_000)) });
/** The confirmation the statement page carries for the chair: the value of the open-business checkbox. */
async function shownToken(): Promise<string> {
  const html = await (await n.chair.get(`/documents/${n.documentId}`)).text();
  const match = /name="openBusiness"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*name="openBusiness"/.exec(html);
  expect(match).not.toBeNull();
  return match![1] ?? match![2];
}

it.beforeAll(async ({ db, server }) => {
  n = await createNegotiation(db.sql, server.url);
  [{ code: codeA }] = await db.sql<{ code: string }[]>`select code from delegations where id = ${n.delegateA.delegationId}`;
  submitted = await createProposal(db.sql, {
    documentId: n.documentId,
    createdBy: n.delegateA.userId,
    delegationId: n.delegateA.delegationId,
    clauseId: n.clauses[8].id,
    text: "A proposal nobody decided on.",
  });
  draft = await createProposal(db.sql, {
    documentId: n.documentId,
    createdBy: n.delegateB.userId,
    delegationId: n.delegateB.delegationId,
    clauseId: n.clauses[9].id,
    status: "draft",
    text: "A draft never submitted.",
  });
  const signal = { clauseId: n.clauses[3].id, signal: "not_yet", reason: "Awaiting instructions." };
  expect((await n.delegateA.post(`/documents/${n.documentId}/signals`, signal)).status).toBe(200);
});

describe("opening a silence procedure with business still open", () => {
  it("shows the chair what is open, with links and counts, and a required confirmation; delegates see none of it", async () => {
    const html = await (await n.chair.get(`/documents/${n.documentId}`)).text();
    const start = html.indexOf('class="open-business"');
    expect(start).toBeGreaterThan(0);
    const business = html.slice(start, html.indexOf("</form>", start));
    expect(business).toContain(`href="/documents/${n.documentId}/proposals/${submitted.id}"`);
    expect(business).toContain(`P${submitted.number}`);
    expect(business).toContain(`${codeA}`);
    expect(business).toContain(n.clauses[3].label);
    expect(business).toContain("Awaiting instructions.");
    expect(business).toMatch(/Close the 1 open proposal as not taken up/);
    // The chair does not see another delegation's draft, nor is it counted.
    expect(business).not.toMatch(new RegExp(`\\bP${draft.number}\\b`));
    expect(business).toMatch(/name="openBusiness"[^>]*required|required[^>]*name="openBusiness"/);
    const delegateHtml = await (await n.delegateA.get(`/documents/${n.documentId}`)).text();
    expect(delegateHtml).not.toContain('class="open-business"');
  });

  it("is refused without the chair's confirmation (409), naming what is open; nothing opens", async ({ db }) => {
    const res = await n.chair.post(silencePath(), openForm());
    expect(res.status).toBe(409);
    const body = (await res.json()) as { errors: Record<string, string[]> };
    expect(body.errors.openBusiness[0]).toContain(`1 submitted proposal (P${submitted.number})`);
    expect(body.errors.openBusiness[0]).toContain(`${codeA} on ${n.clauses[3].label}`);
    expect(await latestSilence(db.sql, n.documentId)).toBeNull();
  });

  it("is refused when business opened after the chair looked (409): a confirmation covers what was shown only", async ({ db }) => {
    const stale = await shownToken();
    const signal = { clauseId: n.clauses[4].id, signal: "not_yet", reason: "Still consulting." };
    expect((await n.delegateB.post(`/documents/${n.documentId}/signals`, signal)).status).toBe(200);
    const res = await n.chair.post(silencePath(), { ...openForm(), openBusiness: stale });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain(n.clauses[4].label);
    expect(await latestSilence(db.sql, n.documentId)).toBeNull();
  });

  it("opens once confirmed, recording in the audit entry what the chair went ahead over", async ({ db }) => {
    const res = await n.chair.post(silencePath(), { ...openForm(), openBusiness: await shownToken() });
    expect(res.status).toBe(200);
    expect((await latestSilence(db.sql, n.documentId))!.status).toBe("running");
    const [opened] = await entriesOf(db.sql, n.conferenceId, "silence.opened");
    expect(opened.subject).toMatchObject({
      openProposals: [`P${submitted.number}`],
      notYet: expect.arrayContaining([{ clause: n.clauses[3].label, delegation: codeA }]) as unknown,
    });
  });

  it("while silence runs, no proposal can be submitted, not even a new clause", async ({ db }) => {
    const addition = await createProposal(db.sql, {
      documentId: n.documentId,
      createdBy: n.delegateA.userId,
      delegationId: n.delegateA.delegationId,
      kind: "add",
      clauseId: n.clauses[9].id,
      status: "draft",
      text: "A new clause slipped in during silence.",
    });
    const res = await n.delegateA.post(`/documents/${n.documentId}/proposals/${addition.id}`, { intent: "submit" });
    expect(res.status).toBe(409);
    expect((await findProposal(db.sql, n.documentId, addition.id))!.status).toBe("draft");
  });
});

describe("adoption closes the open proposals", () => {
  it("when silence passes, every open proposal (submitted or draft) is not taken up, with an event and an audit entry", async ({ db }) => {
    await db.sql`update silence_procedures set deadline = now() where document_id = ${n.documentId} and status = 'running'`;
    expect(await passSilenceIfDue(db.sql, n.documentId)).toBe(true);

    const open = await db.sql<{ number: number; status: string }[]>`
      select number, status from proposals where document_id = ${n.documentId} order by number`;
    expect(open.map((p) => p.status)).toEqual(["not_taken_up", "not_taken_up", "not_taken_up"]);
    const p = (await findProposal(db.sql, n.documentId, submitted.id))!;
    expect(p.decisionReason).toBe(notTakenUpReason);
    expect(p.decidedAt).toBeInstanceOf(Date);
    const events = await listProposalEvents(db.sql, submitted.id);
    expect(events.at(-1)).toMatchObject({ kind: "not_taken_up", reason: notTakenUpReason });

    const entries = await entriesOf(db.sql, n.conferenceId, "proposal.not_taken_up");
    expect(entries.map((e) => [e.subject.proposal, e.subject.previousStatus])).toEqual([
      [`P${submitted.number}`, "submitted"],
      [`P${draft.number}`, "draft"],
      [`P${draft.number + 1}`, "draft"],
    ]);
    // In the adoption's transaction: the entries come before the procedure's own.
    const [passed] = await entriesOf(db.sql, n.conferenceId, "silence.passed");
    expect(entries.every((e) => e.seq < passed.seq && e.actorId === null)).toBe(true);
  });

  it("shows “Not taken up” on the proposal's page and in the compilation; a draft stays private to its sponsors", async () => {
    const page = await (await n.observer.get(`/documents/${n.documentId}/proposals/${submitted.id}`)).text();
    expect(page).toMatch(/data-testid="proposal-status"[^>]*>Not taken up</);
    expect(page).toContain("closed it as not taken up when the text was adopted");
    const compilation = await (await n.observer.get(`/documents/${n.documentId}/compilation`)).text();
    expect(compilation).toMatch(/status-not_taken_up[^>]*>Not taken up</);
    expect((await n.delegateA.get(`/documents/${n.documentId}/proposals/${draft.id}`)).status).toBe(404);
    const own = await (await n.delegateB.get(`/documents/${n.documentId}/proposals/${draft.id}`)).text();
    expect(own).toMatch(/data-testid="proposal-status"[^>]*>Not taken up</);
  });

  it("refuses new proposals, submissions, positions and signals on the adopted text", async () => {
    const base = `/documents/${n.documentId}`;
    expect((await n.delegateA.post(base, { intent: "propose", kind: "replace", clauseId: n.clauses[2].id })).status).toBe(409);
    expect((await n.delegateB.post(`${base}/proposals/${draft.id}`, { intent: "submit" })).status).toBe(409);
    expect((await n.delegateB.post(`${base}/proposals/${submitted.id}`, { intent: "support" })).status).toBe(409);
    expect((await n.delegateA.post(`${base}/signals`, { clauseId: n.clauses[2].id, signal: "accept" })).status).toBe(400);
  });
});
