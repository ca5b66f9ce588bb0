import type { Db } from "../db/sql";
import type { Access } from "../auth/permissions";
import { can } from "../auth/permissions";
import { maySeeExplanations, maySeeNegotiation } from "../auth/visibility";
import type { ConferenceRow } from "../queries/conferences";
import { findDocument } from "../queries/documents";
import { clauseStateHistory, currentClauseStates, textLocks, type TextLocks } from "../queries/clause-states";
import { loadUpdates, textStamp } from "../queries/document-state";
import { listComments } from "../queries/comments";
import { effectiveSignals, signalHistory, type SignalRow } from "../queries/clause-signals";
import { latestSilence } from "../queries/silence-procedures";
import { adoptionRecord } from "../queries/adoption";
import { countStandingExplanations } from "../queries/explanations";
import { adoptionLine } from "../../app/statement/adoption-line";
import type { Part } from "../../app/statement/numbering";
import { marksOf, textBrackets, type NegotiationMarks } from "./marks";
import { markOrphans, threadsOf } from "./comments";
import { currentProvisional, numberedStatement } from "./numbering";
import { readDoc, readStoredDoc } from "./statement";
import type { NegotiationEvent } from "./events";
import { openBusinessOf, type OpenBusiness } from "./open-business";
import { listedProposal, type ProposalSummary } from "./proposal-views";
import { actorOf, type Actor } from "./actor";
import { canSeeProposal, isSponsor, listProposals, type ProposalRow } from "../queries/proposals";

/**
 * Everything the statement page shows of the negotiation, read once for all its readers: on a
 * page load, and on every negotiation event for all the pages open (server/negotiation/live.ts).
 */
export async function readStatementRoom(sql: Db, documentId: string) {
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
    loadUpdates(sql, documentId),
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
  // The stored statement decoded once: numbered, and where the comments' anchors are now.
  const statement = readDoc(updates, (ydoc) => {
    markOrphans(ydoc, threads);
    return numberedStatement(ydoc, provisional);
  });
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
export type StatementRoom = Awaited<ReturnType<typeof readStatementRoom>>;

/**
 * The room after an event, from the one before it: comments, signals and explanations of position
 * change nothing else, so after one of theirs, with the stored text as it was, only their part is
 * read again and the rest is the same values (which every page then finds unchanged at once).
 * Anything else, or a text that moved on, is read whole.
 */
export async function rereadStatementRoom(
  sql: Db,
  documentId: string,
  previous: StampedRoom | null,
  topic: NegotiationEvent["topic"],
): Promise<StampedRoom> {
  // Read before the text, so that a room never takes a later stamp than its text.
  const stamp = await textStamp(sql, documentId);
  const partial = topic === "comments" || topic === "signals" || topic === "explanations";
  if (!previous || !partial || stamp !== previous.stamp) return { room: await readStatementRoom(sql, documentId), stamp };
  return { room: await rereadPart(sql, documentId, previous.room, topic), stamp };
}

/** A room and the stamp of the stored text it was read with (`textStamp`). */
export interface StampedRoom {
  room: StatementRoom;
  stamp: string;
}

async function rereadPart(sql: Db, documentId: string, previous: StatementRoom, topic: "comments" | "signals" | "explanations") {
  switch (topic) {
    case "comments": {
      const threads = threadsOf(await listComments(sql, documentId));
      // An anchor's text is where it was while the text is: only new threads' anchors are looked for.
      const known = new Map(previous.threads.map((t) => [t.id, t.orphaned]));
      for (const t of threads) t.orphaned = known.get(t.id) ?? false;
      const fresh = threads.filter((t) => t.anchor && !known.has(t.id));
      if (fresh.length > 0) await readStoredDoc(sql, documentId, (ydoc) => markOrphans(ydoc, fresh));
      return { ...previous, threads };
    }
    case "signals": {
      const [signals, effective] = await Promise.all([signalHistory(sql, documentId), effectiveSignals(sql, documentId)]);
      return { ...previous, signals, effective };
    }
    case "explanations":
      return { ...previous, explanationCount: await countStandingExplanations(sql, documentId) };
  }
}

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
 * audience, and not at all after an event that left the marks as they were.
 */
function markedParts(marks: NegotiationMarks) {
  const { clauses, provisional } = marks.statement;
  const summaries = new Map<string, ProposalSummary>();
  return {
    provisional: [...provisional],
    bracketed: [...marks.bracketed],
    textBracketed: [...textBrackets(marks)],
    clauseLabels: Object.fromEntries(clauses.filter((c) => c.id).map((c) => [c.id!, c.label])),
    // The first clause of each part (whatever its label: "Pre-OP1" when provisional), where proposals to start the part show.
    partStarts: Object.fromEntries(
      (["pp", "op"] as const).flatMap((part) => {
        const first = clauses.find((c) => c.part === part);
        return first?.id ? [[first.id, part]] : [];
      }),
    ) as Record<string, Part>,
    /** A proposal as lists show it to its sponsors, and to everyone else. */
    summary(p: ProposalRow, viewer: Actor): ProposalSummary {
      const key = `${p.id} ${isSponsor(p, viewer)}`;
      let s = summaries.get(key);
      if (!s) summaries.set(key, (s = listedProposal(p, clauses, viewer)));
      return s;
    },
    /** Open business, by the signals as they stand. */
    openBusiness: new WeakMap<readonly SignalRow[], OpenBusiness>(),
  };
}
const marked = new WeakMap<NegotiationMarks, ReturnType<typeof markedParts>>();
const locksViews = new WeakMap<TextLocks, { whole: TextLocks["whole"]; clauses: string[] }>();

function partsOf(room: StatementRoom) {
  let parts = marked.get(room.marks);
  if (!parts) marked.set(room.marks, (parts = markedParts(room.marks)));
  let locks = locksViews.get(room.locks);
  if (!locks) locksViews.set(room.locks, (locks = { whole: room.locks.whole, clauses: [...room.locks.clauses] }));
  return { ...parts, locks };
}

function openBusinessIn(room: StatementRoom, parts: ReturnType<typeof markedParts>): OpenBusiness {
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
  const parts = partsOf(room);
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
    locks: parts.locks,
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
    proposals: sees ? room.marks.proposals.filter((p) => canSeeProposal(p, viewer)).map((p) => parts.summary(p, viewer)) : [],
    clauseLabels: parts.clauseLabels,
    partStarts: parts.partStarts,
  };
}
export type StatementView = ReturnType<typeof statementView>;
