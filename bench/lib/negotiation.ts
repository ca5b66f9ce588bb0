// The negotiation the fan-out case (bench/fanout.ts) runs on: a long statement deep in negotiation
// (proposals with revisions and positions, comment threads, signals, clause states), its
// participants with sessions, and what they will submit during the case, written straight to the
// database with the app's own queries and the tests' factories (no events are published).
import type { Sql } from "../../server/db/sql";
import { setConfidentiality } from "../../server/queries/conferences";
import { createComment } from "../../server/queries/comments";
import { recordSignal } from "../../server/queries/clause-signals";
import { appendUpdates, loadUpdates } from "../../server/queries/document-state";
import { createStoredDocument, docOf } from "../../server/negotiation/statement";
import { readStatement } from "../../server/negotiation/numbering";
import { statementUpdate } from "../../app/statement/yjs-state";
import {
  createClauseState,
  createConference,
  createDelegation,
  createPerson,
  createPosition,
  createProposal,
  createSignedInPerson,
} from "../../tests/support/factories";
import { rewriteDraft } from "../../tests/support/proposals";
import { largeStatement, randomWord, rng } from "./statement";
import type { PageSpec } from "./fanout-messages";

export interface Actor {
  /** The page of this person (actors are among the pages). */
  page: number;
  cookie: string;
  delegationId: string | null;
}

export interface NegotiationDataset {
  conferenceId: string;
  documentId: string;
  clauses: { id: string; label: string }[];
  pages: PageSpec[];
  chair: Actor;
  /** Delegates of different delegations who comment, signal and propose during the case. */
  delegates: Actor[];
  /** Threads to reply to. */
  threads: string[];
  /** Drafts ready to submit (a new proposal for everyone), each with its sponsor (an index into `delegates`). */
  drafts: { proposalId: string; delegate: number }[];
  /** Submitted proposals whose drafts hold a changed text, ready to submit as a new revision. */
  revisable: { proposalId: string; delegate: number }[];
  /** Clauses kept for the chair's state changes (no proposals on them). */
  stateClauses: string[];
  counts: { clauses: number; proposals: number; revisions: number; positions: number; comments: number; signals: number; states: number };
}

const delegationCount = 50;

/** Runs `task` over `items`, `width` at a time. */
async function pooled<T, R>(items: T[], width: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      for (let i = next++; i < items.length; i = next++) out[i] = await task(items[i], i);
    }),
  );
  return out;
}

const sentence = (r: () => number, chars: number) => {
  const w: string[] = [];
  while (w.join(" ").length < chars) w.push(randomWord(r));
  return w.join(" ");
};

/** A clause's text with a few words replaced, as an amendment reads. */
function amended(text: string, r: () => number, tag: string): string {
  const words = text.split(" ");
  for (let k = 0; k < 3; k++) words[Math.floor(r() * words.length)] = randomWord(r);
  return `${words.join(" ")} ${tag}`;
}

/**
 * `pages` participants of an open conference (observers see the negotiation): the chair, the
 * secretariat, a tenth observers, the rest delegates spread over 50 delegations; and the
 * negotiation so far on a statement of `clauses` clauses. `events` says how many proposal events
 * the case will make, to prepare their drafts.
 */
export async function createNegotiationDataset(
  sql: Sql,
  {
    pages,
    clauses: clauseCount,
    proposals,
    comments,
    events,
  }: { pages: number; clauses: number; proposals: number; comments: number; events: number },
): Promise<NegotiationDataset> {
  const r = rng(42);
  const conference = await createConference(sql, { title: "Benchmark negotiation", venue: "" });
  await setConfidentiality(sql, conference.id, "open");
  const conferenceId = conference.id;
  const document = await createStoredDocument(sql, {
    conferenceId,
    title: "Joint Statement",
    update: statementUpdate(largeStatement(clauseCount, 3)),
  });
  const documentId = document.id;
  const statement = await readStatement(sql, documentId);
  statement.ydoc.destroy();
  const clauses = statement.clauses.map((c) => ({ id: c.id!, label: c.label, text: c.text }));

  const delegations = await pooled(Array.from({ length: delegationCount }), 10, (_, i) =>
    createDelegation(sql, conferenceId, { code: `D${String(i + 1).padStart(2, "0")}`, name: `Delegation ${i + 1}` }),
  );
  // One drafter per delegation writes its proposals and comments so far (not a page).
  const drafters = await pooled(delegations, 10, (d) => createPerson(sql, { conferenceId, role: "delegate", delegationId: d.id }));

  // The pages: the chair first, the secretariat, observers, then delegates round the delegations.
  const observers = Math.max(1, Math.round(pages / 10));
  const roles: PageSpec["role"][] = Array.from({ length: pages }, (_, i) =>
    i === 0 ? "chair" : i === 1 ? "secretariat" : i < 2 + observers ? "observer" : "delegate",
  );
  const people = await pooled(roles, 10, (role, i) => {
    const d = role === "delegate" ? delegations[(i - 2 - observers) % delegationCount] : null;
    return createSignedInPerson(sql, { conferenceId, role, delegationId: d?.id ?? null, name: `${role} ${i}` });
  });
  const pageSpecs: PageSpec[] = people.map((p, index) => ({ index, role: roles[index], cookie: p.cookie }));
  const actorOf = (index: number): Actor => ({ page: index, cookie: people[index].cookie, delegationId: people[index].delegationId });
  // Delegates of the first (up to) ten delegations act; each delegation's first page.
  const delegates: Actor[] = [];
  for (let i = 2 + observers; i < pages && delegates.length < 10; i++) {
    if (!delegates.some((a) => a.delegationId === people[i].delegationId)) delegates.push(actorOf(i));
  }
  if (delegates.length === 0) throw new Error("the fan-out case needs at least one delegate page (BENCH_FANOUT_PAGES ≥ 4)");

  // The chair's state changes go to the last clauses; proposals and comments to the others.
  const stateClauses = clauses.slice(-20).map((c) => c.id);
  const open = clauses.slice(0, -20);
  let revisions = 0;
  let positions = 0;
  const submitted: { id: string; delegationIndex: number; textDocumentId: string; kind: string }[] = [];
  for (let i = 0; i < proposals; i++) {
    const kind = (["replace", "replace", "replace", "replace", "replace", "replace", "replace", "add", "delete", "retain"] as const)[
      i % 10
    ];
    const clause = open[(i * 7) % open.length];
    const delegationIndex = i % delegationCount;
    const text = kind === "replace" ? amended(clause.text, r, `(P${i + 1})`) : kind === "add" ? `${sentence(r, 160)} (P${i + 1});` : "";
    const p = await createProposal(sql, {
      documentId,
      createdBy: drafters[delegationIndex].id,
      kind,
      clauseId: clause.id,
      delegationId: delegations[delegationIndex].id,
      baseText: kind === "add" ? "" : clause.text,
      text,
    });
    revisions++;
    // A quarter revised once, a twelfth twice more.
    const more = text ? (i % 12 === 0 ? 2 : i % 4 === 0 ? 1 : 0) : 0;
    for (let rev = 2; rev <= more + 1; rev++) {
      await sql`
        insert into proposal_revisions (proposal_id, revision, text, base_text, submitted_by)
        values (${p.id}, ${rev}, ${`${text} rev. ${rev}`}, ${kind === "add" ? "" : clause.text}, ${drafters[delegationIndex].id})`;
      revisions++;
    }
    for (const [offset, position] of [
      [1, "support"],
      [2, "object"],
      [3, "cosponsor"],
    ] as const) {
      if (i % (offset + 1) !== 0) continue;
      const other = (delegationIndex + offset) % delegationCount;
      await createPosition(sql, {
        proposalId: p.id,
        delegationId: delegations[other].id,
        position,
        userId: drafters[other].id,
        reason: position === "object" ? sentence(r, 80) : "",
      });
      positions++;
    }
    const [{ textDocumentId }] = await sql<{ textDocumentId: string | null }[]>`
      select text_document_id as "textDocumentId" from proposals where id = ${p.id}`;
    if (textDocumentId) submitted.push({ id: p.id, delegationIndex, textDocumentId, kind });
  }

  // Comments: two fifths start threads, the rest reply.
  const threadCount = Math.round(comments * 0.4);
  const threads: string[] = [];
  for (let i = 0; i < comments; i++) {
    const d = i < threadCount ? i % delegationCount : (i * 7) % delegationCount;
    const common = { documentId, anchor: null, body: sentence(r, 60 + Math.floor(r() * 240)), authorRole: "delegate" as const };
    const author = { authorId: drafters[d].id, delegationId: delegations[d].id };
    if (i < threadCount)
      threads.push(await createComment(sql, { ...common, ...author, clauseId: open[(i * 13) % open.length].id, parentId: null }));
    else {
      const parent = threads[i % threadCount];
      const [{ clauseId }] = await sql<{ clauseId: string }[]>`select clause_id as "clauseId" from comments where id = ${parent}`;
      await createComment(sql, { ...common, ...author, clauseId, parentId: parent });
    }
  }

  // Signals on many clauses, and a tenth of the clauses under negotiation.
  let signals = 0;
  for (let i = 0; i < clauses.length * 2; i++) {
    const d = (i * 3) % delegationCount;
    const notYet = i % 5 === 0;
    await recordSignal(sql, {
      documentId,
      clauseId: clauses[(i * 11) % clauses.length].id,
      delegationId: delegations[d].id,
      signal: notYet ? "not_yet" : "accept",
      reason: notYet ? sentence(r, 60) : "",
      userId: drafters[d].id,
    });
    signals++;
  }
  let states = 0;
  for (let i = 0; i < open.length; i += 10) {
    await createClauseState(sql, { documentId, clauseId: open[i].id, state: "under_negotiation" });
    states++;
  }

  // What the acting delegates will submit: new drafts, and new texts in their submitted proposals' drafts.
  const proposalEvents = Math.ceil(events / 4);
  const drafts: NegotiationDataset["drafts"] = [];
  for (let k = 0; k < Math.ceil(proposalEvents / 2) + 1; k++) {
    const delegate = k % delegates.length;
    const clause = open[(k * 17 + 5) % open.length];
    const p = await createProposal(sql, {
      documentId,
      createdBy: people[delegates[delegate].page].id,
      kind: "replace",
      status: "draft",
      clauseId: clause.id,
      delegationId: delegates[delegate].delegationId,
      baseText: clause.text,
      text: amended(clause.text, r, `(new ${k + 1})`),
    });
    drafts.push({ proposalId: p.id, delegate });
  }
  const revisable: NegotiationDataset["revisable"] = [];
  for (let k = 0; revisable.length < Math.ceil(proposalEvents / 2) + 1 && k < submitted.length; k++) {
    const p = submitted[k];
    const delegate = delegates.findIndex((a) => a.delegationId === delegations[p.delegationIndex].id);
    if (delegate < 0 || p.kind !== "replace") continue;
    const doc = docOf(await loadUpdates(sql, p.textDocumentId));
    const updates: Uint8Array[] = [];
    doc.on("update", (u: Uint8Array) => updates.push(u));
    rewriteDraft(doc, `${sentence(r, 180)} (revised ${revisable.length + 1})`);
    doc.destroy();
    await appendUpdates(sql, p.textDocumentId, updates);
    revisable.push({ proposalId: p.id, delegate });
  }

  return {
    conferenceId,
    documentId,
    clauses: clauses.map(({ id, label }) => ({ id, label })),
    pages: pageSpecs,
    chair: actorOf(0),
    delegates,
    threads,
    drafts,
    revisable,
    stateClauses,
    counts: { clauses: clauses.length, proposals, revisions, positions, comments, signals, states },
  };
}
