import type { JSONContent } from "@tiptap/core";
import type { Sql } from "../db/sql";
import { publishAccessEvent } from "../auth/access-events";
import { textLocks } from "../queries/clause-states";
import { findMembership } from "../queries/memberships";
import { isUuid } from "../queries/ids";
import { listDelegations } from "../queries/delegations";
import { addProposalEvent, insertProposal, insertRevision, nextProposalNumber } from "../queries/proposals";
import {
  clausesInRunningBreakouts,
  insertBreakout,
  insertBreakoutClause,
  insertPackage,
  lockBreakout,
  lockStatementBreakouts,
  setBreakoutDelegations,
  setBreakoutStatus,
  type BreakoutRow,
} from "../queries/breakouts";
import { changeNegotiation, type Audit } from "../negotiation/change";
import { createDraft, readDraft } from "../negotiation/statement";
import { currentStatement } from "../negotiation/numbering";
import { assertChangeable } from "../negotiation/proposals";
import type { Actor } from "../negotiation/actor";
import { refuse } from "../negotiation/refusal";
import type { Tx } from "../audit/log";
import { textDigest } from "../audit/text-digest";
import { maxProposalTextLength } from "../../app/statement/limits";
import { breakoutName } from "./rules";
import { breakoutInvitationNotices } from "../notifications/negotiation-notices";

/** At most this many clauses go to one breakout: a cluster, not the statement. */
export const maxBreakoutClauses = 30;

const breakoutChange = <T>(sql: Sql, actor: Actor, statementId: string, run: (tx: Tx, audit: Audit) => Promise<T>) =>
  changeNegotiation(sql, { documentId: statementId, actorId: actor.userId, announce: () => [{ topic: "breakouts" }] }, run);

/** Tells the open connections to a breakout's texts to ask again whether they may write (or read) them. */
async function recheckTexts(sql: Sql, b: Pick<BreakoutRow, "clauses">): Promise<void> {
  for (const c of b.clauses) await publishAccessEvent(sql, { type: "document", documentId: c.textDocumentId });
}

function assertChair(actor: Actor, what: string): void {
  if (!actor.isChair) refuse(403, `Only the chair ${what}.`);
}

/** The conference's delegations with these ids, or a refusal naming the field. */
async function delegationsOf(sql: Sql, conferenceId: string, ids: readonly string[]): Promise<{ id: string; code: string }[]> {
  const all = new Map((await listDelegations(sql, conferenceId)).map((d) => [d.id, d]));
  const unique = [...new Set(ids)];
  const found = unique.map((id) => all.get(id) ?? refuse(400, "Choose delegations of this conference.", "delegations"));
  if (found.length === 0) refuse(400, "Choose the delegations taking part.", "delegations");
  return found.map((d) => ({ id: d.id, code: d.code }));
}

/**
 * The chair hands a cluster of the statement's clauses to a facilitator (a delegate of any
 * delegation, or a member of the secretariat) with the delegations taking part. Each clause's body
 * as it stands now becomes a drafting document of the breakout. A clause is in one running
 * breakout at a time, and an agreed clause, or a text under silence or adopted, goes to none.
 */
export async function createBreakout(
  sql: Sql,
  actor: Actor,
  input: {
    statementId: string;
    conferenceId: string;
    clauseIds: readonly string[];
    facilitatorId: string;
    delegationIds: readonly string[];
    confidential: boolean;
  },
): Promise<{ id: string; number: number }> {
  assertChair(actor, "sets up breakouts");
  const wanted = new Set(input.clauseIds);
  if (wanted.size === 0) refuse(400, "Choose the clauses the breakout works on.", "clauses");
  if (wanted.size > maxBreakoutClauses) refuse(400, `A breakout works on at most ${maxBreakoutClauses} clauses.`, "clauses");
  const { doc, clauses } = await currentStatement(sql, input.statementId);
  const chosen = clauses.filter((c) => c.id !== null && wanted.has(c.id));
  if (chosen.length !== wanted.size) refuse(404, "There is no such clause in this statement.", "clauses");
  const membership = isUuid(input.facilitatorId) ? await findMembership(sql, input.conferenceId, input.facilitatorId) : null;
  if (!membership || !(membership.role === "delegate" || membership.role === "secretariat")) {
    refuse(400, "Choose as facilitator a delegate or a member of the secretariat of this conference.", "facilitator");
  }
  const delegations = await delegationsOf(sql, input.conferenceId, input.delegationIds);
  const locks = await textLocks(sql, input.statementId);
  for (const c of chosen) assertChangeable(locks, c);

  return breakoutChange(sql, actor, input.statementId, async (tx, audit) => {
    await lockStatementBreakouts(tx, input.statementId);
    const running = await clausesInRunningBreakouts(tx, input.statementId);
    for (const c of chosen) {
      const other = running.get(c.id!);
      if (other !== undefined) refuse(409, `${c.label} is already in breakout ${breakoutName({ number: other })}.`, "clauses");
    }
    const created = await insertBreakout(tx, {
      statementId: input.statementId,
      facilitatorId: input.facilitatorId,
      confidential: input.confidential,
      createdBy: actor.userId,
    });
    for (const [position, c] of chosen.entries()) {
      const content = doc.nodeAt(c.pos)!.content.toJSON() as JSONContent[];
      const draft = await createDraft(tx, {
        conferenceId: input.conferenceId,
        title: `${breakoutName(created)} ${c.label}`,
        content,
        kind: "breakout",
      });
      await insertBreakoutClause(tx, { breakoutId: created.id, clauseId: c.id!, position, textDocumentId: draft.id });
    }
    await setBreakoutDelegations(
      tx,
      created.id,
      delegations.map((d) => d.id),
    );
    await audit("breakout.created", {
      breakoutId: created.id,
      breakout: breakoutName(created),
      clauseIds: chosen.map((c) => c.id),
      clauses: chosen.map((c) => c.label),
      facilitatorId: input.facilitatorId,
      delegations: delegations.map((d) => d.code).sort(),
      confidential: input.confidential,
    });
    await breakoutInvitationNotices(tx, actor, {
      documentId: input.statementId,
      breakoutId: created.id,
      breakoutTitle: `${breakoutName(created)} (${chosen.map((c) => c.label).join(", ")})`,
      facilitatorId: input.facilitatorId,
      delegationIds: delegations.map((d) => d.id),
    });
    return created;
  });
}

/** The chair changes which delegations take part; a delegation left out loses the breakout's text at once. */
export async function setBreakoutParticipants(
  sql: Sql,
  actor: Actor,
  b: BreakoutRow,
  input: { conferenceId: string; delegationIds: readonly string[] },
): Promise<void> {
  assertChair(actor, "changes who takes part in a breakout");
  const delegations = await delegationsOf(sql, input.conferenceId, input.delegationIds);
  const codes = new Map(delegations.map((d) => [d.id, d.code]));
  await breakoutChange(sql, actor, b.statementId, async (tx, audit) => {
    if ((await lockBreakout(tx, b.id)) === "ended") refuse(409, `${breakoutName(b)} has ended.`);
    const { added, removed } = await setBreakoutDelegations(
      tx,
      b.id,
      delegations.map((d) => d.id),
    );
    if (added.length === 0 && removed.length === 0) refuse(409, "Those delegations already take part; nothing changed.");
    const removedCodes = removed.length ? (await listDelegations(tx, input.conferenceId)).filter((d) => removed.includes(d.id)) : [];
    await audit("breakout.participants_changed", {
      breakoutId: b.id,
      breakout: breakoutName(b),
      added: added.map((id) => codes.get(id)),
      removed: removedCodes.map((d) => d.code),
    });
    await breakoutInvitationNotices(tx, actor, {
      documentId: b.statementId,
      breakoutId: b.id,
      breakoutTitle: breakoutName(b),
      facilitatorId: null,
      delegationIds: added,
    });
  });
  await recheckTexts(sql, b);
}

/**
 * The facilitator ends the drafting by submitting the breakout's outcome to the plenary as one
 * proposal, a package covering all its clauses: every clause's breakout text as it stands, frozen,
 * each held to a proposal's limits. From then on it is the plenary's proposal (listed, compiled,
 * signalled on), which the chair decides like any other (server/negotiation/proposals.ts).
 */
export async function submitPackage(sql: Sql, actor: Actor, b: BreakoutRow): Promise<{ proposalId: string; number: number }> {
  if (actor.userId !== b.facilitatorId) refuse(403, `Only the facilitator submits ${breakoutName(b)}'s outcome.`);
  const { clauses } = await currentStatement(sql, b.statementId);
  const change = {
    documentId: b.statementId,
    actorId: actor.userId,
    announce: () => [{ topic: "breakouts" as const }, { topic: "proposals" as const }],
  };
  const submitted = await changeNegotiation(sql, change, async (tx, audit) => {
    const status = await lockBreakout(tx, b.id);
    if (status !== "active") refuse(409, `${breakoutName(b)} has already submitted its outcome or ended.`);
    const packaged = [];
    for (const [position, c] of b.clauses.entries()) {
      const clause = clauses.find((s) => s.id === c.clauseId) ?? refuse(409, "A clause of this breakout is no longer in the statement.");
      const { content, text } = await readDraft(tx, c.textDocumentId);
      if (!text.trim()) refuse(400, `Write the text of ${clause.label} before submitting.`);
      if (text.length > maxProposalTextLength)
        refuse(400, `Keep ${clause.label} under ${maxProposalTextLength} characters (it has ${text.length}).`);
      // Empty paragraphs and marks add no text: without this, a few words could carry megabytes of structure.
      if (JSON.stringify(content).length > 20 * maxProposalTextLength) refuse(400, `${clause.label} has too much formatting for its text.`);
      packaged.push({ clauseId: c.clauseId, position, content, text, baseText: clause.text, label: clause.label, part: clause.part });
    }
    // As one proposal's text (its lists and its own page): the clauses' texts, a blank line apart.
    const joined = (texts: string[]) => texts.join("\n\n");
    const baseText = joined(packaged.map((c) => c.baseText));
    const number = await nextProposalNumber(tx, b.statementId);
    const proposalId = await insertProposal(tx, {
      documentId: b.statementId,
      number,
      kind: "package",
      clauseId: packaged[0].clauseId,
      part: packaged[0].part,
      textDocumentId: null,
      delegationId: null,
      createdBy: actor.userId,
      baseText,
      status: "submitted",
    });
    const text = joined(packaged.map((c) => c.text));
    await insertRevision(tx, { proposalId, revision: 1, content: null, text, baseText, submittedBy: actor.userId });
    await addProposalEvent(tx, { proposalId, kind: "created", userId: actor.userId, delegationId: null });
    await addProposalEvent(tx, { proposalId, kind: "submitted", userId: actor.userId, delegationId: null });
    await insertPackage(tx, { proposalId, breakoutId: b.id, clauses: packaged });
    await setBreakoutStatus(tx, b.id, "submitted");
    await audit("breakout.package_submitted", {
      breakoutId: b.id,
      breakout: breakoutName(b),
      proposalId,
      proposal: `P${number}`,
      clauseIds: packaged.map((c) => c.clauseId),
      clauses: packaged.map((c) => c.label),
      text: packaged.map((c) => textDigest(c.text)),
    });
    return { proposalId, number };
  });
  await recheckTexts(sql, b);
  return submitted;
}

/** The chair closes a breakout that has not submitted an outcome; its clauses return to the plenary as they stand there. */
export async function closeBreakout(sql: Sql, actor: Actor, b: BreakoutRow): Promise<void> {
  assertChair(actor, "closes a breakout");
  await breakoutChange(sql, actor, b.statementId, async (tx, audit) => {
    const status = await lockBreakout(tx, b.id);
    if (status === "submitted") refuse(409, `${breakoutName(b)} has submitted its outcome; decide on the package instead.`);
    if (status !== "active") refuse(409, `${breakoutName(b)} has already ended.`);
    await setBreakoutStatus(tx, b.id, "ended");
    await audit("breakout.closed", { breakoutId: b.id, breakout: breakoutName(b) });
  });
  await recheckTexts(sql, b);
}
