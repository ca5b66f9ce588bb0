import * as Y from "yjs";
import { describe, expect, it } from "../support/fixtures";
import { createProposalFixture, rewriteDraft, type Person, type ProposalFixture } from "../support/proposals";
import { connectSyncedClient, waitFor } from "../support/clients";
import { lastSeq } from "../support/audit";
import { findProposal } from "../../server/queries/proposals";
import { proposalField } from "../../app/statement/proposal-schema";
import { maxProposalTextLength, maxReasonLength } from "../../app/statement/limits";
import { currentStatement } from "../../server/negotiation/numbering";
import { pageText } from "../support/http";

/**
 * What a delegation writes is bounded: a proposal's text at submission and at each revision, its
 * structure, every reason; a refusal is a clear 400 and changes nothing. A delegation cannot
 * submit a proposal identical to one already open, its own or another delegation's.
 */
let f: ProposalFixture;
let clauses: Record<string, string>;

it.beforeAll(async ({ db, server }) => {
  f = await createProposalFixture({ db, server });
  clauses = await f.clauseIds();
});

const page = (id: string) => `/documents/${f.documentId}/proposals/${id}`;
const proposal = (id: string) => findProposal(f.db.sql, f.documentId, id);

/** Writes a proposal's draft as one of its sponsors, through the collaboration server. */
async function writeDraft(who: Person, id: string, edit: (doc: Y.Doc) => void) {
  const client = await connectSyncedClient(f.server.wsUrl, (await proposal(id))!.textDocumentId!, { cookie: who.cookie });
  edit(client.doc);
  await waitFor(() => client.isSaved(), { what: "the draft to be saved" });
  client.destroy();
}

/** A proposal of `who`'s delegation on a clause, its draft set to `text` and submitted; returns its id. */
async function submitted(who: Person, kind: string, clause: string, text?: string): Promise<string> {
  const id = await f.propose(who, { kind, clauseId: clauses[clause] });
  if (text !== undefined) await writeDraft(who, id, (doc) => rewriteDraft(doc, text));
  const res = await f.post(who, page(id), { intent: "submit" });
  expect(res.status, await res.clone().text()).toBe(200);
  return id;
}

/** Everything a refused submission must leave as it was. */
async function unchanged(id: string) {
  const p = (await proposal(id))!;
  return { status: p.status, revision: p.revision?.number ?? null, audit: await lastSeq(f.db.sql, f.conferenceId) };
}

describe("the length of a proposal's text", () => {
  it("is refused at submission beyond the limit (400, saying so), nothing changed; at the limit it is submitted", async () => {
    const id = await f.propose(f.people.alice, { kind: "replace", clauseId: clauses.OP1 });
    await writeDraft(f.people.alice, id, (doc) => rewriteDraft(doc, "x".repeat(maxProposalTextLength + 1)));
    const before = await unchanged(id);
    const res = await f.post(f.people.alice, page(id), { intent: "submit" });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain(
      `Keep the proposed text under ${maxProposalTextLength} characters (it has ${maxProposalTextLength + 1})`,
    );
    expect(await unchanged(id)).toEqual(before);
    expect(before).toMatchObject({ status: "draft", revision: null });

    await writeDraft(f.people.alice, id, (doc) => rewriteDraft(doc, "y".repeat(maxProposalTextLength)));
    expect((await f.post(f.people.alice, page(id), { intent: "submit" })).status).toBe(200);
    expect((await proposal(id))!.revision!.text).toHaveLength(maxProposalTextLength);
  });

  it("is refused for a revision beyond the limit too: revision 1 stays what everyone sees", async () => {
    const id = await submitted(f.people.alice, "replace", "OP2", "Call upon all States to integrate demining;");
    await writeDraft(f.people.alice, id, (doc) => rewriteDraft(doc, "z ".repeat(maxProposalTextLength)));
    const before = await unchanged(id);
    const res = await f.post(f.people.anna, page(id), { intent: "submit" });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("Keep the proposed text under");
    expect(await unchanged(id)).toEqual(before);
    expect((await proposal(id))!.revision).toMatchObject({ number: 1, text: "Call upon all States to integrate demining;" });
  });

  it("does not let a few words carry a great deal of structure (every character its own formatting)", async () => {
    // Thousands of empty paragraphs the collaboration server already refuses in the draft (2,000
    // children per element at most); formatting that changes with every character it takes.
    const id = await f.propose(f.people.bruno, { kind: "replace", clauseId: clauses.OP3 });
    await writeDraft(f.people.bruno, id, (doc) => {
      rewriteDraft(doc, "Decide.");
      const paragraph = doc.getXmlFragment(proposalField).get(0) as Y.XmlElement;
      (paragraph.get(0) as Y.XmlText).applyDelta(
        Array.from({ length: 3000 }, (_, i) => ({ insert: "x", attributes: i % 2 ? { bold: {} } : { italic: {} } })),
      );
    });
    const before = await unchanged(id);
    const res = await f.post(f.people.bruno, page(id), { intent: "submit" });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("too many paragraphs or too much formatting");
    expect(await unchanged(id)).toEqual(before);
  });

  it("is mirrored in the forms: reasons carry maxlength, the compromise editor counts against the limit", async () => {
    const id = await submitted(f.people.alice, "delete", "PP1");
    const html = await (await fetch(`${f.server.url}${page(id)}`, { headers: { cookie: f.people.chair.cookie } })).text();
    expect(html).toMatch(new RegExp(`id="decision-reason"[^>]*maxLength="${maxReasonLength}"`, "i"));
    expect(html).toMatch(new RegExp(`class="hint char-count" data-max-length="${maxProposalTextLength}"`));
    // It starts from PP1 as written, counted as the editor counts it.
    const pp1 = (await f.clauseIds()).PP1;
    const text = (await currentStatement(f.db.sql, f.documentId)).clauses.find((c) => c.id === pp1)!.text;
    expect(pageText(html)).toContain(`${text.length.toLocaleString("en")} of ${maxProposalTextLength.toLocaleString("en")} characters`);
  });
});

describe("reasons", () => {
  it("are taken up to the one limit for every reason, and refused beyond it (400), nothing changed", async () => {
    const id = await submitted(f.people.alice, "retain", "OP3");
    const before = await unchanged(id);
    const long = await f.post(f.people.bruno, page(id), { intent: "object", reason: "r".repeat(maxReasonLength + 1) });
    expect(long.status).toBe(400);
    expect(await long.text()).toContain(`Keep the reason under ${maxReasonLength} characters`);
    expect(await unchanged(id)).toEqual(before);
    expect((await proposal(id))!.positions).toEqual([]);

    expect((await f.post(f.people.bruno, page(id), { intent: "object", reason: "r".repeat(maxReasonLength) })).status).toBe(200);
    const objection = "o".repeat(maxReasonLength + 1);
    const silence = await f.post(f.people.alice, `/documents/${f.documentId}/silence`, { intent: "object", objection });
    expect(silence.status).toBe(400);
    expect(await silence.text()).toContain(`Keep the objection under ${maxReasonLength} characters`);
  });
});

describe("the same proposal twice", () => {
  const text = "Call upon all States to integrate humanitarian demining into national recovery frameworks;";

  it("is refused to any delegation while the first is open (409, naming it), nothing changed; once it is withdrawn it may go ahead", async () => {
    const first = await submitted(f.people.alice, "replace", "OP2", text);
    const number = (await proposal(first))!.number;
    const again = await f.propose(f.people.anna, { kind: "replace", clauseId: clauses.OP2 });
    await writeDraft(f.people.anna, again, (doc) => rewriteDraft(doc, text));
    const before = await unchanged(again);
    const res = await f.post(f.people.anna, page(again), { intent: "submit" });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain(`Your delegation already submitted this very proposal as P${number}`);
    expect(await unchanged(again)).toEqual(before);

    // Another delegation, the same words: it is pointed to the open one, which it may support.
    const theirs = await f.propose(f.people.bruno, { kind: "replace", clauseId: clauses.OP2 });
    await writeDraft(f.people.bruno, theirs, (doc) => rewriteDraft(doc, text));
    const theirsBefore = await unchanged(theirs);
    const refused = await f.post(f.people.bruno, page(theirs), { intent: "submit" });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain(`An identical proposal is already open on OP2: P${number}. Support it instead.`);
    expect(await unchanged(theirs)).toEqual(theirsBefore);
    expect(theirsBefore).toMatchObject({ status: "draft", revision: null });

    // Once the first is withdrawn, the second may go ahead.
    expect((await f.post(f.people.alice, page(first), { intent: "withdraw" })).status).toBe(200);
    expect((await f.post(f.people.anna, page(again), { intent: "submit" })).status).toBe(200);
  });

  it("is refused for a deletion or retention of the same clause, which has no text", async () => {
    const first = await submitted(f.people.bruno, "delete", "OP1");
    const again = await f.propose(f.people.bruno, { kind: "delete", clauseId: clauses.OP1 });
    const res = await f.post(f.people.bruno, page(again), { intent: "submit" });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain(`already submitted this very proposal as P${(await proposal(first))!.number}`);
    // A different kind on the same clause is a different proposal.
    await submitted(f.people.bruno, "retain", "OP1");
  });

  it("is refused when two identical drafts are submitted at the same moment: exactly one goes through", async () => {
    const same = "Encourage regional cooperation on mine action;";
    const [a, b] = [
      await f.propose(f.people.alice, { kind: "add", clauseId: clauses.OP3 }),
      await f.propose(f.people.anna, { kind: "add", clauseId: clauses.OP3 }),
    ];
    await writeDraft(f.people.alice, a, (doc) => rewriteDraft(doc, same));
    await writeDraft(f.people.anna, b, (doc) => rewriteDraft(doc, same));
    const results = await Promise.all([
      f.post(f.people.alice, page(a), { intent: "submit" }),
      f.post(f.people.anna, page(b), { intent: "submit" }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
  });
});
