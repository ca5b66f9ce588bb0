import { describe, expect, it } from "../support/fixtures";
import { randomUUID } from "node:crypto";
import { createProposal, createSignedInPerson, createStatement } from "../support/factories";
import { getPage } from "../support/http";
import { createDelegatesFixture, type DelegatesFixture, shownProposals } from "../support/negotiation";

let f: DelegatesFixture;
let draftDocumentId: string;

it.beforeAll(async ({ db }) => {
  f = await createDelegatesFixture(db.sql);
  const { Norway } = f.delegates;
  // P1 submitted by Norway; P2 Norway's draft; P3 the chair's draft compromise.
  await createProposal(db.sql, {
    documentId: f.documentId,
    createdBy: Norway.userId,
    delegationId: Norway.delegationId,
    clauseId: f.ids.OP2,
    text: "Submitted words",
  });
  await createProposal(db.sql, {
    documentId: f.documentId,
    createdBy: Norway.userId,
    delegationId: Norway.delegationId,
    clauseId: f.ids.OP3,
    status: "draft",
    text: "Secret draft wording",
  });
  await createProposal(db.sql, {
    documentId: f.documentId,
    createdBy: f.chair.userId,
    delegationId: null,
    clauseId: f.ids.OP4,
    status: "draft",
    text: "Chair compromise",
  });
  [{ draftDocumentId }] = await db.sql<
    { draftDocumentId: string }[]
  >`select text_document_id as "draftDocumentId" from proposals where number = 2`;
});

const path = () => `/documents/${f.documentId}/compilation`;

describe("who sees what in the compilation", () => {
  it("shows a delegation's draft to its own delegates, with the draft's text", async ({ server }) => {
    const { status, html } = await getPage(server.url, path(), f.delegates.Norway.cookie);
    expect(status).toBe(200);
    expect(shownProposals(html)).toEqual(["P1", "P2"]);
    expect(html).toContain("Secret draft wording");
    expect(html).toContain(">Draft<");
  });

  it("hides drafts from other delegations and observers, and does not count them", async ({ server }) => {
    for (const cookie of [f.delegates.France.cookie, f.observer.cookie]) {
      const { status, html } = await getPage(server.url, path(), cookie);
      expect(status).toBe(200);
      expect(shownProposals(html)).toEqual(["P1"]);
      expect(html).not.toContain("Secret draft wording");
      expect(html).not.toContain("Chair compromise");
      expect(html).toMatch(/<li data-count="open"><strong>1<\/strong> clauses with open proposals/);
    }
  });

  it("shows the chair's draft compromise to the chair only", async ({ server }) => {
    const { html } = await getPage(server.url, path(), f.chair.cookie);
    expect(shownProposals(html)).toEqual(["P1", "P3"]);
    expect(html).toContain("Chair compromise");
    expect(html).not.toContain("Secret draft wording");
  });

  it("answers 404 to someone from another conference, and to forged or non-statement document ids", async ({ db, server }) => {
    const other = await createStatement(db.sql);
    const outsider = await createSignedInPerson(db.sql, { conferenceId: other.conferenceId, role: "secretariat" });
    expect((await getPage(server.url, path(), outsider.cookie)).status).toBe(404);
    expect((await getPage(server.url, `/documents/${randomUUID()}/compilation`, f.chair.cookie)).status).toBe(404);
    expect((await getPage(server.url, `/documents/not-a-uuid/compilation`, f.chair.cookie)).status).toBe(404);
    // A proposal's drafting document is no statement.
    expect((await getPage(server.url, `/documents/${draftDocumentId}/compilation`, f.delegates.Norway.cookie)).status).toBe(404);
  });

  it("sends someone signed out to sign in", async ({ server }) => {
    const res = await getPage(server.url, path(), null);
    expect(res.status).toBe(302);
  });
});
