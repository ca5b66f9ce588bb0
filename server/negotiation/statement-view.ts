import type { Db } from "../db/sql";
import type { Access } from "../auth/permissions";
import { can } from "../auth/permissions";
import { maySeeExplanations, maySeeNegotiation } from "../auth/visibility";
import type { ConferenceRow } from "../queries/conferences";
import { findDocument } from "../queries/documents";
import { clauseStateHistory, textLocks } from "../queries/clause-states";
import { effectiveSignals, signalHistory } from "../queries/clause-signals";
import { latestSilence } from "../queries/silence-procedures";
import { adoptionRecord } from "../queries/adoption";
import { countStandingExplanations } from "../queries/explanations";
import { adoptionLine } from "../../app/statement/adoption-line";
import type { Part } from "../../app/statement/numbering";
import { negotiationMarks, textBrackets } from "./marks";
import { sharedThreads } from "./comments";
import { openBusinessOf } from "./open-business";
import { listedProposals } from "./proposal-views";
import { actorOf } from "./actor";

/**
 * Everything the statement page shows of the negotiation, read once for all its readers: on a
 * page load, and on every negotiation event for all the pages open (server/negotiation/live.ts).
 */
export async function readStatementRoom(sql: Db, documentId: string) {
  const [document, marks, locks, threads, signals, effective, stateHistory, silence, adoption, explanationCount] = await Promise.all([
    findDocument(sql, documentId),
    negotiationMarks(sql, { id: documentId }),
    textLocks(sql, documentId),
    sharedThreads(sql, documentId),
    // Signals with their history (newest first), and each delegation's signal as it stands (an aligned member's is its group's).
    signalHistory(sql, documentId),
    effectiveSignals(sql, documentId),
    clauseStateHistory(sql, documentId),
    latestSilence(sql, documentId),
    adoptionRecord(sql, documentId),
    countStandingExplanations(sql, documentId),
  ]);
  return {
    adoptedAt: document?.adoptedAt ?? null,
    marks,
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

/** Who reads the page, as far as what it shows of the negotiation depends on it. */
export interface Audience {
  access: Access;
  conference: Pick<ConferenceRow, "confidentiality">;
}

/** Readers with the same key see the same page (comments aside: whose and unread are each reader's). */
export const audienceKey = ({ access, conference }: Audience) =>
  [access.role, access.delegationId ?? "", can(access, "negotiation:chair"), conference.confidentiality].join(" ");

/**
 * The negotiation on the statement page as this audience sees it: the fields of its data that
 * change as the negotiation goes on. Comments are every reader's alike here (`personalThreads`
 * adds whose each is and what the reader has not read).
 */
export function statementView(room: StatementRoom, { access, conference }: Audience) {
  const { marks, locks, silence } = room;
  const { states, bracketed, statement } = marks;
  const { clauses, provisional } = statement;
  const viewer = actorOf(access);
  // An observer in standard mode sees the base text only: none of the negotiation leaves the server.
  const sees = maySeeNegotiation(access, conference);
  // What the chair must see, and confirm, before opening a silence procedure or adopting the text in plenary.
  const mayOpenSilence = viewer.isChair && !room.adoptedAt && silence?.status !== "running";
  return {
    states,
    provisional: [...provisional],
    bracketed: [...(sees ? bracketed : textBrackets(marks))],
    locks: { whole: locks.whole, clauses: [...locks.clauses] },
    comments: sees ? room.threads : [],
    signals: sees ? room.signals : [],
    effectiveSignals: sees ? room.effective : [],
    stateHistory: sees ? room.stateHistory : [],
    // Whether the text is under silence is the text's; who objected is the negotiation's.
    silence: silence && !sees ? { ...silence, objectingDelegationName: null, objection: null } : silence,
    openBusiness: mayOpenSilence
      ? openBusinessOf(
          marks.proposals,
          room.effective.filter((s) => s.counts),
          clauses,
        )
      : null,
    adopted: room.adoptedAt !== null,
    adoptionLine: room.adoption ? adoptionLine(room.adoption) : null,
    explanationCount: maySeeExplanations(access, conference, { adoptedAt: room.adoptedAt }) ? room.explanationCount : null,
    proposals: sees ? listedProposals(marks.proposals, clauses, viewer) : [],
    clauseLabels: Object.fromEntries(clauses.filter((c) => c.id).map((c) => [c.id!, c.label])),
    // The first clause of each part (whatever its label: "Pre-OP1" when provisional), where proposals to start the part show.
    partStarts: Object.fromEntries(
      (["pp", "op"] as const).flatMap((part) => {
        const first = clauses.find((c) => c.part === part);
        return first?.id ? [[first.id, part]] : [];
      }),
    ) as Record<string, Part>,
  };
}
export type StatementView = ReturnType<typeof statementView>;
