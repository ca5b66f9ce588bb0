import { randomUUID } from "node:crypto";
import * as Y from "yjs";
import { describe, expect, it } from "../support/fixtures";
import { createProposalFixture, type ProposalFixture } from "../support/proposals";
import { connectSyncedClient, waitFor, type TestClient } from "../support/clients";
import { clauseTexts, statementFragment, typeInClause } from "../support/statement";
import { saveRevision, storedVersions, versionDoc } from "../support/versions";
import { pageText } from "../support/http";

/**
 * A named revision holds the statement exactly as it was (its full Yjs state, byte for byte
 * restorable) and its clause states; the chair and the secretariat save them, every member sees
 * the history and opens any version read-only.
 */
let f: ProposalFixture;
let chair: TestClient;
let revId: string;

it.beforeAll(async ({ db, server }) => {
  f = await createProposalFixture({ db, server });
  chair = await connectSyncedClient(f.server.wsUrl, f.documentId, { cookie: f.people.chair.cookie });
  typeInClause(chair.doc, 1, " and mine risk education");
  await waitFor(() => chair.isSaved(), { what: "the chair's edit to be saved" });
  const ids = await f.clauseIds();
  await f.db
    .sql`insert into clause_states (document_id, clause_id, state, user_id) values (${f.documentId}, ${ids.OP2}, 'under_negotiation', ${f.people.chair.userId})`;
  revId = await saveRevision(f, f.people.chair, "Rev.1");
});

const history = () => `/documents/${f.documentId}/history`;
const get = (path: string, cookie: string) => fetch(`${f.server.url}${path}`, { headers: { cookie }, redirect: "manual" });

describe("a named revision", () => {
  it("stores the exact state the room had: same state vector and content, and its encoding decodes to itself byte for byte", async () => {
    const [v] = await storedVersions(f);
    expect(v).toMatchObject({ id: revId, kind: "named", name: "Rev.1", createdBy: f.people.chair.userId, number: 1 });
    const doc = versionDoc(v.state);
    expect(Buffer.from(Y.encodeStateAsUpdate(doc)).equals(v.state)).toBe(true);
    expect(Buffer.from(Y.encodeStateVector(doc)).equals(v.stateVector)).toBe(true);
    expect(Buffer.from(Y.encodeStateVector(chair.doc)).equals(v.stateVector)).toBe(true);
    expect(statementFragment(doc).toJSON()).toBe(statementFragment(chair.doc).toJSON());
    expect(clauseTexts(doc)[1]).toContain("and mine risk education");
    const ids = await f.clauseIds();
    expect(v.clauseStates).toEqual({ [ids.OP2]: "under_negotiation" });
    doc.destroy();
  });

  it("is saved by the chair and the secretariat only; a name is required", async () => {
    expect((await f.post(f.people.secretariat, history(), { intent: "create", name: "Secretariat copy" })).status).toBe(200);
    expect((await f.post(f.people.alice, history(), { intent: "create", name: "Mine" })).status).toBe(403);
    expect((await f.post(f.people.observer, history(), { intent: "create", name: "Mine" })).status).toBe(403);
    expect((await f.post(f.people.outsider, history(), { intent: "create", name: "Mine" })).status).toBe(404);
    const empty = await f.post(f.people.chair, history(), { intent: "create", name: "  " });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain("Name the revision");
    expect((await storedVersions(f)).map((v) => v.name)).toEqual(["Secretariat copy", "Rev.1"]);
  });
});

describe("the history page", () => {
  it("lists the revisions with who saved them, for every member; 404 for others", async () => {
    const res = await get(history(), f.people.observer.cookie);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(`data-version="Rev.1"`);
    expect(html).toContain(`data-version="Secretariat copy"`);
    const [{ name }] = await f.db.sql<{ name: string }[]>`select name from users where id = ${f.people.chair.userId}`;
    expect(pageText(html)).toMatch(new RegExp(`Rev\\.1 · ${name} · \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC`));
    // An observer may look, not save or restore.
    expect(html).not.toContain(`name="intent" value="create"`);
    expect(html).not.toContain(`aria-label="Restore Rev.1"`);
    const chairPage = await (await get(history(), f.people.chair.cookie)).text();
    expect(chairPage).toContain(`name="intent" value="create"`);
    expect(chairPage).toContain(`aria-label="Restore Rev.1"`);
    expect((await get(history(), f.people.outsider.cookie)).status).toBe(404);
  });
});

describe("a version opened", () => {
  it("shows its text read-only, with its clause labels and states", async () => {
    const res = await get(`/documents/${f.documentId}/versions/${revId}`, f.people.alice.cookie);
    expect(res.status).toBe(200);
    const html = await res.text();
    const text = pageText(html);
    expect(text).toContain("and mine risk education");
    expect(text).toContain("OP2");
    expect(text).toContain("Under negotiation");
    expect(html).not.toContain("contenteditable");
  });

  it("shows it as it was, not as the text is now", async () => {
    typeInClause(chair.doc, 2, " LATER WORDS");
    await waitFor(() => chair.isSaved(), { what: "the later edit to be saved" });
    const text = pageText(await (await get(`/documents/${f.documentId}/versions/${revId}`, f.people.observer.cookie)).text());
    expect(text).not.toContain("LATER WORDS");
  });

  it("answers 404 for a forged id, another statement's version, and for outsiders", async () => {
    expect((await get(`/documents/${f.documentId}/versions/${randomUUID()}`, f.people.chair.cookie)).status).toBe(404);
    expect((await get(`/documents/${f.documentId}/versions/not-an-id`, f.people.chair.cookie)).status).toBe(404);
    expect((await get(`/documents/${f.other.documentId}/versions/${revId}`, f.other.chair.cookie)).status).toBe(404);
    expect((await get(`/documents/${f.documentId}/versions/${revId}`, f.people.outsider.cookie)).status).toBe(404);
  });
});

describe("exporting a version", () => {
  it("names the current text after the newest revision, and says when it has changed since", async () => {
    const today = new Date().toISOString().slice(0, 10);
    const current = await get(`/documents/${f.documentId}/export?format=docx&draft=1`, f.people.chair.cookie);
    // The newest revision is the secretariat's copy; "LATER WORDS" were typed after it.
    expect(current.headers.get("content-disposition")).toContain(`_secretariat-copy-with-changes-${today}_draft.docx"`);
    // Once a revision holds the text as it is, the text is that revision.
    await saveRevision(f, f.people.chair, "Rev.2");
    const clean = await get(`/documents/${f.documentId}/export?format=pdf`, f.people.chair.cookie);
    expect(clean.headers.get("content-disposition")).toContain(`_rev-2_clean.pdf"`);
  });

  it("downloads the version's text, named after it", async () => {
    const res = await get(`/documents/${f.documentId}/export?format=md&version=${revId}`, f.people.chair.cookie);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(/filename="[a-z0-9-]+_[a-z0-9-]+_rev-1_clean\.md"/);
    const body = await res.text();
    expect(body).toContain("and mine risk education");
    expect(body).not.toContain("LATER WORDS");
    const docx = await get(`/documents/${f.documentId}/export?format=docx&version=${revId}`, f.people.secretariat.cookie);
    expect(docx.headers.get("content-disposition")).toContain("_rev-1_clean.docx");
    const draft = await get(`/documents/${f.documentId}/export?format=docx&draft=1&version=${revId}`, f.people.chair.cookie);
    expect(draft.headers.get("content-disposition")).toContain("_rev-1_draft.docx");
    expect((await get(`/documents/${f.documentId}/export?format=md&version=${randomUUID()}`, f.people.chair.cookie)).status).toBe(404);
    // Delegations download the versions the history shows them.
    expect((await get(`/documents/${f.documentId}/export?format=md&version=${revId}`, f.people.alice.cookie)).status).toBe(200);
  });
});
