import { describe, expect, it } from "../support/fixtures";
import { connectSyncedClient, waitFor } from "../support/clients";
import { createConference, createDelegation, createSignedInPerson } from "../support/factories";
import { csrfTokenFor, loaderData, pageText } from "../support/http";
import { rewriteDraft } from "../support/proposals";
import { clauseTexts, typeInClause } from "../support/statement";
import { findProposal } from "../../server/queries/proposals";
import { readStatement } from "../../server/negotiation/numbering";
import { setConfidentiality } from "../../server/queries/conferences";
import { restoreConfirmation } from "../../app/statement/restore-names";
import type { StoryEntry, TextEntry } from "../../server/negotiation/story/entries";
import type { TestServer } from "../support/server";
import type { TestDatabase } from "../support/db";

/**
 * A paragraph's story, built through the real server as a negotiation makes it: a zero draft
 * imported with an alternative to OP1, the chair's edit saved as Rev.1, a delegation's proposal
 * submitted, revised, objected to and accepted, the imported alternative rejected, a state, a
 * signal, a comment and its resolving, another delegation's unsent draft, a restore of Rev.1 and
 * an edit not yet in any version. Each reader gets the entries they may see, in order, with the
 * right texts and word diffs.
 */

interface Person {
  id: string;
  cookie: string;
  csrf: string;
}

let db: TestDatabase;
let server: TestServer;
let conferenceId: string;
let documentId: string;
let op1: string;
let op2: string;
let people: Record<"secretariat" | "chair" | "alice" | "bruno" | "observer" | "outsider", Person>;
let pNor: string;
let pBra: string;

const route = "routes/documents.$documentId_.clauses.$clauseId.story";
const storyPath = (clauseId = op1) => `/documents/${documentId}/clauses/${clauseId}/story`;
type Story = {
  clause: { id: string; label: string; text: string | null };
  seesNegotiation: boolean;
  story: { entries: StoryEntry[]; total: number };
};
const story = (who: Person, clauseId = op1) => loaderData<Story>(server, storyPath(clauseId), route, who.cookie);
const get = (who: Person, path: string) => fetch(`${server.url}${path}`, { headers: { cookie: who.cookie }, redirect: "manual" });

async function post(who: Person, path: string, fields: Record<string, string>): Promise<Response> {
  const res = await fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { cookie: who.cookie },
    body: new URLSearchParams({ csrf: who.csrf, ...fields }),
    redirect: "manual",
  });
  if (res.status >= 400) throw new Error(`${path} ${JSON.stringify(fields)}: ${res.status} ${await res.text()}`);
  return res;
}

async function importZeroDraft(who: Person, markdown: string): Promise<string> {
  const path = `/conferences/${conferenceId}/import`;
  const body = new FormData();
  body.append("csrf", who.csrf);
  body.append("intent", "preview");
  body.append("file", new Blob([markdown]), "zero-draft.md");
  const preview = await (await fetch(`${server.url}${path}`, { method: "POST", headers: { cookie: who.cookie }, body })).text();
  const payload = /name="statement" value="([^"]*)"/
    .exec(preview)![1]
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&");
  const created = await post(who, path, { intent: "create", title: "Zero draft", statement: payload });
  return /\/documents\/([0-9a-f-]+)$/.exec(created.headers.get("location")!)![1];
}

/** The chair types in OP1 (the second clause) through the collaboration server. */
async function chairTypes(text: string, at: number) {
  const client = await connectSyncedClient(server.wsUrl, documentId, { cookie: people.chair.cookie });
  typeInClause(client.doc, 1, text, at);
  await waitFor(() => client.isSaved(), { what: "the chair's edit to be saved" });
  expect(clauseTexts(client.doc)[1]).toContain(text);
  client.destroy();
}

async function propose(who: Person, text: string | null): Promise<string> {
  const res = await post(who, `/documents/${documentId}`, { intent: "propose", kind: "replace", clauseId: op1 });
  const id = res.headers.get("location")!.split("/").pop()!;
  if (text !== null) await writeDraft(who, id, text);
  return id;
}

async function writeDraft(who: Person, proposalId: string, text: string) {
  const draft = await connectSyncedClient(server.wsUrl, (await findProposal(db.sql, documentId, proposalId))!.textDocumentId!, {
    cookie: who.cookie,
  });
  rewriteDraft(draft.doc, text);
  await waitFor(() => draft.isSaved(), { what: "the draft to be saved" });
  draft.destroy();
}

const proposalPath = (id: string) => `/documents/${documentId}/proposals/${id}`;

/** An entry in words the assertions compare: its kind and what it is about. */
function summary(e: StoryEntry): string {
  switch (e.kind) {
    case "text":
      return `text ${e.origin.type}${e.origin.type === "proposal" ? ` P${e.origin.number}` : ""}${
        e.origin.type === "edit" ? ` [${e.origin.writers.join(", ")}]` : ""
      } ${e.version?.label ?? "now"}: ${e.text}`;
    case "proposal":
      return `P${e.proposal.number} ${e.event}${e.revision ? ` r${e.revision.number}: ${e.revision.text}` : ""}${e.reason ? ` (${e.reason})` : ""}`;
    case "state":
      return `state ${e.state}${e.reason ? ` (${e.reason})` : ""}`;
    case "signal":
      return `signal ${e.delegation} ${e.signal} (${e.reason})`;
    case "comment":
      return `comment ${e.affiliation}: ${e.body}`;
    case "thread":
      return `thread ${e.change}`;
    case "reading":
      return `reading ${e.reading} ${e.outcome}`;
    case "breakout":
      return `${e.breakout.name} ${e.event}`;
  }
}

it.beforeAll(async ({ db: database, server: started }) => {
  db = database;
  server = started;
  conferenceId = (await createConference(db.sql)).id;
  const norway = await createDelegation(db.sql, conferenceId, { code: "NOR", name: "Norway" });
  const brazil = await createDelegation(db.sql, conferenceId, { code: "BRA", name: "Brazil" });
  const other = await createConference(db.sql);
  const person = async (p: Parameters<typeof createSignedInPerson>[1]) => {
    const made = await createSignedInPerson(db.sql, p);
    return { id: made.id, cookie: made.cookie, csrf: await csrfTokenFor(server.url, made.cookie) };
  };
  people = {
    secretariat: await person({ conferenceId, role: "secretariat", name: "Sara Secretariat" }),
    chair: await person({ conferenceId, role: "chair", name: "Carla Chair" }),
    alice: await person({ conferenceId, role: "delegate", delegationId: norway.id, name: "Alice Berg" }),
    bruno: await person({ conferenceId, role: "delegate", delegationId: brazil.id, name: "Bruno Lima" }),
    observer: await person({ conferenceId, role: "observer", name: "Olga Observer" }),
    outsider: await person({ conferenceId: other.id, role: "chair" }),
  };

  documentId = await importZeroDraft(
    people.secretariat,
    [
      "# Zero draft",
      "",
      "## Preamble",
      "",
      "*Recalling* the outcome,",
      "",
      "## Operative part",
      "",
      "1. *Decide* to act;",
      "1 alt. *Decide* to act now;",
      "2. *Urge* all States;",
    ].join("\n"),
  );
  [{ op1 }] = await db.sql<
    { op1: string }[]
  >`select clause_id as op1 from proposals where document_id = ${documentId} and kind = 'replace'`;

  // The chair's edit, kept as Rev.1.
  await chairTypes(" together", "Decide to act".length);
  await post(people.chair, `/documents/${documentId}/history`, { intent: "create", name: "Rev.1" });

  // Norway's proposal: submitted, revised, objected to by Brazil, accepted.
  pNor = await propose(people.alice, "Decide to act together and swiftly;");
  await post(people.alice, proposalPath(pNor), { intent: "submit" });
  await writeDraft(people.alice, pNor, "Decide to act together, swiftly and fully;");
  await post(people.alice, proposalPath(pNor), { intent: "submit" });
  await post(people.bruno, proposalPath(pNor), { intent: "object", reason: "Too sweeping" });
  await post(people.chair, proposalPath(pNor), { intent: "accept" });
  // The imported alternative (P1) is rejected.
  const [{ id: alternative }] = await db.sql<{ id: string }[]>`select id from proposals where document_id = ${documentId} and number = 1`;
  await post(people.chair, proposalPath(alternative), { intent: "reject", reason: "Superseded" });

  await post(people.chair, `/documents/${documentId}/states`, { clauseId: op1, state: "under_negotiation", reason: "Back to the table" });
  await post(people.alice, `/documents/${documentId}/signals`, { clauseId: op1, signal: "not_yet", reason: "Awaiting capital" });
  await post(people.bruno, `/documents/${documentId}/comments`, { intent: "create", clauseId: op1, body: "We prefer the old text" });
  const [{ threadId }] = await db.sql<{ threadId: string }[]>`select id as "threadId" from comments where clause_id = ${op1}`;
  await post(people.chair, `/documents/${documentId}/comments`, { intent: "resolve", threadId });
  // Brazil's draft, never submitted: Brazil's alone.
  pBra = await propose(people.bruno, "Decide to wait;");

  const [{ rev1 }] = await db.sql<{ rev1: string }[]>`select id as rev1 from versions where document_id = ${documentId} and name = 'Rev.1'`;
  await post(people.chair, `/documents/${documentId}/history`, { intent: "restore", versionId: rev1, confirm: restoreConfirmation });

  // Norway proposes deleting OP2; the chair accepts.
  const statement = await readStatement(db.sql, documentId);
  statement.ydoc.destroy();
  op2 = statement.clauses.find((c) => c.label === "OP2")!.id!;
  const deletion = await post(people.alice, `/documents/${documentId}`, { intent: "propose", kind: "delete", clauseId: op2 });
  const pDelete = deletion.headers.get("location")!.split("/").pop()!;
  await post(people.alice, proposalPath(pDelete), { intent: "submit" });
  await post(people.chair, proposalPath(pDelete), { intent: "accept" });

  // An edit no version holds yet.
  await chairTypes(" now", "Decide to act together".length);
});

const chairSees = [
  "text first Zero draft: Decide to act;",
  "P1 created",
  "P1 submitted r1: Decide to act now;",
  "text edit [Carla Chair] Rev.1: Decide to act together;",
  "P2 created",
  "P2 submitted r1: Decide to act together and swiftly;",
  "P2 revised r2: Decide to act together, swiftly and fully;",
  "P2 objected (Too sweeping)",
  "text proposal P2 Checkpoint 3: Decide to act together, swiftly and fully;",
  "P2 accepted",
  "P1 rejected (Superseded)",
  "state under_negotiation (Back to the table)",
  "signal Norway not_yet (Awaiting capital)",
  "comment Brazil: We prefer the old text",
  "thread resolved",
  "text restore Restored Rev.1: Decide to act together;",
  "state open (Restored from Rev.1)",
  "text edit [Carla Chair] now: Decide to act together now;",
];

describe("a paragraph's story", () => {
  it("tells the chair every text, proposal, state, signal and comment of the clause, in order, with who", async () => {
    const seen = await story(people.chair);
    expect(seen.clause).toEqual({ id: op1, label: "OP1", text: "Decide to act together now;" });
    expect(seen.story.entries.map(summary)).toEqual(chairSees);
    const by = seen.story.entries.map((e) => ("by" in e ? e.by : null));
    expect(by.slice(1, 3)).toEqual(["Sara Secretariat", "Sara Secretariat"]);
    expect(by.slice(4, 8)).toEqual(["Alice Berg (NOR)", "Alice Berg (NOR)", "Alice Berg (NOR)", "Bruno Lima (BRA)"]);
    expect(by[9]).toBe("Carla Chair");
  });

  it("gives each text the one before it, and shows the change word by word", async () => {
    const texts = (await story(people.chair)).story.entries.filter((e): e is TextEntry => e.kind === "text");
    expect(texts.map((t) => [t.before, t.text])).toEqual([
      [null, "Decide to act;"],
      ["Decide to act;", "Decide to act together;"],
      ["Decide to act together;", "Decide to act together, swiftly and fully;"],
      ["Decide to act together, swiftly and fully;", "Decide to act together;"],
      ["Decide to act together;", "Decide to act together now;"],
    ]);
    const res = await get(people.chair, storyPath());
    expect(res.status).toBe(200);
    const html = await res.text();
    const accepted = /<li class="story-entry story-text" data-kind="text" data-event="proposal">(.*?)<\/li>/s.exec(html)![1];
    expect(accepted).toMatch(/<ins><span class="visually-hidden">\[inserted: <\/span>, swiftly and fully<span/);
    expect(pageText(accepted)).toContain("From P2 (NOR), accepted.");
    const restored = /<li class="story-entry story-text" data-kind="text" data-event="restore">(.*?)<\/li>/s.exec(html)![1];
    expect(restored).toMatch(/<del><span class="visually-hidden">\[deleted: <\/span>, swiftly and fully<span/);
    expect(pageText(restored)).toContain("The chair restored Rev.1.");
  });

  it("shows a delegation its own unsent draft, and nobody else", async () => {
    const drafted = `P${(await findProposal(db.sql, documentId, pBra))!.number} created`;
    const bruno = (await story(people.bruno)).story.entries.map(summary);
    expect(bruno).toContain(drafted);
    expect(bruno.filter((s) => s !== drafted)).toEqual(chairSees);
    expect((await story(people.alice)).story.entries.map(summary)).toEqual(chairSees);
    const aliceHtml = await (await get(people.alice, storyPath())).text();
    expect(aliceHtml).not.toContain(pBra);
  });

  it("tells an observer who sees the text only its texts, without the proposals behind them", async () => {
    await setConfidentiality(db.sql, conferenceId, "standard");
    const seen = await story(people.observer);
    expect(seen.seesNegotiation).toBe(false);
    expect(seen.story.entries.map(summary)).toEqual([
      "text first Zero draft: Decide to act;",
      "text edit [Carla Chair] Rev.1: Decide to act together;",
      "text edit [] Checkpoint 3: Decide to act together, swiftly and fully;",
      "text restore Restored Rev.1: Decide to act together;",
      "text edit [Carla Chair] now: Decide to act together now;",
    ]);
    const html = await (await get(people.observer, storyPath())).text();
    for (const hidden of [
      "From P2",
      "/proposals/",
      "Too sweeping",
      "Awaiting capital",
      "We prefer the old text",
      "Back to the table",
      "Superseded",
    ]) {
      expect(html, hidden).not.toContain(hidden);
    }
  });

  it("tells an observer of an open conference the negotiation too, and refuses one in closed session", async () => {
    await setConfidentiality(db.sql, conferenceId, "open");
    expect((await story(people.observer)).story.entries.map(summary)).toEqual(chairSees);
    await setConfidentiality(db.sql, conferenceId, "closed");
    const res = await get(people.observer, storyPath());
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("closed session");
    await setConfidentiality(db.sql, conferenceId, "standard");
  });

  it("keeps the story of a clause no longer in the text: its last label and the proposal that deleted it", async () => {
    const seen = await story(people.chair, op2);
    expect(seen.clause).toEqual({ id: op2, label: "OP2", text: null });
    expect(seen.story.entries.map(summary)).toEqual([
      "text first Zero draft: Urge all States;",
      "P4 created",
      "P4 submitted",
      "text proposal P4 Checkpoint 6: null",
      "P4 accepted",
    ]);
    const html = await (await get(people.chair, storyPath(op2))).text();
    expect(pageText(html)).toContain("OP2 (no longer in the text)");
    expect(pageText(html)).toContain("OP2 removed from the text From P4 (NOR), accepted.");
  });

  it("is no one's outside the conference, and there is none for a clause the statement never had", async () => {
    expect((await get(people.outsider, storyPath())).status).toBe(404);
    expect((await get(people.chair, storyPath("cnosuchclause0000000"))).status).toBe(404);
    expect((await get(people.chair, storyPath("not a clause!"))).status).toBe(404);
  });
});
