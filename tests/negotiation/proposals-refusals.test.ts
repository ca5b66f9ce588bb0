import { randomUUID } from "node:crypto";
import { describe, expect, it } from "../support/fixtures";
import { createProposalFixture, type ProposalFixture } from "../support/proposals";
import { listProposals } from "../../server/queries/proposals";
import { readStatement } from "../../server/negotiation/numbering";

/** Every refusal of the proposal rules, with the status the brief sets: 400 bad input, 403 no right, 404 not there, 409 not now. */
let f: ProposalFixture;
let clauses: Record<string, string>;
let submitted: string;

it.beforeAll(async ({ db, server }) => {
  f = await createProposalFixture({ db, server });
  clauses = await f.clauseIds();
  submitted = await f.propose(f.people.alice, { kind: "replace", clauseId: clauses.OP1 });
  // Submitted unchanged: a replacement may restate the clause (the diff is then empty).
  await f.post(f.people.alice, `/documents/${f.documentId}/proposals/${submitted}`, { intent: "submit" });
});

const statement = () => `/documents/${f.documentId}`;
const page = (id: string) => `/documents/${f.documentId}/proposals/${id}`;
const count = async () => (await listProposals(f.db.sql, f.documentId)).length;

describe("proposing", () => {
  it("is refused to observers and the secretariat (403), who speak for no delegation", async () => {
    const before = await count();
    for (const who of [f.people.observer, f.people.secretariat]) {
      const res = await f.post(who, statement(), { intent: "propose", kind: "replace", clauseId: clauses.OP1 });
      expect(res.status).toBe(403);
    }
    expect(await count()).toBe(before);
  });

  it("is refused to someone of another conference as if the statement did not exist (404)", async () => {
    expect((await f.post(f.people.outsider, statement(), { intent: "propose", kind: "replace", clauseId: clauses.OP1 })).status).toBe(404);
  });

  it("needs a clause of this statement (404 for another statement's clause id), a known kind and, for an add at the start, a part (400)", async () => {
    const otherClause = "c" + "x".repeat(12);
    expect((await f.post(f.people.alice, statement(), { intent: "propose", kind: "replace", clauseId: otherClause })).status).toBe(404);
    expect((await f.post(f.people.alice, statement(), { intent: "propose", kind: "amend", clauseId: clauses.OP1 })).status).toBe(400);
    expect((await f.post(f.people.alice, statement(), { intent: "propose", kind: "replace" })).status).toBe(400);
    expect((await f.post(f.people.alice, statement(), { intent: "propose", kind: "add" })).status).toBe(400);
    const start = await f.propose(f.people.alice, { kind: "add", part: "pp" });
    expect((await listProposals(f.db.sql, f.documentId)).find((p) => p.id === start)).toMatchObject({ clauseId: null, part: "pp" });
  });

  it("is refused on an agreed clause (409) and while the text is locked (409), with a clear message", async () => {
    await f.db
      .sql`insert into clause_states (document_id, clause_id, state, user_id) values (${f.documentId}, ${clauses.OP3}, 'agreed', ${f.people.chair.userId})`;
    const res = await f.post(f.people.bruno, statement(), { intent: "propose", kind: "delete", clauseId: clauses.OP3 });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain("OP3 is agreed");
    // Adding a clause after an agreed one leaves it as it is.
    await f.propose(f.people.bruno, { kind: "add", clauseId: clauses.OP3 });

    const [silence] = await f.db.sql<{ id: string }[]>`
      insert into silence_procedures (document_id, opened_by, deadline, time_zone)
      values (${f.documentId}, ${f.people.chair.userId}, now() + interval '1 day', 'UTC') returning id`;
    const locked = await f.post(f.people.bruno, statement(), { intent: "propose", kind: "replace", clauseId: clauses.OP2 });
    expect(locked.status).toBe(409);
    expect(await locked.text()).toContain("silence procedure");
    await f.db.sql`update silence_procedures set status = 'cancelled', closed_at = now() where id = ${silence.id}`;
  });

  it("refuses a form without the anti-forgery token (403)", async () => {
    const res = await fetch(`${f.server.url}${statement()}`, {
      method: "POST",
      headers: { Cookie: f.people.alice.cookie },
      body: new URLSearchParams({ intent: "propose", kind: "replace", clauseId: clauses.OP1 }),
      redirect: "manual",
    });
    expect(res.status).toBe(403);
  });
});

describe("deciding", () => {
  it("is the chair's alone: a delegate accepting, rejecting or merging gets 403, and nothing changes", async () => {
    for (const intent of ["accept", "reject"]) {
      expect((await f.post(f.people.bruno, page(submitted), { intent })).status).toBe(403);
      expect((await f.post(f.people.alice, page(submitted), { intent })).status).toBe(403);
    }
    expect((await f.post(f.people.bruno, page(submitted), { intent: "merge", merge: submitted, text: "Compromise." })).status).toBe(403);
    expect((await f.post(f.people.secretariat, page(submitted), { intent: "accept" })).status).toBe(403);
    expect((await listProposals(f.db.sql, f.documentId)).find((p) => p.id === submitted)!.status).toBe("submitted");
  });

  it("answers forged and other conferences' proposal ids with 404", async () => {
    const other = await readStatement(f.db.sql, f.other.documentId);
    other.ydoc.destroy();
    const otherClause = { id: other.clauses[0].id! };
    const created = await f.post(f.other.chair, `/documents/${f.other.documentId}`, {
      intent: "compromise",
      kind: "retain",
      clauseId: otherClause.id,
    });
    expect(created.status).toBe(302);
    const otherProposal = created.headers.get("location")!.split("/").pop()!;
    // Another conference's proposal, reached through this statement by this statement's chair.
    expect((await f.post(f.people.chair, page(otherProposal), { intent: "accept" })).status).toBe(404);
    expect((await fetch(`${f.server.url}${page(otherProposal)}`, { headers: { Cookie: f.people.chair.cookie } })).status).toBe(404);
    for (const id of [randomUUID(), "not-a-uuid"]) {
      expect((await f.post(f.people.chair, page(id), { intent: "accept" })).status).toBe(404);
      expect((await fetch(`${f.server.url}${page(id)}`, { headers: { Cookie: f.people.chair.cookie } })).status).toBe(404);
    }
    // A real proposal, reached through another conference's statement, or by someone of another conference.
    expect((await f.post(f.other.chair, `/documents/${f.other.documentId}/proposals/${submitted}`, { intent: "accept" })).status).toBe(404);
    expect((await f.post(f.people.outsider, page(submitted), { intent: "support" })).status).toBe(404);
    expect((await fetch(`${f.server.url}${page(submitted)}`, { headers: { Cookie: f.people.outsider.cookie } })).status).toBe(404);
  });

  it("refuses to accept a proposal on a clause that has since been agreed (409)", async () => {
    const onOp2 = await f.propose(f.people.bruno, { kind: "delete", clauseId: clauses.OP2 });
    expect((await f.post(f.people.bruno, page(onOp2), { intent: "submit" })).status).toBe(200);
    await f.db
      .sql`insert into clause_states (document_id, clause_id, state, user_id) values (${f.documentId}, ${clauses.OP2}, 'agreed', ${f.people.chair.userId})`;
    const res = await f.post(f.people.chair, page(onOp2), { intent: "accept" });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain("OP2 is agreed");
    expect((await listProposals(f.db.sql, f.documentId)).find((p) => p.id === onOp2)!.status).toBe("submitted");
  });

  it("refuses an unknown intent (400)", async () => {
    expect((await f.post(f.people.chair, page(submitted), { intent: "approve" })).status).toBe(400);
  });
});
