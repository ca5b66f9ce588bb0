import type * as Y from "yjs";
import type { JSONContent } from "@tiptap/core";
import { updateYFragment } from "@tiptap/y-tiptap";
import type { Db, Sql } from "../db/sql";
import type { CollabEndpoint } from "../collab/endpoint";
import {
  addProposalEvent,
  findBreakoutProposal,
  insertProposal,
  insertRevision,
  listBreakoutProposals,
  lockProposal,
  nextProposalNumber,
  recordDecision,
  setProposalStatus,
  type ProposalRow,
} from "../queries/proposals";
import { lockBreakout, type BreakoutRow } from "../queries/breakouts";
import { changeNegotiation, type Audit } from "../negotiation/change";
import { textDigest } from "../audit/text-digest";
import { createDraft, readDraft } from "../negotiation/statement";
import { currentStatement } from "../negotiation/numbering";
import { assertReasonLength, sentClauseContent } from "../negotiation/proposals";
import type { Actor } from "../negotiation/actor";
import { refuse } from "../negotiation/refusal";
import type { Tx } from "../audit/log";
import { proposalField, proposalSchema } from "../../app/statement/proposal-schema";
import type { ProposalStatus } from "../../app/statement/vocabulary";
import { audienceOf, breakoutName, mayWriteBreakout } from "./rules";

/**
 * Proposals inside a breakout: its participants (the facilitator and the participating
 * delegations' delegates) table amendments to its clauses there, and its facilitator accepts them
 * into the breakout's text or rejects them; their sponsors may withdraw them. They are the
 * negotiation's proposals (the same rows, revisions and events), tabled with the breakout's id: the
 * plenary's lists never read them (server/queries/proposals.ts), the breakout's page shows them to
 * whoever may see the breakout, and only its readers hear of them. Each is tabled with its text,
 * submitted at once; they are numbered on their own ("B1/P2").
 */

/** "B1/P2". */
export const breakoutProposalName = (b: Pick<BreakoutRow, "number">, p: Pick<ProposalRow, "number">) => `${breakoutName(b)}/P${p.number}`;

/** Its sponsors: the delegation that tabled it, or the person who did without one (a facilitator from the secretariat). */
export const sponsorsBreakoutProposal = (
  p: Pick<ProposalRow, "delegationId" | "createdBy">,
  actor: Pick<Actor, "userId" | "delegationId">,
) => (p.delegationId !== null ? p.delegationId === actor.delegationId : p.createdBy === actor.userId);

/** The facilitator and the participating delegations' delegates table proposals, while the breakout drafts. */
export function assertMayProposeInBreakout(b: BreakoutRow, actor: Actor): void {
  if (!mayWriteBreakout({ ...b, status: "active" }, actor)) refuse(403, `Only ${breakoutName(b)}'s participants table proposals in it.`);
  if (b.status !== "active") refuse(409, `${breakoutName(b)} no longer drafts; its proposals are closed.`);
}

const breakoutChange = <T>(sql: Sql, actor: Actor, b: BreakoutRow, run: (tx: Tx, audit: Audit) => Promise<T>) =>
  changeNegotiation(
    sql,
    {
      documentId: b.statementId,
      actorId: actor.userId,
      announce: () => [{ topic: "breakouts" as const, withinBreakouts: true, breakout: audienceOf(b) }],
    },
    run,
  );

/** Takes the breakout's and the proposal's locks, and refuses unless the breakout drafts and the proposal is submitted. */
async function lockOpen(tx: Tx, b: BreakoutRow, p: ProposalRow): Promise<void> {
  if ((await lockBreakout(tx, b.id)) !== "active") refuse(409, `${breakoutName(b)} no longer drafts.`);
  const status = await lockProposal(tx, b.statementId, p.id);
  if (status !== "submitted") refuse(409, `${breakoutProposalName(b, p)} is ${status}.`);
}

/** A participant tables an amendment to one of the breakout's clauses: its whole new text. */
export async function proposeInBreakout(
  sql: Sql,
  actor: Actor,
  b: BreakoutRow,
  input: { conferenceId: string; clauseId: string; content: unknown },
): Promise<{ id: string; number: number }> {
  assertMayProposeInBreakout(b, actor);
  const clause =
    b.clauses.find((c) => c.clauseId === input.clauseId) ?? refuse(404, "There is no such clause in this breakout.", "clauseId");
  const { content, text } = sentClauseContent(input.content, "proposed text");
  const [{ text: baseText }, { clauses }] = await Promise.all([
    readDraft(sql, clause.textDocumentId),
    currentStatement(sql, b.statementId),
  ]);
  if (text === baseText) refuse(409, "That is the breakout's text as it stands; change it to propose.", "content");
  const part = clauses.find((c) => c.id === clause.clauseId)?.part ?? "op";

  return breakoutChange(sql, actor, b, async (tx) => {
    if ((await lockBreakout(tx, b.id)) !== "active") refuse(409, `${breakoutName(b)} no longer drafts.`);
    const number = await nextProposalNumber(tx, b.statementId, b.id);
    // A replacement keeps its text in a drafting document of its own, frozen once tabled.
    const draft = await createDraft(tx, { conferenceId: input.conferenceId, title: breakoutProposalName(b, { number }), content });
    const id = await insertProposal(tx, {
      documentId: b.statementId,
      number,
      kind: "replace",
      clauseId: clause.clauseId,
      part,
      textDocumentId: draft.id,
      delegationId: actor.delegationId,
      createdBy: actor.userId,
      baseText,
      status: "submitted",
      breakoutId: b.id,
    });
    await insertRevision(tx, { proposalId: id, revision: 1, content, text, baseText, submittedBy: actor.userId });
    await addProposalEvent(tx, { proposalId: id, kind: "created", userId: actor.userId, delegationId: actor.delegationId });
    await addProposalEvent(tx, { proposalId: id, kind: "submitted", userId: actor.userId, delegationId: actor.delegationId });
    return { id, number };
  });
}

/** The breakout's proposal, or 404 as if it did not exist. */
async function breakoutProposal(sql: Db, b: BreakoutRow, proposalId: string): Promise<ProposalRow> {
  return (await findBreakoutProposal(sql, b.id, proposalId)) ?? refuse(404, "There is no such proposal in this breakout.");
}

/** Replaces a breakout text's clause body with `content`, changing only what differs (as the editor binding does). */
function writeBody(ydoc: Y.Doc, content: JSONContent[]): void {
  const doc = proposalSchema.nodeFromJSON({ type: "doc", content });
  doc.check();
  updateYFragment(ydoc, ydoc.getXmlFragment(proposalField), doc, { mapping: new Map(), isOMark: new Map() });
}

/**
 * The facilitator accepts a proposal (its text becomes the clause's breakout text, relayed live to
 * everyone writing it) or rejects it, while the breakout drafts.
 */
export async function decideInBreakout(
  sql: Sql,
  collab: Pick<CollabEndpoint, "changeDocument">,
  actor: Actor,
  b: BreakoutRow,
  input: { proposalId: string; decision: "accept" | "reject"; reason: string },
): Promise<void> {
  if (actor.userId !== b.facilitatorId) refuse(403, `Only ${breakoutName(b)}'s facilitator decides on its proposals.`);
  const p = await breakoutProposal(sql, b, input.proposalId);
  const reason = input.reason.trim();
  assertReasonLength(reason);
  const clause = b.clauses.find((c) => c.clauseId === p.clauseId) ?? refuse(409, "That clause is no longer in this breakout.");
  await breakoutChange(sql, actor, b, async (tx, audit) => {
    await lockOpen(tx, b, p);
    const status: Extract<ProposalStatus, "accepted" | "rejected"> = input.decision === "accept" ? "accepted" : "rejected";
    if (status === "accepted") {
      const content = p.revision?.content ?? refuse(409, `${breakoutProposalName(b, p)} has no text.`);
      // Under the proposal's lock, as a plenary acceptance: should the commit fail, it stays submitted.
      await collab.changeDocument(clause.textDocumentId, (ydoc) => writeBody(ydoc, content));
    }
    await recordDecision(tx, p.id, { status, decidedBy: actor.userId, reason: reason || null });
    await addProposalEvent(tx, { proposalId: p.id, kind: status, userId: actor.userId, delegationId: null, reason });
    // The facilitator's decisions are the breakout's record, as the chair's are the plenary's.
    await audit(status === "accepted" ? "breakout.proposal_accepted" : "breakout.proposal_rejected", {
      breakoutId: b.id,
      breakout: breakoutName(b),
      proposalId: p.id,
      proposal: breakoutProposalName(b, p),
      clauseId: clause.clauseId,
      text: textDigest(p.revision?.text ?? ""),
      reason: textDigest(reason),
    });
  });
}

/** Its sponsors withdraw a proposal the facilitator has not decided. */
export async function withdrawInBreakout(sql: Sql, actor: Actor, b: BreakoutRow, proposalId: string): Promise<void> {
  const p = await breakoutProposal(sql, b, proposalId);
  if (!sponsorsBreakoutProposal(p, actor)) refuse(403, `Only the sponsors of ${breakoutProposalName(b, p)} withdraw it.`);
  await breakoutChange(sql, actor, b, async (tx) => {
    await lockOpen(tx, b, p);
    await setProposalStatus(tx, p.id, "withdrawn");
    await addProposalEvent(tx, { proposalId: p.id, kind: "withdrawn", userId: actor.userId, delegationId: actor.delegationId });
  });
}

/** A breakout's proposal as its page shows it. */
export interface BreakoutProposalView {
  id: string;
  name: string;
  clauseId: string;
  sponsor: string;
  status: ProposalStatus;
  text: string;
  baseText: string;
  decisionReason: string | null;
  /** The viewer sponsors it (may withdraw it while it is submitted). */
  mine: boolean;
}

/** The breakout's proposals, in order of number; the caller has checked that the viewer may see the breakout. */
export async function breakoutProposals(sql: Db, b: BreakoutRow, viewer: Actor): Promise<BreakoutProposalView[]> {
  return (await listBreakoutProposals(sql, b.id)).map((p) => ({
    id: p.id,
    name: breakoutProposalName(b, p),
    clauseId: p.clauseId!,
    sponsor: p.delegationName ? `${p.delegationName} (${p.delegationCode})` : "The facilitator",
    status: p.status,
    text: p.revision?.text ?? "",
    baseText: p.revision?.baseText ?? p.baseText,
    decisionReason: p.decisionReason,
    mine: sponsorsBreakoutProposal(p, viewer),
  }));
}
