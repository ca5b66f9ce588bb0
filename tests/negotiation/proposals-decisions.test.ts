import { describe, expect, it } from "../support/fixtures";
import { compromiseContent, createProposalFixture, rewriteDraft, type ProposalFixture } from "../support/proposals";
import { connectSyncedClient, waitFor, type TestClient } from "../support/clients";
import { clauseElements, clauseTexts, storedDoc } from "../support/statement";
import { findProposal, listProposalEvents } from "../../server/queries/proposals";

/**
 * The chair's decisions: an accepted text goes into the base text as one change, stored and
 * relayed to everyone connected; a rejection or a merge is recorded with who, when and why.
 */
let f: ProposalFixture;
let clauses: Record<string, string>;
/** An observer's statement, open since before any decision. */
let watcher: TestClient;

it.beforeAll(async ({ db, server }) => {
  f = await createProposalFixture({ db, server });
  clauses = await f.clauseIds();
  watcher = await connectSyncedClient(f.server.wsUrl, f.documentId, { cookie: f.people.observer.cookie });
});

const page = (id: string) => `/documents/${f.documentId}/proposals/${id}`;
const proposal = (id: string) => findProposal(f.db.sql, f.documentId, id);
const ids = (doc: Parameters<typeof clauseElements>[0]) => clauseElements(doc).map((c) => c.getAttribute("id"));

/** Proposes as a delegate, writes `text` in the draft (if any) and submits it. */
async function submitted(who: ProposalFixture["people"]["alice"], fields: Record<string, string>, text?: string): Promise<string> {
  const id = await f.propose(who, fields);
  if (text !== undefined) {
    const draft = await connectSyncedClient(f.server.wsUrl, (await proposal(id))!.textDocumentId!, { cookie: who.cookie });
    rewriteDraft(draft.doc, text);
    await waitFor(() => draft.isSaved(), { what: "the draft to be saved" });
    draft.destroy();
  }
  expect((await f.post(who, page(id), { intent: "submit" })).status).toBe(200);
  return id;
}

describe("accepting", () => {
  it("a replacement puts the latest revision into the clause, seen live by a connected client and stored in PostgreSQL", async () => {
    const id = await submitted(f.people.alice, { kind: "replace", clauseId: clauses.OP2 }, "Call upon all States and partners to act now;");
    // A sponsor still has the draft open; once decided, it can no longer change.
    const draft = await connectSyncedClient(f.server.wsUrl, (await proposal(id))!.textDocumentId!, { cookie: f.people.anna.cookie });
    expect(draft.readOnly).toBe(false);
    expect((await f.post(f.people.chair, page(id), { intent: "accept", reason: "Consensus in the room." })).status).toBe(200);
    await waitFor(() => draft.readOnly === true, { what: "the sponsor's drafting connection to turn read-only" });
    draft.destroy();
    await waitFor(() => clauseTexts(watcher.doc)[2] === "Call upon all States and partners to act now;", {
      what: "the new text to reach the observer",
    });
    const stored = await storedDoc(f.db.sql, f.documentId);
    expect(clauseTexts(stored)[2]).toBe("Call upon all States and partners to act now;");
    // The same clause, with the same id, in the same place.
    expect(ids(stored)).toEqual(ids(watcher.doc));
    expect(ids(stored)[2]).toBe(clauses.OP2);
    const p = (await proposal(id))!;
    expect(p).toMatchObject({ status: "accepted", decidedBy: f.people.chair.userId, decisionReason: "Consensus in the room." });
    expect((await listProposalEvents(f.db.sql, id)).at(-1)).toMatchObject({ kind: "accepted", reason: "Consensus in the room." });
    // Decided once: a second acceptance is refused.
    expect((await f.post(f.people.chair, page(id), { intent: "accept" })).status).toBe(409);
  });

  it("an addition inserts a new clause with a fresh id after its anchor, and records that id", async () => {
    const id = await submitted(f.people.bruno, { kind: "add", clauseId: clauses.OP1 }, "Request a report on progress by 2027;");
    const before = ids(watcher.doc);
    expect((await f.post(f.people.chair, page(id), { intent: "accept" })).status).toBe(200);
    await waitFor(() => clauseTexts(watcher.doc)[2] === "Request a report on progress by 2027;", {
      what: "the new clause to reach the observer",
    });
    const p = (await proposal(id))!;
    const after = ids(await storedDoc(f.db.sql, f.documentId));
    expect(after).toEqual([before[0], before[1], p.newClauseId, ...before.slice(2)]);
    expect(p.newClauseId).toMatch(/^c[0-9a-z]{12}$/);
    expect(before).not.toContain(p.newClauseId);
  });

  it("an addition at the start of a part puts the clause first in it", async () => {
    const id = await submitted(f.people.bruno, { kind: "add", part: "op" }, "Welcome the host's offer;");
    expect((await f.post(f.people.chair, page(id), { intent: "accept" })).status).toBe(200);
    const stored = await storedDoc(f.db.sql, f.documentId);
    expect(clauseTexts(stored)[1]).toBe("Welcome the host's offer;");
    expect(ids(stored)[1]).toBe((await proposal(id))!.newClauseId);
  });

  it("a deletion removes the clause; the last clause of a part cannot go (409)", async () => {
    const id = await submitted(f.people.alice, { kind: "delete", clauseId: clauses.OP3 });
    expect((await f.post(f.people.chair, page(id), { intent: "accept" })).status).toBe(200);
    await waitFor(() => !ids(watcher.doc).includes(clauses.OP3), { what: "the clause to disappear for the observer" });
    expect(ids(await storedDoc(f.db.sql, f.documentId))).not.toContain(clauses.OP3);

    const last = await submitted(f.people.alice, { kind: "delete", clauseId: clauses.PP1 });
    const res = await f.post(f.people.chair, page(last), { intent: "accept" });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain("a part keeps at least one clause");
    expect((await proposal(last))!.status).toBe("submitted");
    expect(ids(await storedDoc(f.db.sql, f.documentId))).toContain(clauses.PP1);
  });

  it("a retention changes no text", async () => {
    const before = JSON.stringify(clauseTexts(await storedDoc(f.db.sql, f.documentId)));
    const id = await submitted(f.people.bruno, { kind: "retain", clauseId: clauses.OP1 });
    expect((await f.post(f.people.chair, page(id), { intent: "accept" })).status).toBe(200);
    expect((await proposal(id))!.status).toBe("accepted");
    expect(JSON.stringify(clauseTexts(await storedDoc(f.db.sql, f.documentId)))).toBe(before);
  });
});

describe("rejecting", () => {
  it("records the chair's reason and leaves the text alone", async () => {
    const before = JSON.stringify(clauseTexts(await storedDoc(f.db.sql, f.documentId)));
    const id = await submitted(f.people.bruno, { kind: "replace", clauseId: clauses.OP1 }, "Reaffirm nothing;");
    expect((await f.post(f.people.chair, page(id), { intent: "reject", reason: "No support in the room." })).status).toBe(200);
    expect((await proposal(id))!).toMatchObject({ status: "rejected", decisionReason: "No support in the room." });
    expect(JSON.stringify(clauseTexts(await storedDoc(f.db.sql, f.documentId)))).toBe(before);
  });
});

describe("merging", () => {
  it("closes proposals on a clause as merged into a submitted compromise, which can then be accepted", async () => {
    const one = await submitted(f.people.alice, { kind: "replace", clauseId: clauses.OP1 }, "Reaffirm that demining comes first;");
    const two = await submitted(f.people.bruno, { kind: "delete", clauseId: clauses.OP1 });
    const elsewhere = await submitted(f.people.bruno, { kind: "retain", clauseId: clauses.OP2 });
    // Only proposals on one clause, and a compromise text is needed.
    expect(
      (await f.post(f.people.chair, page(one), { intent: "merge", merge: [one, elsewhere], content: compromiseContent("Anything.") }))
        .status,
    ).toBe(400);
    expect((await f.post(f.people.chair, page(one), { intent: "merge", merge: [one, two], content: compromiseContent("  ") })).status).toBe(
      400,
    );
    // What the chair's editor cannot write is refused, and nothing is merged.
    for (const content of ['[{"type":"script","content":[{"type":"text","text":"x"}]}]', "{not json", '"Plain text"']) {
      const refused = await f.post(f.people.chair, page(one), { intent: "merge", merge: [one, two], content });
      expect(refused.status).toBe(400);
      expect(await refused.text()).toContain("The compromise text could not be read");
    }
    expect((await proposal(one))!.status).toBe("submitted");

    const res = await f.post(f.people.chair, page(one), {
      intent: "merge",
      merge: [one, two],
      content: compromiseContent("Reaffirm that humanitarian demining comes first in recovery;", 1),
      reason: "Bridging the two positions.",
    });
    expect(res.status).toBe(200);
    const merged = [(await proposal(one))!, (await proposal(two))!];
    const compromiseId = merged[0].mergedInto!;
    expect(merged.map((p) => [p.status, p.mergedInto, p.decisionReason])).toEqual([
      ["merged", compromiseId, "Bridging the two positions."],
      ["merged", compromiseId, "Bridging the two positions."],
    ]);
    const compromise = (await proposal(compromiseId))!;
    expect(compromise).toMatchObject({ delegationId: null, status: "submitted", kind: "replace", clauseId: clauses.OP1 });
    expect(compromise.revision).toMatchObject({ number: 1, text: "Reaffirm that humanitarian demining comes first in recovery;" });
    // As the chair wrote it: the opening word in italics (a plain textarea used to lose it).
    expect(compromise.revision!.content).toEqual([
      {
        type: "paragraph",
        content: [
          { type: "text", text: "Reaffirm", marks: [{ type: "italic" }] },
          { type: "text", text: " that humanitarian demining comes first in recovery;" },
        ],
      },
    ]);
    expect((await proposal(elsewhere))!.status).toBe("submitted");

    // Delegations can see and support it, and the chair accepts it like any other.
    expect((await f.post(f.people.bruno, page(compromiseId), { intent: "support" })).status).toBe(200);
    expect((await f.post(f.people.chair, page(compromiseId), { intent: "accept" })).status).toBe(200);
    const op1Text = () => clauseTexts(watcher.doc)[ids(watcher.doc).indexOf(clauses.OP1)];
    await waitFor(() => op1Text() === "Reaffirm that humanitarian demining comes first in recovery;", {
      what: "the compromise to reach the observer",
    });
  });
});
