import type { Db } from "../db/sql";
import type { Access } from "../auth/permissions";
import { can } from "../auth/permissions";
import { maySeeExplanations, maySeeNegotiation } from "../auth/visibility";
import type { ConferenceRow } from "../queries/conferences";
import { findDocument } from "../queries/documents";
import { clauseStateHistory, currentClauseStates, textLocks, type ClauseStateRow, type TextLocks } from "../queries/clause-states";
import { loadUpdates, textStamp } from "../queries/document-state";
import { listComments } from "../queries/comments";
import { effectiveSignals, signalHistory, type GivenSignalRow, type SignalRow } from "../queries/clause-signals";
import { latestSilence, type SilenceRow } from "../queries/silence-procedures";
import { adoptionRecord } from "../queries/adoption";
import { countStandingExplanations } from "../queries/explanations";
import { adoptionLine, type AdoptionRecord } from "../../app/statement/adoption-line";
import type { Part } from "../../app/statement/numbering";
import { marksOf, textBrackets, type NegotiationMarks } from "./marks";
import { markOrphans, threadsOf, type SharedThread } from "./comments";
import { currentProvisional, numberedStatement, type NumberedStatement } from "./numbering";
import { readDoc, readStoredDoc } from "./statement";
import type { NegotiationEvent } from "./events";
import { openBusinessOf, type OpenBusiness } from "./open-business";
import { listedProposal, type ProposalSummary } from "./proposal-views";
import { actorOf, type Actor } from "./actor";
import { canSeeProposal, isSponsor, listProposals, type ProposalRow } from "../queries/proposals";
import { keep, keepRows, sameData } from "./unchanged";

/**
 * Everything the statement page shows of the negotiation, read once for all its readers: on a
 * page load, and on every negotiation event for all the pages open (server/negotiation/live.ts).
 * `sameText`: a room read from the stored text as it still is, whose numbered statement and
 * comment anchors stand unless the provisional clauses changed (the text is then not read).
 */
export async function readStatementRoom(sql: Db, documentId: string, sameText: StatementRoom | null = null): Promise<StatementRoom> {
  const [
    document,
    updates,
    provisional,
    proposals,
    stateMap,
    locks,
    comments,
    signals,
    effective,
    stateHistory,
    silence,
    adoption,
    explanationCount,
  ] = await Promise.all([
    findDocument(sql, documentId),
    sameText ? null : loadUpdates(sql, documentId),
    currentProvisional(sql, documentId),
    listProposals(sql, documentId),
    currentClauseStates(sql, documentId),
    textLocks(sql, documentId),
    listComments(sql, documentId),
    // Signals with their history (newest first), and each delegation's signal as it stands (an aligned member's is its group's).
    signalHistory(sql, documentId),
    effectiveSignals(sql, documentId),
    clauseStateHistory(sql, documentId),
    latestSilence(sql, documentId),
    adoptionRecord(sql, documentId),
    countStandingExplanations(sql, documentId),
  ]);
  const threads = threadsOf(comments);
  let statement: NumberedStatement;
  if (sameText && sameData(sameText.marks.statement.provisional, provisional)) {
    statement = sameText.marks.statement;
    await keepOrphans(sql, documentId, sameText.threads, threads);
  } else {
    // The stored statement decoded once: numbered, and where the comments' anchors are now.
    statement = readDoc(updates ?? (await loadUpdates(sql, documentId)), (ydoc) => {
      markOrphans(ydoc, threads);
      return numberedStatement(ydoc, provisional);
    });
  }
  return {
    adoptedAt: document?.adoptedAt ?? null,
    marks: marksOf(statement, proposals, stateMap),
    locks,
    threads,
    signals,
    effective,
    stateHistory,
    silence,
    adoption,
    explanationCount,
  };
}
export interface StatementRoom {
  adoptedAt: Date | null;
  marks: NegotiationMarks;
  locks: TextLocks;
  threads: SharedThread[];
  signals: GivenSignalRow[];
  effective: SignalRow[];
  stateHistory: ClauseStateRow[];
  silence: SilenceRow | null;
  adoption: AdoptionRecord | null;
  explanationCount: number;
}

/**
 * The room after an event, from the one before it: comments, signals, explanations of position and
 * clause states change nothing else, so after one of theirs, with the stored text as it was, only their part is
 * read again and the rest is the same values (which every page then finds unchanged at once).
 * Anything else is read whole, the text only if it moved on. Whatever holds the same data as
 * before is the previous value itself, so that views and patches find it unchanged by identity.
 */
export async function rereadStatementRoom(
  sql: Db,
  documentId: string,
  previous: StampedRoom | null,
  topic: NegotiationEvent["topic"],
): Promise<StampedRoom> {
  // Read before the text, so that a room never takes a later stamp than its text.
  const stamp = await textStamp(sql, documentId);
  const sameText = previous && stamp === previous.stamp ? previous.room : null;
  const partial = topic === "comments" || topic === "signals" || topic === "explanations" || topic === "states";
  const room =
    sameText && partial ? await rereadPart(sql, documentId, sameText, topic) : await readStatementRoom(sql, documentId, sameText);
  return { room: previous ? keptUnchanged(previous.room, room) : room, stamp };
}

/** A room and the stamp of the stored text it was read with (`textStamp`; null when not known: a room a page read). */
export interface StampedRoom {
  room: StatementRoom;
  stamp: string | null;
}

async function rereadPart(
  sql: Db,
  documentId: string,
  previous: StatementRoom,
  topic: "comments" | "signals" | "explanations" | "states",
): Promise<StatementRoom> {
  switch (topic) {
    case "comments": {
      const threads = threadsOf(await listComments(sql, documentId));
      await keepOrphans(sql, documentId, previous.threads, threads);
      return { ...previous, threads };
    }
    case "signals": {
      const [signals, effective] = await Promise.all([signalHistory(sql, documentId), effectiveSignals(sql, documentId)]);
      return { ...previous, signals, effective };
    }
    case "explanations":
      return { ...previous, explanationCount: await countStandingExplanations(sql, documentId) };
    case "states": {
      const [provisional, stateMap, locks, stateHistory] = await Promise.all([
        currentProvisional(sql, documentId),
        currentClauseStates(sql, documentId),
        textLocks(sql, documentId),
        clauseStateHistory(sql, documentId),
      ]);
      // A clause agreed or reopened may number the text otherwise (a provisional clause): read whole.
      if (!sameData(provisional, previous.marks.statement.provisional)) return readStatementRoom(sql, documentId, previous);
      const { statement, proposals } = previous.marks;
      return { ...previous, marks: marksOf(statement, proposals, stateMap), locks, stateHistory };
    }
  }
}

/** An anchor's text is where it was while the text is: only new threads' anchors are looked for. */
async function keepOrphans(sql: Db, documentId: string, previous: readonly SharedThread[], threads: SharedThread[]) {
  const known = new Map(previous.map((t) => [t.id, t.orphaned]));
  for (const t of threads) t.orphaned = known.get(t.id) ?? false;
  const fresh = threads.filter((t) => t.anchor && !known.has(t.id));
  if (fresh.length > 0) await readStoredDoc(sql, documentId, (ydoc) => markOrphans(ydoc, fresh));
}

/**
 * The next room, with the previous one's values wherever they hold the same data: views derived
 * from either then share those values, and a patch between them finds them unchanged by identity.
 */
export function keptUnchanged(previous: StatementRoom, next: StatementRoom): StatementRoom {
  const marks = keptMarks(previous.marks, next.marks);
  // What the readers see alike follows the marks, as far as they did not change.
  const parts = marked.get(previous.marks);
  if (marks !== previous.marks && parts && !marked.has(marks)) marked.set(marks, markedParts(marks, parts));
  return {
    adoptedAt: keep(previous.adoptedAt, next.adoptedAt),
    marks,
    locks: keep(previous.locks, next.locks),
    threads: keepRows(previous.threads, next.threads),
    signals: keepRows(previous.signals, next.signals),
    effective: keepRows(previous.effective, next.effective),
    stateHistory: keepRows(previous.stateHistory, next.stateHistory),
    silence: keep(previous.silence, next.silence),
    adoption: keep(previous.adoption, next.adoption),
    explanationCount: next.explanationCount,
  };
}

function keptMarks(previous: NegotiationMarks, next: NegotiationMarks): NegotiationMarks {
  const statement = sameStatement(previous.statement, next.statement) ? previous.statement : next.statement;
  const states = keep(previous.states, next.states);
  const proposals = keepRows(previous.proposals, next.proposals);
  const bracketed = keep(previous.bracketed, next.bracketed);
  const same =
    statement === previous.statement && states === previous.states && proposals === previous.proposals && bracketed === previous.bracketed;
  return same ? previous : { statement, states, proposals, bracketed };
}

/** The same text numbered alike (what its clauses and every proposal's summary are worked out from). */
const sameStatement = (a: NumberedStatement, b: NumberedStatement) =>
  a === b || (sameData(a.provisional, b.provisional) && a.doc.eq(b.doc));

/** Who reads the page, as far as what it shows of the negotiation depends on it. */
export interface Audience {
  access: Access;
  conference: Pick<ConferenceRow, "confidentiality">;
}

/** Readers with the same key see the same page (comments aside: whose and unread are each reader's). */
export const audienceKey = ({ access, conference }: Audience) =>
  [access.role, access.delegationId ?? "", can(access, "negotiation:chair"), conference.confidentiality].join(" ");

/**
 * What the room's readers see alike, worked out once per text and marks: every audience's view
 * shares these values, so an event compares and serializes each of them once, not once per
 * audience, and not at all after an event that left them as they were. `before`: the parts of
 * the marks the room had before, whose values are kept where they stand (all that follows from
 * the numbered text, when it is the same).
 */
function markedParts(marks: NegotiationMarks, before?: MarkedParts): MarkedParts {
  const { statement } = marks;
  const { clauses, provisional } = statement;
  const text = before?.statement === statement ? before : null;
  /** Proposals as lists show them, to their sponsors and to everyone else (the same numbered text, the same rows). */
  const summaries = text?.summaries ?? new WeakMap<ProposalRow, { sponsor?: ProposalSummary; other?: ProposalSummary }>();
  const summary = (p: ProposalRow, viewer: Actor): ProposalSummary => {
    let known = summaries.get(p);
    if (!known) summaries.set(p, (known = {}));
    const whose = isSponsor(p, viewer) ? "sponsor" : "other";
    return (known[whose] ??= listedProposal(p, clauses, viewer));
  };
  /** Each list of proposal rows as each viewer sees it (which depends on their delegation and whether they chair). */
  const lists = text?.lists ?? new WeakMap<readonly ProposalRow[], Map<string, ProposalSummary[]>>();
  return {
    statement,
    provisional: text?.provisional ?? [...provisional],
    bracketed: keep(before?.bracketed, [...marks.bracketed]),
    textBracketed: keep(before?.textBracketed, [...textBrackets(marks)]),
    clauseLabels: text?.clauseLabels ?? Object.fromEntries(clauses.filter((c) => c.id).map((c) => [c.id!, c.label])),
    // The first clause of each part (whatever its label: "Pre-OP1" when provisional), where proposals to start the part show.
    partStarts:
      text?.partStarts ??
      Object.fromEntries(
        (["pp", "op"] as const).flatMap((part) => {
          const first = clauses.find((c) => c.part === part);
          return first?.id ? [[first.id, part]] : [];
        }),
      ),
    summaries,
    lists,
    /** The proposals the viewer may see, as lists show them. */
    proposals(rows: readonly ProposalRow[], viewer: Actor): ProposalSummary[] {
      let byViewer = lists.get(rows);
      if (!byViewer) lists.set(rows, (byViewer = new Map<string, ProposalSummary[]>()));
      const key = `${viewer.delegationId ?? ""} ${viewer.isChair}`;
      let list = byViewer.get(key);
      if (!list) byViewer.set(key, (list = rows.filter((p) => canSeeProposal(p, viewer)).map((p) => summary(p, viewer))));
      return list;
    },
    /** Open business, by the signals as they stand. */
    openBusiness: new WeakMap<readonly SignalRow[], OpenBusiness>(),
  };
}
interface MarkedParts {
  statement: NumberedStatement;
  provisional: string[];
  bracketed: string[];
  textBracketed: string[];
  clauseLabels: Record<string, string>;
  partStarts: Record<string, Part>;
  summaries: WeakMap<ProposalRow, { sponsor?: ProposalSummary; other?: ProposalSummary }>;
  lists: WeakMap<readonly ProposalRow[], Map<string, ProposalSummary[]>>;
  proposals(rows: readonly ProposalRow[], viewer: Actor): ProposalSummary[];
  openBusiness: WeakMap<readonly SignalRow[], OpenBusiness>;
}
const marked = new WeakMap<NegotiationMarks, MarkedParts>();
const locksViews = new WeakMap<TextLocks, { whole: TextLocks["whole"]; clauses: string[] }>();

function partsOf(room: StatementRoom) {
  let parts = marked.get(room.marks);
  if (!parts) marked.set(room.marks, (parts = markedParts(room.marks)));
  let locks = locksViews.get(room.locks);
  if (!locks) locksViews.set(room.locks, (locks = { whole: room.locks.whole, clauses: [...room.locks.clauses] }));
  return { parts, locks };
}

function openBusinessIn(room: StatementRoom, parts: MarkedParts): OpenBusiness {
  let business = parts.openBusiness.get(room.effective);
  if (!business) {
    const counting = room.effective.filter((s) => s.counts);
    parts.openBusiness.set(room.effective, (business = openBusinessOf(room.marks.proposals, counting, room.marks.statement.clauses)));
  }
  return business;
}

/**
 * The negotiation on the statement page as this audience sees it: the fields of its data that
 * change as the negotiation goes on. Comments are every reader's alike here (`personalThreads`
 * adds whose each is and what the reader has not read).
 */
export function statementView(room: StatementRoom, { access, conference }: Audience) {
  const { parts, locks } = partsOf(room);
  const { silence } = room;
  const viewer = actorOf(access);
  // An observer in standard mode sees the base text only: none of the negotiation leaves the server.
  const sees = maySeeNegotiation(access, conference);
  // What the chair must see, and confirm, before opening a silence procedure or adopting the text in plenary.
  const mayOpenSilence = viewer.isChair && !room.adoptedAt && silence?.status !== "running";
  return {
    states: room.marks.states,
    provisional: parts.provisional,
    bracketed: sees ? parts.bracketed : parts.textBracketed,
    locks,
    comments: sees ? room.threads : [],
    signals: sees ? room.signals : [],
    effectiveSignals: sees ? room.effective : [],
    stateHistory: sees ? room.stateHistory : [],
    // Whether the text is under silence is the text's; who objected is the negotiation's.
    silence: silence && !sees ? { ...silence, objectingDelegationName: null, objection: null } : silence,
    openBusiness: mayOpenSilence ? openBusinessIn(room, parts) : null,
    adopted: room.adoptedAt !== null,
    adoptionLine: room.adoption ? adoptionLine(room.adoption) : null,
    explanationCount: maySeeExplanations(access, conference, { adoptedAt: room.adoptedAt }) ? room.explanationCount : null,
    proposals: sees ? parts.proposals(room.marks.proposals, viewer) : [],
    clauseLabels: parts.clauseLabels,
    partStarts: parts.partStarts,
  };
}
export type StatementView = ReturnType<typeof statementView>;
