import { describe, expect, it } from "../support/fixtures";
import { createProposalFixture, rewriteDraft, type Person, type ProposalFixture } from "../support/proposals";
import { connectSyncedClient, waitFor } from "../support/clients";
import { findProposal } from "../../server/queries/proposals";

/**
 * Every page showing the statement is sent to everyone on each live reload, so it carries what is
 * under negotiation and no more: the latest revision of each proposal (earlier ones load on
 * demand), and of a withdrawn or rejected proposal only the start of its text; the proposal's own
 * page has it all.
 */
let f: ProposalFixture;
let clauses: Record<string, string>;

it.beforeAll(async ({ db, server }) => {
  f = await createProposalFixture({ db, server });
  clauses = await f.clauseIds();
});

const page = (id: string) => `/documents/${f.documentId}/proposals/${id}`;
const get = (who: Person, path: string) => fetch(`${f.server.url}${path}`, { headers: { cookie: who.cookie }, redirect: "manual" });
const html = async (who: Person, path: string) => (await get(who, path)).text();

/** A long text, distinct throughout, so that any part of it sent along shows. */
const longText = (tag: string) =>
  Array.from({ length: 300 }, (_, i) => `${tag}${i}`)
    .join(" ")
    .slice(0, 2500);

async function submit(who: Person, id: string, text: string) {
  const client = await connectSyncedClient(f.server.wsUrl, (await findProposal(f.db.sql, f.documentId, id))!.textDocumentId!, {
    cookie: who.cookie,
  });
  rewriteDraft(client.doc, text);
  await waitFor(() => client.isSaved(), { what: "the draft to be saved" });
  client.destroy();
  const res = await f.post(who, page(id), { intent: "submit" });
  expect(res.status).toBe(200);
}

describe("withdrawn and rejected proposals", () => {
  let withdrawn: string;
  let rejected: string;
  let open: string;

  it.beforeAll(async () => {
    withdrawn = await f.propose(f.people.alice, { kind: "replace", clauseId: clauses.OP1 });
    await submit(f.people.alice, withdrawn, longText("withdrawnword"));
    expect((await f.post(f.people.alice, page(withdrawn), { intent: "withdraw" })).status).toBe(200);
    rejected = await f.propose(f.people.bruno, { kind: "add", clauseId: clauses.OP2 });
    await submit(f.people.bruno, rejected, longText("rejectedword"));
    expect((await f.post(f.people.chair, page(rejected), { intent: "reject", reason: "No support." })).status).toBe(200);
    open = await f.propose(f.people.bruno, { kind: "replace", clauseId: clauses.OP1 });
    await submit(f.people.bruno, open, longText("openword"));
  });

  it("are shown on the statement and the compilation pages by the start of their text and a link, in full on their own page", async () => {
    for (const path of [`/documents/${f.documentId}`, `/documents/${f.documentId}/compilation`]) {
      const body = await html(f.people.observer, path);
      for (const [id, tag] of [
        [withdrawn, "withdrawnword"],
        [rejected, "rejectedword"],
      ]) {
        expect(body, path).toContain(`${tag}0 ${tag}1 ${tag}2`);
        expect(body, path).not.toContain(`${tag}299`);
        expect(body, path).not.toContain(`${tag}150`);
        // The statement page's side panel links to it once the clause is chosen (in the browser).
        if (path.endsWith("/compilation")) expect(body, path).toMatch(new RegExp(`href="[^"]*/proposals/${id}"`));
      }
      // What is still under negotiation is there in full.
      expect(body, path).toContain("openword150");
    }
    expect(await html(f.people.observer, page(withdrawn))).toContain("withdrawnword150");
    expect(await html(f.people.observer, page(rejected))).toContain("rejectedword150");
  });
});

describe("earlier revisions", () => {
  let id: string;

  it.beforeAll(async () => {
    id = await f.propose(f.people.alice, { kind: "replace", clauseId: clauses.OP3 });
    await submit(f.people.alice, id, "Decide to convey the Joint Statement, first wording.");
    await submit(f.people.anna, id, "Decide to convey the Joint Statement, second wording.");
    await submit(f.people.alice, id, "Decide to convey the Joint Statement, third wording.");
  });

  it("are listed on the proposal's page without their texts, which the page loads when one is opened", async () => {
    const body = await html(f.people.bruno, page(id));
    expect(body).toContain("third wording");
    expect(body).not.toContain("first wording");
    expect(body).not.toContain("second wording");
    expect(body).toContain("Earlier revisions");
    expect(body).toMatch(/Revision <!-- -->2/);
    expect(body).toMatch(/Revision <!-- -->1/);

    const res = await get(f.people.bruno, `${page(id)}/revisions/1`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ revision: 1, text: "Decide to convey the Joint Statement, first wording.", kind: "replace" });
    // For those who may see the proposal only; an unknown revision is 404.
    expect((await get(f.people.outsider, `${page(id)}/revisions/1`)).status).toBe(404);
    expect((await get(f.people.bruno, `${page(id)}/revisions/9`)).status).toBe(404);
    expect((await get(f.people.bruno, `${page(id)}/revisions/first`)).status).toBe(404);
    // A draft is its delegation's alone.
    const draft = await f.propose(f.people.alice, { kind: "replace", clauseId: clauses.OP2 });
    expect((await get(f.people.bruno, `${page(draft)}/revisions/1`)).status).toBe(404);
  });
});
