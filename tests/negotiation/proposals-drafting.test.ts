import { describe, expect, it } from "../support/fixtures";
import { createProposalFixture, draftParagraphs, rewriteDraft, type ProposalFixture } from "../support/proposals";
import { connectSyncedClient, waitFor } from "../support/clients";
import { upgradeStatus } from "../support/raw-socket";
import { findProposal } from "../../server/queries/proposals";
import { readDraft } from "../../server/negotiation/statement";

/**
 * A proposal's drafting document over the collaboration endpoint: it exists only for its sponsors,
 * who write in it while the proposal is open; a decision or a withdrawal makes their open
 * connections read-only at once.
 */
let f: ProposalFixture;
let clauses: Record<string, string>;

it.beforeAll(async ({ db, server }) => {
  f = await createProposalFixture({ db, server });
  clauses = await f.clauseIds();
});

const page = (id: string) => `/documents/${f.documentId}/proposals/${id}`;
const status = (documentId: string, cookie: string) => upgradeStatus(`${f.server.wsUrl}/${documentId}`, { cookie });

describe("a delegation's drafting document", () => {
  let id: string;
  let draftId: string;

  it.beforeAll(async () => {
    id = await f.propose(f.people.alice, { kind: "add", clauseId: clauses.OP1 });
    draftId = (await findProposal(f.db.sql, f.documentId, id))!.textDocumentId!;
  });

  it("opens (101) for the delegation's members only; everyone else gets 404, as if it did not exist", async () => {
    expect(await status(draftId, f.people.alice.cookie)).toBe(101);
    expect(await status(draftId, f.people.anna.cookie)).toBe(101);
    for (const other of [f.people.bruno, f.people.chair, f.people.observer, f.people.secretariat, f.people.outsider]) {
      expect(await status(draftId, other.cookie)).toBe(404);
    }
    expect(await upgradeStatus(`${f.server.wsUrl}/${draftId}`)).toBe(401);
  });

  it("is writable for the sponsors: an edit is stored and reaches the other member", async () => {
    const alice = await connectSyncedClient(f.server.wsUrl, draftId, { cookie: f.people.alice.cookie });
    const anna = await connectSyncedClient(f.server.wsUrl, draftId, { cookie: f.people.anna.cookie });
    expect(alice.readOnly).toBe(false);
    rewriteDraft(alice.doc, "Request the Centre of Excellence to report annually;");
    await waitFor(() => alice.isSaved(), { what: "the edit to be saved" });
    await waitFor(() => draftParagraphs(anna.doc)[0] === "Request the Centre of Excellence to report annually;", {
      what: "the edit to reach Anna",
    });
    expect((await readDraft(f.db.sql, draftId)).text).toBe("Request the Centre of Excellence to report annually;");
    alice.destroy();
    anna.destroy();
  });

  it("stays closed to other delegations after submission (404), and open to its sponsors", async () => {
    expect((await f.post(f.people.anna, page(id), { intent: "submit" })).status).toBe(200);
    expect(await status(draftId, f.people.bruno.cookie)).toBe(404);
    expect(await status(draftId, f.people.chair.cookie)).toBe(404);
    const alice = await connectSyncedClient(f.server.wsUrl, draftId, { cookie: f.people.alice.cookie });
    expect(alice.readOnly).toBe(false);
    alice.destroy();
  });

  it("turns read-only on the open connection when the proposal is withdrawn, and refuses its edits", async () => {
    const alice = await connectSyncedClient(f.server.wsUrl, draftId, { cookie: f.people.alice.cookie });
    expect(alice.readOnly).toBe(false);
    expect((await f.post(f.people.anna, page(id), { intent: "withdraw" })).status).toBe(200);
    await waitFor(() => alice.readOnly === true, { what: "the connection to turn read-only" });
    rewriteDraft(alice.doc, "Too late;");
    // A fresh sponsor connection is read-only too, and the refused edit never reached the database.
    const anna = await connectSyncedClient(f.server.wsUrl, draftId, { cookie: f.people.anna.cookie });
    expect(anna.readOnly).toBe(true);
    expect(draftParagraphs(anna.doc)[0]).toBe("Request the Centre of Excellence to report annually;");
    expect((await readDraft(f.db.sql, draftId)).text).toBe("Request the Centre of Excellence to report annually;");
    alice.destroy();
    anna.destroy();
  });
});

describe("a compromise's drafting document", () => {
  it("opens for the chair only", async () => {
    const res = await f.post(f.people.chair, `/documents/${f.documentId}`, {
      intent: "compromise",
      kind: "replace",
      clauseId: clauses.OP2,
    });
    const id = res.headers.get("location")!.split("/").pop()!;
    const draftId = (await findProposal(f.db.sql, f.documentId, id))!.textDocumentId!;
    const chair = await connectSyncedClient(f.server.wsUrl, draftId, { cookie: f.people.chair.cookie });
    expect(chair.readOnly).toBe(false);
    expect(draftParagraphs(chair.doc)).toEqual(["Call upon all States to integrate demining into recovery frameworks;"]);
    chair.destroy();
    for (const other of [f.people.alice, f.people.bruno, f.people.secretariat]) expect(await status(draftId, other.cookie)).toBe(404);
  });
});

describe("the statement itself", () => {
  it("is still open to every member, and writable only by the chair and the secretariat", async () => {
    const bruno = await connectSyncedClient(f.server.wsUrl, f.documentId, { cookie: f.people.bruno.cookie });
    const chair = await connectSyncedClient(f.server.wsUrl, f.documentId, { cookie: f.people.chair.cookie });
    expect(bruno.readOnly).toBe(true);
    expect(chair.readOnly).toBe(false);
    bruno.destroy();
    chair.destroy();
  });
});
