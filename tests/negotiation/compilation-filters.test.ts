import { describe, expect, it, type FileFixtures } from "../support/fixtures";
import { createClauseState, createDelegation, createPosition, createProposal } from "../support/factories";
import { compilationEntries, createDelegatesFixture, type DelegatesFixture, shownProposals } from "../support/negotiation";
import { getPage } from "../support/http";

let f: DelegatesFixture;

it.beforeAll(async ({ db }) => {
  f = await createDelegatesFixture(db.sql);
  const { Norway, France, Germany } = f.delegates;
  const base = { documentId: f.documentId };
  // P1 Norway on OP2 (France supports), P2 France on OP3, P3 Germany's rejected text on OP3, P4 Germany's addition after OP5 (France objects).
  const p1 = await createProposal(db.sql, {
    ...base,
    createdBy: Norway.userId,
    delegationId: Norway.delegationId,
    clauseId: f.ids.OP2,
    baseText: f.texts.OP2,
  });
  await createPosition(db.sql, { proposalId: p1.id, delegationId: France.delegationId, position: "support", userId: France.userId });
  await createProposal(db.sql, {
    ...base,
    createdBy: France.userId,
    delegationId: France.delegationId,
    kind: "delete",
    clauseId: f.ids.OP3,
    baseText: f.texts.OP3,
  });
  await createProposal(db.sql, {
    ...base,
    createdBy: Germany.userId,
    delegationId: Germany.delegationId,
    clauseId: f.ids.OP3,
    status: "rejected",
    decisionReason: "No support",
  });
  const p4 = await createProposal(db.sql, {
    ...base,
    createdBy: Germany.userId,
    delegationId: Germany.delegationId,
    kind: "add",
    clauseId: f.ids.OP5,
    text: "New text",
  });
  await createPosition(db.sql, {
    proposalId: p4.id,
    delegationId: France.delegationId,
    position: "object",
    userId: France.userId,
    reason: "Not needed",
  });
  await createClauseState(db.sql, { documentId: f.documentId, clauseId: f.ids.OP1, state: "agreed" });
  await createClauseState(db.sql, { documentId: f.documentId, clauseId: f.ids.PP2, state: "agreed" });
});

const compilation = ({ server }: Pick<FileFixtures, "server">, query: string) =>
  getPage(server.url, `/documents/${f.documentId}/compilation${query}`, f.observer.cookie);

describe("compilation filters", () => {
  it("by delegation: the proposals it sponsored, co-sponsored, supported or objected to, and only the clauses they are on", async ({
    server,
  }) => {
    const { status, html } = await compilation({ server }, `?delegation=${f.delegates.France.delegationId}`);
    expect(status).toBe(200);
    expect(shownProposals(html)).toEqual(["P1", "P2", "P4"]);
    expect(compilationEntries(html).map((e) => e.label)).toEqual(["OP2", "OP3", "OP5 bis"]);
    const norway = await compilation({ server }, `?delegation=${f.delegates.Norway.delegationId}`);
    expect(shownProposals(norway.html)).toEqual(["P1"]);
  });

  it("by clause state: only clauses in that state", async ({ server }) => {
    const { html } = await compilation({ server }, "?state=agreed");
    expect(compilationEntries(html).map((e) => e.label)).toEqual(["PP2", "OP1"]);
    expect(shownProposals(html)).toEqual([]);
  });

  it("by proposal status: only proposals with it", async ({ server }) => {
    const rejected = await compilation({ server }, "?status=rejected");
    expect(shownProposals(rejected.html)).toEqual(["P3"]);
    expect(rejected.html).toContain("No support");
    const submitted = await compilation({ server }, "?status=submitted");
    expect(shownProposals(submitted.html)).toEqual(["P1", "P2", "P4"]);
  });

  it("combines filters, and keeps the counts for the whole statement", async ({ server }) => {
    const { html } = await compilation({ server }, `?delegation=${f.delegates.Germany.delegationId}&status=submitted&state=`);
    expect(shownProposals(html)).toEqual(["P4"]);
    expect(html).toMatch(/<li data-count="agreed"><strong>2<\/strong> of <!-- -->14/);
    expect(html).toMatch(/<li data-count="pending"><strong>3<\/strong> proposals pending/);
    // The form shows the filters in force.
    expect(html).toMatch(new RegExp(`<option value="${f.delegates.Germany.delegationId}" selected="">Germany</option>`));
  });

  it("refuses an unknown state or status and a delegation of another conference with 400", async ({ db, server }) => {
    expect((await compilation({ server }, "?state=finished")).status).toBe(400);
    expect((await compilation({ server }, "?status=pending")).status).toBe(400);
    expect((await compilation({ server }, "?delegation=not-an-id")).status).toBe(400);
    const elsewhere = await createDelegation(db.sql, (await createDelegatesFixture(db.sql)).conferenceId);
    const res = await compilation({ server }, `?delegation=${elsewhere.id}`);
    expect(res.status).toBe(400);
    expect(res.html).toContain("There is no such delegation in this conference.");
  });
});
