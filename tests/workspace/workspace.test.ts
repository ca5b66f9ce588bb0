import { describe, expect, it } from "../support/fixtures";
import { createProposalFixture, type Person, type ProposalFixture } from "../support/proposals";
import { createSignedInPerson, createStatement } from "../support/factories";
import { csrfTokenFor, loaderData } from "../support/http";
import { openEventStream } from "../support/event-stream";
import { waitFor } from "../support/wait";
import { auditEntries } from "../support/audit";
import { publishNegotiationEvent } from "../../server/negotiation/events";
import { findProposal } from "../../server/queries/proposals";
import { maxWorkspaceNoteLength } from "../../app/statement/limits";

/**
 * A delegation's own workspace through the real server: its delegates write and read notes and
 * holds and table their drafts; nobody else (another delegation, the chair, the secretariat, a
 * deployment administrator, an observer of an open conference, a delegate of another conference)
 * reads or changes any of it, over its page, `.data`, the statement page, the event stream,
 * exports, the compilation or the audit trail.
 */
let f: ProposalFixture;
let admin: Person;
let clauses: Record<string, string>;
/** A note's text no other surface may ever show. */
const secret = "Capital says: fall back to 2030 only if BRA moves first";

const workspacePath = () => `/documents/${f.documentId}/workspace`;
const changesPath = () => `/documents/${f.documentId}/workspace-changes`;
const workspaceRoute = "routes/documents.$documentId_.workspace";
const statementRoute = "routes/documents.$documentId";

type Answer = { ok: boolean; message?: string; errors?: Record<string, string[]> };
const postWorkspace = async (who: Person, fields: Record<string, string>) => {
  const res = await f.post(who, changesPath(), fields);
  return { status: res.status, body: (await res.json()) as Answer };
};

interface Loaded {
  paragraphs: {
    clauseId: string;
    label: string;
    held: { setByName: string } | null;
    notes: { id: string; body: string; authorName: string; mine: boolean }[];
    proposals: { id: string; number: number; label: string; status: string }[];
  }[];
}
const workspaceOf = (who: Person) => loaderData<Loaded>(f.server, workspacePath(), workspaceRoute, who.cookie);
const statementMarksOf = async (who: Person) =>
  (
    await loaderData<{ workspace: { held: string[]; notes: Record<string, number> } | null }>(
      f.server,
      `/documents/${f.documentId}`,
      statementRoute,
      who.cookie,
    )
  ).workspace;

const rows = async () => ({
  notes: (await f.db.sql`select clause_id, body from workspace_notes where document_id = ${f.documentId} order by created_at`).map((r) => ({
    ...r,
  })),
  holds: (await f.db.sql`select clause_id, delegation_id from workspace_holds where document_id = ${f.documentId}`).map((r) => ({ ...r })),
});

it.beforeAll(async ({ db, server }) => {
  f = await createProposalFixture({ db, server });
  clauses = await f.clauseIds();
  const a = await createSignedInPerson(db.sql, { isAdmin: true });
  admin = { userId: a.id, cookie: a.cookie, csrf: await csrfTokenFor(server.url, a.cookie), delegationId: null };
});

describe("the delegation's members", () => {
  it("write notes and read each other's; only the author edits or deletes one", async () => {
    const { alice, anna } = f.people;
    const added = await postWorkspace(alice, { intent: "note", clauseId: clauses.OP1, body: `  ${secret}  ` });
    expect(added).toEqual({ status: 200, body: { ok: true, message: "Note added on OP1." } });

    const seen = (await workspaceOf(anna)).paragraphs.find((p) => p.label === "OP1")!;
    expect(seen.notes.map((n) => [n.body, n.authorName, n.mine])).toEqual([[secret, "Alice Berg", false]]);
    const noteId = seen.notes[0].id;
    const page = await fetch(`${f.server.url}${workspacePath()}`, { headers: { cookie: anna.cookie } });
    expect(await page.text()).toContain(secret);

    const editByOther = await postWorkspace(anna, { intent: "edit", noteId, body: "Anna's rewrite" });
    expect(editByOther).toEqual({ status: 403, body: { ok: false, errors: { form: ["Only its author edits a note."] }, values: {} } });
    const deleteByOther = await postWorkspace(anna, { intent: "delete", noteId });
    expect(deleteByOther.status).toBe(403);
    expect((await rows()).notes).toEqual([{ clause_id: clauses.OP1, body: secret }]);

    expect((await postWorkspace(alice, { intent: "edit", noteId, body: `${secret} (confirmed)` })).status).toBe(200);
    expect((await workspaceOf(anna)).paragraphs.find((p) => p.label === "OP1")!.notes.map((n) => n.body)).toEqual([
      `${secret} (confirmed)`,
    ]);
    expect((await postWorkspace(alice, { intent: "edit", noteId, body: secret })).status).toBe(200);

    const scratch = await postWorkspace(anna, { intent: "note", clauseId: clauses.OP2, body: "Scratch" });
    expect(scratch.status).toBe(200);
    const scratchId = (await workspaceOf(anna)).paragraphs.find((p) => p.label === "OP2")!.notes[0].id;
    expect((await postWorkspace(anna, { intent: "delete", noteId: scratchId })).status).toBe(200);
    expect((await rows()).notes).toEqual([{ clause_id: clauses.OP1, body: secret }]);
  });

  it("hold and clear a paragraph, shown on their statement page and workspace", async () => {
    const { alice, anna } = f.people;
    expect(await postWorkspace(anna, { intent: "hold", clauseId: clauses.OP2 })).toEqual({
      status: 200,
      body: { ok: true, message: "OP2 is held, awaiting instructions from capital." },
    });
    expect((await postWorkspace(alice, { intent: "hold", clauseId: clauses.OP2 })).body.errors).toEqual({
      form: ["Your delegation already holds OP2."],
    });
    expect((await workspaceOf(alice)).paragraphs.find((p) => p.label === "OP2")!.held).toMatchObject({ setByName: "Anna Dahl" });
    expect(await statementMarksOf(alice)).toEqual({ held: [clauses.OP2], notes: { [clauses.OP1]: 1 } });

    expect((await postWorkspace(alice, { intent: "hold", clauseId: clauses.OP3 })).status).toBe(200);
    expect(await postWorkspace(alice, { intent: "unhold", clauseId: clauses.OP3 })).toEqual({
      status: 200,
      body: { ok: true, message: "OP3 is no longer held." },
    });
    expect((await postWorkspace(alice, { intent: "unhold", clauseId: clauses.OP3 })).status).toBe(409);
    expect((await rows()).holds).toEqual([{ clause_id: clauses.OP2, delegation_id: alice.delegationId }]);
  });

  it("are refused what is not valid, and nothing changes", async () => {
    const { alice, bruno } = f.people;
    const before = await rows();
    const refusals = [
      [{ intent: "note", clauseId: clauses.OP1, body: "   " }, 400, { body: ["Write the note."] }],
      [
        { intent: "note", clauseId: clauses.OP1, body: "x".repeat(maxWorkspaceNoteLength + 1) },
        400,
        { body: [`Keep the note under ${maxWorkspaceNoteLength.toLocaleString("en")} characters.`] },
      ],
      [
        { intent: "note", clauseId: "no-such-clause", body: "A note" },
        400,
        { clauseId: ["There is no such paragraph in this statement."] },
      ],
      [{ intent: "hold", clauseId: "x".repeat(101) }, 400, { clauseId: ["There is no such paragraph in this statement."] }],
      [{ intent: "edit", noteId: "not-a-uuid", body: "A note" }, 400, { noteId: ["There is no such note."] }],
      [{ intent: "delete", noteId: "00000000-0000-4000-8000-000000000000" }, 404, { form: ["There is no such note."] }],
      [{ intent: "publish" }, 400, { form: ["Choose what to do."] }],
    ] as const;
    for (const [fields, status, errors] of refusals) {
      const answer = await postWorkspace(alice, fields);
      expect([fields.intent, answer.status, answer.body.errors]).toEqual([fields.intent, status, errors]);
    }
    // Another delegation's note is not there for them: the same answer as a note that does not exist.
    const noteId = (await workspaceOf(alice)).paragraphs.find((p) => p.label === "OP1")!.notes[0].id;
    expect(await postWorkspace(bruno, { intent: "delete", noteId })).toMatchObject({
      status: 404,
      body: { errors: { form: ["There is no such note."] } },
    });
    expect(await postWorkspace(bruno, { intent: "unhold", clauseId: clauses.OP2 })).toMatchObject({ status: 409 });
    expect(await rows()).toEqual(before);
  });

  it("table a draft from the workspace, through the proposals' own path, after which everyone sees it", async () => {
    const { alice, anna, bruno, chair } = f.people;
    const draftId = await f.propose(alice, { kind: "delete", clauseId: clauses.OP3 });
    const draft = (await findProposal(f.db.sql, f.documentId, draftId))!;
    // Only the delegation sees its draft: in its workspace, not in anyone else's, and its page is not there for the chair.
    expect((await workspaceOf(anna)).paragraphs.find((p) => p.label === "OP3")!.proposals).toEqual([
      { id: draftId, number: draft.number, label: "Delete OP3", status: "draft", clauseId: clauses.OP3 },
    ]);
    expect((await workspaceOf(bruno)).paragraphs.flatMap((p) => p.proposals)).toEqual([]);
    expect(
      (await fetch(`${f.server.url}/documents/${f.documentId}/proposals/${draftId}`, { headers: { cookie: chair.cookie } })).status,
    ).toBe(404);
    // Another delegation cannot table it: it does not exist for them.
    expect((await postWorkspace(bruno, { intent: "table", proposalId: draftId })).status).toBe(404);
    expect((await findProposal(f.db.sql, f.documentId, draftId))!.status).toBe("draft");

    const before = (await auditEntries(f.db.sql, f.conferenceId)).length;
    expect(await postWorkspace(anna, { intent: "table", proposalId: draftId })).toEqual({
      status: 200,
      body: { ok: true, message: "The proposal is tabled: everyone sees it now." },
    });
    expect((await findProposal(f.db.sql, f.documentId, draftId))!.status).toBe("submitted");
    const audited = (await auditEntries(f.db.sql, f.conferenceId)).slice(before).map((e) => e.action);
    expect(audited).toEqual(["proposal.submitted"]);
    expect(
      (await fetch(`${f.server.url}/documents/${f.documentId}/proposals/${draftId}`, { headers: { cookie: chair.cookie } })).status,
    ).toBe(200);
    // Tabling twice goes through the same checks: a deletion has no text to revise.
    expect(await postWorkspace(anna, { intent: "table", proposalId: draftId })).toMatchObject({ status: 409 });
    expect((await workspaceOf(anna)).paragraphs.find((p) => p.label === "OP3")!.proposals[0].status).toBe("submitted");
  });
});

describe("everyone else", () => {
  const others = () =>
    [
      ["another delegation", f.people.bruno],
      ["the chair", f.people.chair],
      ["the secretariat", f.people.secretariat],
      ["an administrator", admin],
      ["an observer of an open conference", f.people.observer],
    ] as const;

  it("cannot open the workspace page or its .data, and cannot change it", async () => {
    for (const [who, person] of others()) {
      const page = await fetch(`${f.server.url}${workspacePath()}`, { headers: { cookie: person.cookie } });
      const html = await page.text();
      const data = await fetch(`${f.server.url}${workspacePath()}.data?_routes=${encodeURIComponent(workspaceRoute)}`, {
        headers: { cookie: person.cookie },
      });
      const body = await data.text();
      // Bruno has a workspace of his own delegation's, empty; the others have none.
      const expected = person === f.people.bruno ? 200 : 403;
      expect([who, page.status, data.status]).toEqual([who, expected, expected]);
      expect([who, html.includes(secret) || body.includes(secret), html.includes("Anna Dahl") || body.includes("Anna Dahl")]).toEqual([
        who,
        false,
        false,
      ]);
    }
    const outsider = f.people.outsider;
    expect((await fetch(`${f.server.url}${workspacePath()}`, { headers: { cookie: outsider.cookie } })).status).toBe(404);

    const before = await rows();
    for (const [who, person] of [...others(), ["a delegate of another conference", outsider] as const]) {
      if (person === f.people.bruno) continue;
      const attempts: Record<string, string>[] = [
        { intent: "note", clauseId: clauses.OP1, body: "Planted" },
        { intent: "hold", clauseId: clauses.OP1 },
        { intent: "unhold", clauseId: clauses.OP2 },
      ];
      for (const fields of attempts) {
        const res = await f.post(person, changesPath(), fields);
        expect([who, fields.intent, res.status]).toEqual([who, fields.intent, person === outsider ? 404 : 403]);
      }
    }
    expect(await rows()).toEqual(before);
  });

  it("see nothing of it on the statement page, its .data, exports, the compilation or the audit trail", async () => {
    for (const [who, person] of others()) {
      const marks = await statementMarksOf(person);
      expect([who, marks]).toEqual([who, person === f.people.bruno ? { held: [], notes: {} } : null]);
      const html = await fetch(`${f.server.url}/documents/${f.documentId}`, { headers: { cookie: person.cookie } }).then((r) => r.text());
      expect([who, html.includes(secret), html.includes("workspace-mark"), html.includes("awaiting instructions")]).toEqual([
        who,
        false,
        false,
        false,
      ]);
    }
    const surfaces = [
      `/documents/${f.documentId}/compilation`,
      `/documents/${f.documentId}/compilation?view=rolling`,
      `/documents/${f.documentId}?view=rolling`,
      `/documents/${f.documentId}/export?format=md`,
      `/documents/${f.documentId}/export?format=html&rolling=1`,
      `/documents/${f.documentId}/export?format=akn`,
      `/documents/${f.documentId}/consensus`,
      `/documents/${f.documentId}/history`,
      `/conferences/${f.conferenceId}/audit`,
      `/conferences/${f.conferenceId}/audit/download?format=jsonl`,
      `/conferences/${f.conferenceId}/audit/download?format=csv`,
    ];
    for (const path of surfaces) {
      for (const person of [f.people.chair, f.people.secretariat, admin, f.people.alice]) {
        const res = await fetch(`${f.server.url}${path}`, { headers: { cookie: person.cookie } });
        const text = await res.text();
        expect([path, text.includes(secret), text.includes("Capital says")]).toEqual([path, false, false]);
      }
    }
    // Notes and holds are working notes, not decisions: the audit trail has no entry of them at all.
    const actions = new Set((await auditEntries(f.db.sql, f.conferenceId)).map((e) => e.action));
    expect([...actions].filter((a) => a.includes("workspace") || a.includes("note") || a.includes("hold"))).toEqual([]);
  });
});

describe("live", () => {
  it("tells the delegation's own pages of a note or a hold, and no one else's", async () => {
    const { alice, anna, bruno, chair, secretariat, observer } = f.people;
    const open = (p: Person) => openEventStream(f.server.url, f.documentId, p.cookie);
    const fellow = await open(anna);
    const own = await open(alice);
    const outside = {
      bruno: await open(bruno),
      chair: await open(chair),
      secretariat: await open(secretariat),
      admin: await open(admin),
      observer: await open(observer),
    };

    expect((await postWorkspace(alice, { intent: "note", clauseId: clauses.PP1, body: "Live note" })).status).toBe(200);
    await waitFor(() => fellow.events.length === 1 && own.events.length === 1);
    expect(fellow.events).toEqual([{ topic: "workspace", notice: null, supersedes: null }]);
    expect((await postWorkspace(anna, { intent: "hold", clauseId: clauses.PP1 })).status).toBe(200);
    await waitFor(() => own.events.length === 2);
    expect(own.events.map((e) => e.topic)).toEqual(["workspace", "workspace"]);

    // An event everyone hears, sent after them: once it reached every other stream, theirs would have come before it.
    await publishNegotiationEvent(f.db.sql, { documentId: f.documentId, topic: "states" });
    await waitFor(() => Object.values(outside).every((s) => s.events.length === 1));
    for (const [who, stream] of Object.entries(outside)) expect([who, stream.events.map((e) => e.topic)]).toEqual([who, ["states"]]);
    for (const s of [fellow, own, ...Object.values(outside)]) s.close();
  });

  it("tells another statement's pages nothing", async () => {
    const other = await createStatement(f.db.sql);
    const { alice } = f.people;
    const elsewhere = await openEventStream(f.server.url, other.documentId, other.cookie);
    expect((await postWorkspace(alice, { intent: "hold", clauseId: clauses.OP1 })).status).toBe(200);
    await publishNegotiationEvent(f.db.sql, { documentId: other.documentId, topic: "states" });
    await waitFor(() => elsewhere.events.length === 1);
    expect(elsewhere.events.map((e) => e.topic)).toEqual(["states"]);
    elsewhere.close();
  });
});
