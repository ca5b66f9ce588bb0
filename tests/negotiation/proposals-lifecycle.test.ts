import { describe, expect, it } from "../support/fixtures";
import { createProposalFixture, draftParagraphs, rewriteDraft, type ProposalFixture } from "../support/proposals";
import { connectSyncedClient, waitFor } from "../support/clients";
import { findProposal, listProposalEvents } from "../../server/queries/proposals";
import { readDraft } from "../../server/negotiation/statement";
import { typeInClause } from "../support/statement";
import { maxReasonLength } from "../../app/statement/limits";
import { pageText } from "../support/http";

/** A delegation drafts, submits and revises a proposal; other delegations take positions; the sponsor withdraws. */
let f: ProposalFixture;
let clauses: Record<string, string>;

it.beforeAll(async ({ db, server }) => {
  f = await createProposalFixture({ db, server });
  clauses = await f.clauseIds();
});

const page = (id: string) => `/documents/${f.documentId}/proposals/${id}`;
const get = (cookie: string, path: string) => fetch(`${f.server.url}${path}`, { headers: { Cookie: cookie }, redirect: "manual" });
const proposal = (id: string) => findProposal(f.db.sql, f.documentId, id);

describe("a replacement, from draft to revision", () => {
  let id: string;

  it("is created for the delegate's own delegation, numbered, with a drafting document seeded with the clause", async () => {
    id = await f.propose(f.people.alice, { kind: "replace", clauseId: clauses.OP2 });
    const p = (await proposal(id))!;
    expect(p).toMatchObject({ number: 1, kind: "replace", clauseId: clauses.OP2, part: "op", status: "draft", delegationCode: "NOR" });
    expect(p.baseText).toBe("Call upon all States to integrate demining into recovery frameworks;");
    expect((await readDraft(f.db.sql, p.textDocumentId!)).text).toBe(p.baseText);
    const [doc] = await f.db.sql`select kind, title, conference_id as "conferenceId" from documents where id = ${p.textDocumentId}`;
    expect(doc).toEqual({ kind: "proposal", title: "P1", conferenceId: f.conferenceId });
    expect((await listProposalEvents(f.db.sql, id)).map((e) => e.kind)).toEqual(["created"]);
  });

  it("is a draft only its delegation sees", async () => {
    expect((await get(f.people.anna.cookie, page(id))).status).toBe(200);
    expect((await get(f.people.bruno.cookie, page(id))).status).toBe(404);
    expect((await get(f.people.chair.cookie, page(id))).status).toBe(404);
    const statement = await (await get(f.people.bruno.cookie, `/documents/${f.documentId}`)).text();
    expect(statement).not.toContain(id);
  });

  it("freezes the draft as revision 1 on submission, and shows it to everyone", async () => {
    const p = (await proposal(id))!;
    const client = await connectSyncedClient(f.server.wsUrl, p.textDocumentId!, { cookie: f.people.anna.cookie });
    expect(draftParagraphs(client.doc)).toEqual([p.baseText]);
    rewriteDraft(client.doc, "Call upon all States and partners to integrate demining into recovery frameworks;");
    await waitFor(() => client.isSaved(), { what: "the draft edit to be saved" });
    client.destroy();

    const res = await f.post(f.people.alice, page(id), { intent: "submit" });
    expect(res.status).toBe(200);
    const submitted = (await proposal(id))!;
    expect(submitted.status).toBe("submitted");
    expect(submitted.revision).toMatchObject({
      number: 1,
      text: "Call upon all States and partners to integrate demining into recovery frameworks;",
    });
    expect(submitted.revision!.content).toEqual([
      {
        type: "paragraph",
        content: [{ type: "text", text: "Call upon all States and partners to integrate demining into recovery frameworks;" }],
      },
    ]);
    expect((await get(f.people.bruno.cookie, page(id))).status).toBe(200);
    expect((await get(f.people.observer.cookie, page(id))).status).toBe(200);
  });

  it("refuses a revision whose text has not changed (409), and records one that has as revision 2", async () => {
    expect((await f.post(f.people.anna, page(id), { intent: "submit" })).status).toBe(409);
    const p = (await proposal(id))!;
    const client = await connectSyncedClient(f.server.wsUrl, p.textDocumentId!, { cookie: f.people.alice.cookie });
    rewriteDraft(client.doc, "Call upon all States to integrate demining fully into recovery frameworks;");
    await waitFor(() => client.isSaved(), { what: "the revision to be saved" });
    // Others still see revision 1 until it is submitted.
    expect((await proposal(id))!.revision!.number).toBe(1);
    client.destroy();
    expect((await f.post(f.people.anna, page(id), { intent: "submit" })).status).toBe(200);
    const revised = (await proposal(id))!;
    expect(revised.revision).toMatchObject({
      number: 2,
      text: "Call upon all States to integrate demining fully into recovery frameworks;",
    });
    expect((await listProposalEvents(f.db.sql, id)).map((e) => e.kind)).toEqual(["created", "submitted", "revised"]);
    const html = await (await get(f.people.bruno.cookie, page(id))).text();
    expect(html).toContain("fully");
    expect(html).not.toContain("and partners");
  });

  it("lets other delegations co-sponsor, support or object (with a reason), and withdraw their position", async () => {
    expect((await f.post(f.people.bruno, page(id), { intent: "object", reason: "" })).status).toBe(400);
    expect((await f.post(f.people.bruno, page(id), { intent: "object", reason: "x".repeat(maxReasonLength + 1) })).status).toBe(400);
    expect((await f.post(f.people.bruno, page(id), { intent: "object", reason: "Too broad for our legislation." })).status).toBe(200);
    expect((await proposal(id))!.positions).toMatchObject([
      { delegationCode: "BRA", position: "object", reason: "Too broad for our legislation." },
    ]);
    // One objection is headed in the singular, the empty lists in the plural.
    const html = await (await get(f.people.bruno.cookie, page(id))).text();
    expect(html).toContain("<h3>Objection</h3>");
    expect(html).not.toContain("<h3>Objections</h3>");
    expect(html).toContain("<h3>Supporters</h3>");
    expect(html).toMatch(/Your delegation’s position: <strong>Objection<\/strong>/);
    expect((await f.post(f.people.bruno, page(id), { intent: "cosponsor" })).status).toBe(200);
    expect((await proposal(id))!.positions).toMatchObject([{ delegationCode: "BRA", position: "cosponsor", reason: "" }]);
    expect((await f.post(f.people.bruno, page(id), { intent: "withdrawPosition" })).status).toBe(200);
    expect((await proposal(id))!.positions).toEqual([]);
    expect((await f.post(f.people.bruno, page(id), { intent: "withdrawPosition" })).status).toBe(409);
    expect((await f.post(f.people.bruno, page(id), { intent: "support" })).status).toBe(200);
    const history = await listProposalEvents(f.db.sql, id);
    expect(history.slice(3).map((e) => [e.kind, e.delegationCode, e.reason])).toEqual([
      ["objected", "BRA", "Too broad for our legislation."],
      ["cosponsored", "BRA", ""],
      ["position_withdrawn", "BRA", ""],
      ["supported", "BRA", ""],
    ]);
  });

  it("says when the clause has changed since the proposal was drafted, and shows the change against the current text", async () => {
    const before = await (await get(f.people.bruno.cookie, page(id))).text();
    expect(before).not.toContain("has changed since this proposal was drafted");
    const chair = await connectSyncedClient(f.server.wsUrl, f.documentId, { cookie: f.people.chair.cookie });
    // OP2 is the third clause (PP1, OP1, OP2).
    typeInClause(chair.doc, 2, "Also ", 0);
    await waitFor(() => chair.isSaved(), { what: "the chair's edit to be saved" });
    chair.destroy();
    const html = pageText(await (await get(f.people.bruno.cookie, page(id))).text());
    expect(html).toContain("OP2 has changed since this proposal was drafted");
    // Against the current text, the chair's "Also " is deleted by the proposal (it was not in the draft).
    expect(html).toContain("[deleted: Also ]");
    expect(html).toContain("[inserted: fully ]");
  });

  it("refuses positions from the sponsoring delegation, the chair and observers (403)", async () => {
    expect((await f.post(f.people.anna, page(id), { intent: "support" })).status).toBe(403);
    expect((await f.post(f.people.chair, page(id), { intent: "support" })).status).toBe(403);
    expect((await f.post(f.people.observer, page(id), { intent: "cosponsor" })).status).toBe(403);
  });

  it("is withdrawn by its sponsors only, and then nothing more can happen to it", async () => {
    expect((await f.post(f.people.bruno, page(id), { intent: "withdraw" })).status).toBe(403);
    expect((await f.post(f.people.anna, page(id), { intent: "withdraw" })).status).toBe(200);
    expect((await proposal(id))!.status).toBe("withdrawn");
    expect((await f.post(f.people.alice, page(id), { intent: "submit" })).status).toBe(409);
    expect((await f.post(f.people.bruno, page(id), { intent: "support" })).status).toBe(409);
    expect((await f.post(f.people.chair, page(id), { intent: "accept" })).status).toBe(409);
    expect((await listProposalEvents(f.db.sql, id)).at(-1)).toMatchObject({ kind: "withdrawn", delegationCode: "NOR" });
  });
});

describe("delete and retain", () => {
  it("have no drafting document; submitting freezes revision 1 with no text, and cannot be repeated", async () => {
    for (const kind of ["delete", "retain"]) {
      const id = await f.propose(f.people.bruno, { kind, clauseId: clauses.OP3 });
      const p = (await proposal(id))!;
      expect(p.textDocumentId).toBeNull();
      expect(p.baseText).toBe("Decide to convey the present Joint Statement to the World Urban Forum.");
      expect((await f.post(f.people.bruno, page(id), { intent: "submit" })).status).toBe(200);
      expect((await proposal(id))!.revision).toMatchObject({ number: 1, content: null, text: "" });
      expect((await f.post(f.people.bruno, page(id), { intent: "submit" })).status).toBe(409);
    }
  });
});

describe("the chair's compromise", () => {
  it("is created by the chair with no delegation; a delegate cannot create one", async () => {
    const res = await f.post(f.people.chair, `/documents/${f.documentId}`, {
      intent: "compromise",
      kind: "replace",
      clauseId: clauses.PP1,
    });
    expect(res.status).toBe(302);
    const p = (await proposal(res.headers.get("location")!.split("/").pop()!))!;
    expect(p).toMatchObject({ delegationId: null, status: "draft", kind: "replace" });
    expect(
      (await f.post(f.people.alice, `/documents/${f.documentId}`, { intent: "compromise", kind: "replace", clauseId: clauses.PP1 })).status,
    ).toBe(403);
  });
});
