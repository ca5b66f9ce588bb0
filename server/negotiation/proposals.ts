import * as Y from "yjs";
import type { JSONContent } from "@tiptap/core";
import { updateYFragment } from "@tiptap/y-tiptap";
import type { Db, Sql } from "../db/sql";
import type { CollabEndpoint } from "../collab/endpoint";
import { publishAccessEvent } from "../auth/access-events";
import { textLocks, type TextLocks } from "../queries/clause-states";
import { captureVersion } from "../versions/capture";
import { packageOfProposal, setBreakoutStatus, type PackageClause } from "../queries/breakouts";
import {
  addProposalEvent,
  canSeeProposal,
  findIdenticalOpenProposal,
  findProposal,
  insertProposal,
  insertRevision,
  isSponsor,
  lockProposal,
  nextProposalNumber,
  openForDiscussion,
  recordDecision,
  removePosition,
  setPosition,
  setProposalStatus,
  type ProposalRow,
} from "../queries/proposals";
import { statementField, statementSchema } from "../../app/statement/schema";
import { proposalSchema } from "../../app/statement/proposal-schema";
import { newClauseId } from "../../app/statement/clause-id";
import type { ClauseInfo, Part } from "../../app/statement/numbering";
import { createDraft, readDraft } from "./statement";
import { currentStatement } from "./numbering";
import { proposalTarget } from "./proposal-views";
import { changeNegotiation, type Audit } from "./change";
import { publishNegotiationEvent } from "./events";
import type { Actor } from "./actor";
import { refuse } from "./refusal";
import { mayNotProposeReason, notNegotiatingReason } from "../auth/delegation-rights";
import { isGroupMember } from "../queries/delegation-groups";
import type { Tx } from "../audit/log";
import { textDigest } from "../audit/text-digest";
import { maxProposalTextLength, maxReasonLength } from "../../app/statement/limits";
import type { Position, ProposalEventKind, ProposalKind } from "../../app/statement/vocabulary";
import { decisionNotices } from "../notifications/negotiation-notices";

const proposalName = (p: Pick<ProposalRow, "number">) => `P${p.number}`;

/**
 * Records a proposal event in the audit trail, in the transaction that makes it. `clause` is the
 * clause it is on (for an addition, the one it follows), when known; a proposed text and a reason
 * are recorded by digest (server/audit/text-digest.ts).
 */
async function auditProposal(
  audit: Audit,
  event: ProposalEventKind,
  p: Pick<ProposalRow, "id" | "number" | "kind" | "clauseId">,
  details: { clause?: ClauseInfo | null; text?: string; reason?: string; [key: string]: unknown } = {},
): Promise<void> {
  const { clause, text, reason, ...rest } = details;
  await audit(`proposal.${event}`, {
    proposalId: p.id,
    proposal: proposalName(p),
    kind: p.kind,
    clauseId: p.clauseId,
    clause: clause?.label,
    text: text === undefined ? undefined : textDigest(text),
    reason: reason === undefined ? undefined : textDigest(reason),
    ...rest,
  });
}

/** Refuses a reason longer than the limit. */
export function assertReasonLength(reason: string): void {
  if (reason.length > maxReasonLength)
    refuse(400, `Keep the reason under ${maxReasonLength} characters (it has ${reason.length}).`, "reason");
}

/** Whether two clause bodies are the same (jsonb does not keep the order of keys, so JSON text cannot be compared). */
function sameBody(a: JSONContent[] | null, b: JSONContent[]): boolean {
  if (!a) return false;
  return proposalSchema.nodeFromJSON({ type: "doc", content: a }).eq(proposalSchema.nodeFromJSON({ type: "doc", content: b }));
}

/** Refuses a draft longer than a proposal may be, or bulkier in structure than its text can need. */
function assertProposalSize(content: JSONContent[], text: string): void {
  if (text.length > maxProposalTextLength) {
    refuse(
      400,
      `Keep the proposed text under ${maxProposalTextLength} characters (it has ${text.length}); shorten the draft and submit again.`,
    );
  }
  // Empty paragraphs and marks add no text: without this, a few words could carry megabytes of structure.
  if (JSON.stringify(content).length > 20 * maxProposalTextLength) {
    refuse(400, "The draft has too many paragraphs or too much formatting for its text; simplify it and submit again.");
  }
}

/**
 * A clause body as an editor sent it (the chair's compromise, an amendment tabled in a breakout):
 * clause content that the proposal schema reads (so its formatting, the italic opening words, is
 * kept), within a proposal's size. Attributes the schema does not know are dropped by reading it.
 * `noun` names it in refusals ("compromise text").
 */
export function sentClauseContent(sent: unknown, noun: string): { content: JSONContent[]; text: string } {
  let doc: ReturnType<typeof proposalSchema.nodeFromJSON>;
  try {
    doc = proposalSchema.nodeFromJSON({ type: "doc", content: sent });
    doc.check();
  } catch {
    return refuse(400, `The ${noun} could not be read; write it again.`, "content");
  }
  const content = (doc.toJSON() as JSONContent).content ?? [];
  const text = doc.textContent;
  if (!text.trim()) refuse(400, `Write the ${noun}.`, "content");
  assertProposalSize(content, text);
  return { content, text };
}

/** Refuses a change to a clause (or, with null, to the text as a whole) that nobody may change now. */
export function assertChangeable(locks: TextLocks, clause: ClauseInfo | null): void {
  if (locks.whole === "adopted") refuse(409, "The statement has been adopted; its text can no longer change.");
  if (locks.whole === "silence") refuse(409, "A silence procedure is running; the text cannot change until it ends.");
  if (clause?.id && locks.clauses.has(clause.id)) refuse(409, `${clause.label} is agreed; it can no longer be changed.`);
}

/** A proposal the actor may see, or 404 as if it did not exist. */
async function visibleProposal(sql: Db, actor: Actor, documentId: string, proposalId: string): Promise<ProposalRow> {
  const p = await findProposal(sql, documentId, proposalId);
  if (!p || !canSeeProposal(p, actor)) return refuse(404, "There is no such proposal.");
  return p;
}

/** Tells the sponsors' open drafting connections that the draft is now read-only. */
async function freezeDraft(sql: Sql, p: Pick<ProposalRow, "textDocumentId">): Promise<void> {
  if (p.textDocumentId) await publishAccessEvent(sql, { type: "document", documentId: p.textDocumentId });
}

const proposalChange = <T>(sql: Sql, actor: Actor, documentId: string, run: (tx: Tx, audit: Audit) => Promise<T>) =>
  changeNegotiation(sql, { documentId, actorId: actor.userId, announce: () => [{ topic: "proposals" }] }, run);

/**
 * Delegates propose (for their delegation) where its kind and the conference allow it, the chair
 * writes compromises; nobody else does either.
 */
export function assertMayPropose(actor: Actor, compromise: boolean): void {
  if (compromise && !actor.isChair) refuse(403, "Only the chair writes compromise texts.");
  if (!compromise && !actor.delegationId) refuse(403, "Only delegates propose amendments, on behalf of their delegation.");
  if (!compromise && !actor.mayPropose) refuse(403, mayNotProposeReason);
}

/**
 * A delegate proposes on behalf of their own delegation; the chair may write a compromise text.
 * `replace` and `add` get a drafting document, seeded with the clause's content or an empty body.
 */
export async function createProposal(
  sql: Sql,
  actor: Actor,
  input: { documentId: string; conferenceId: string; kind: ProposalKind; clauseId: string | null; part: Part | null; compromise: boolean },
): Promise<{ id: string; number: number }> {
  assertMayPropose(actor, input.compromise);
  const { doc, clauses } = await currentStatement(sql, input.documentId);
  let clause: ClauseInfo | null = null;
  if (input.clauseId !== null) {
    clause = clauses.find((c) => c.id === input.clauseId) ?? refuse(404, "There is no such clause in this statement.");
  } else if (input.kind !== "add") {
    refuse(400, "Choose the clause the proposal is about.", "clauseId");
  }
  const part = clause?.part ?? input.part ?? refuse(400, "Choose the part the new clause starts.", "part");
  // Adding after a clause leaves that clause as it is; only a lock of the whole text stands in the way.
  assertChangeable(await textLocks(sql, input.documentId), input.kind === "add" ? null : clause);
  const drafted: JSONContent[] | null =
    input.kind === "replace"
      ? (doc.nodeAt(clause!.pos)!.content.toJSON() as JSONContent[])
      : input.kind === "add"
        ? [{ type: "paragraph" }]
        : null;

  return proposalChange(sql, actor, input.documentId, async (tx) => {
    const number = await nextProposalNumber(tx, input.documentId);
    const textDocumentId = drafted
      ? (await createDraft(tx, { conferenceId: input.conferenceId, title: `P${number}`, content: drafted })).id
      : null;
    const delegationId = input.compromise ? null : actor.delegationId;
    const id = await insertProposal(tx, {
      documentId: input.documentId,
      number,
      kind: input.kind,
      clauseId: clause?.id ?? null,
      part,
      textDocumentId,
      delegationId,
      createdBy: actor.userId,
      baseText: input.kind === "add" ? "" : clause!.text,
    });
    await addProposalEvent(tx, { proposalId: id, kind: "created", userId: actor.userId, delegationId });
    // Not audited: a draft is its sponsors' own until they table it (their workspace, which neither the
    // chair nor the secretariat reads); it enters the record when submitted.
    return { id, number };
  });
}

/**
 * The sponsors submit their draft: its text is frozen as a revision, which is what everyone else
 * sees. Submitting again (a revision) needs a changed text. Delete and retain have no text.
 */
export async function submitProposal(sql: Sql, actor: Actor, documentId: string, proposalId: string): Promise<{ revision: number }> {
  const p = await visibleProposal(sql, actor, documentId, proposalId);
  if (!isSponsor(p, actor)) refuse(403, `Only the sponsors of ${proposalName(p)} submit it.`);
  // A delegation whose kind changed since it drafted keeps its draft, but cannot submit it.
  assertMayPropose(actor, p.delegationId === null);
  const { clauses } = await currentStatement(sql, documentId);
  const clause = p.kind === "add" ? null : (clauses.find((c) => c.id === p.clauseId) ?? null);
  // An addition leaves the clause it follows as it is, but not a text under silence or adopted.
  assertChangeable(await textLocks(sql, documentId), clause);
  const revision = await proposalChange(sql, actor, documentId, async (tx, audit) => {
    const status = await lockProposal(tx, documentId, p.id);
    if (status !== "draft" && status !== "submitted") return refuse(409, `${proposalName(p)} is ${status}; it can no longer be submitted.`);
    const [latest] = await tx<{ revision: number; content: JSONContent[] | null }[]>`
      select revision, content from proposal_revisions where proposal_id = ${p.id} order by revision desc limit 1`;
    let content: JSONContent[] | null = null;
    let text = "";
    if (p.textDocumentId) {
      ({ content, text } = await readDraft(tx, p.textDocumentId));
      if (!text.trim()) refuse(400, "Write the proposed text before submitting it.");
      assertProposalSize(content, text);
      if (latest && sameBody(latest.content, content)) {
        refuse(409, `The text has not changed since revision ${latest.revision}; there is nothing to submit.`);
      }
    } else if (latest) {
      refuse(409, `${proposalName(p)} has no text to revise; it is already submitted.`);
    }
    const twin = await findIdenticalOpenProposal(tx, { ...p, text });
    if (twin?.delegationId === p.delegationId) {
      refuse(
        409,
        `${p.delegationId ? "Your delegation" : "You"} already submitted this very proposal as P${twin.number}, which is still open; revise that one instead.`,
      );
    } else if (twin) {
      const target = proposalTarget(p, clauses);
      refuse(
        409,
        `An identical proposal is already open ${p.kind === "add" ? target : `on ${target}`}: P${twin.number}. Support it instead.`,
      );
    }
    const number = (latest?.revision ?? 0) + 1;
    await insertRevision(tx, { proposalId: p.id, revision: number, content, text, baseText: p.baseText, submittedBy: actor.userId });
    await setProposalStatus(tx, p.id, "submitted");
    const event = number === 1 ? "submitted" : "revised";
    await addProposalEvent(tx, { proposalId: p.id, kind: event, userId: actor.userId, delegationId: actor.delegationId });
    await auditProposal(audit, event, p, { clause, revision: number, text });
    return number;
  });
  return { revision };
}

export async function withdrawProposal(sql: Sql, actor: Actor, documentId: string, proposalId: string): Promise<void> {
  const p = await visibleProposal(sql, actor, documentId, proposalId);
  if (!isSponsor(p, actor)) refuse(403, `Only the sponsors of ${proposalName(p)} withdraw it.`);
  await proposalChange(sql, actor, documentId, async (tx, audit) => {
    const status = await lockProposal(tx, documentId, p.id);
    if (status !== "draft" && status !== "submitted") refuse(409, `${proposalName(p)} is ${status}; it can no longer be withdrawn.`);
    await setProposalStatus(tx, p.id, "withdrawn");
    await addProposalEvent(tx, { proposalId: p.id, kind: "withdrawn", userId: actor.userId, delegationId: actor.delegationId });
    // A draft never tabled leaves the record as it entered it: not at all.
    if (status === "submitted") await auditProposal(audit, "withdrawn", p, { previousStatus: status });
  });
  await freezeDraft(sql, p);
}

const positionEvent = { cosponsor: "cosponsored", support: "supported", object: "objected", align: "aligned" } as const;

/**
 * The positions a delegation may take on another's submitted proposal: co-sponsoring is
 * proposing together, so it follows the right to propose; supporting and objecting count toward
 * consensus, so only negotiating delegations do them; aligning is for the member delegations of
 * the sponsoring group. The proposal's page offers these; `takePosition` holds to them.
 */
export function allowedPositions(actor: Pick<Actor, "negotiates" | "mayPropose">, memberOfSponsor: boolean): Position[] {
  return [
    ...(actor.mayPropose ? (["cosponsor"] as const) : []),
    ...(actor.negotiates ? (["support", "object"] as const) : []),
    ...(memberOfSponsor ? (["align"] as const) : []),
  ];
}

async function assertMayTakePosition(sql: Db, actor: Actor & { delegationId: string }, p: ProposalRow, position: Position): Promise<void> {
  const member = position === "align" && p.delegationId !== null && (await isGroupMember(sql, p.delegationId, actor.delegationId));
  if (allowedPositions(actor, member).includes(position)) return;
  if (position === "align") refuse(403, `Only the member delegations of the group that sponsors ${proposalName(p)} align with it.`);
  refuse(403, position === "cosponsor" ? mayNotProposeReason : notNegotiatingReason);
}

/** Checks that the actor speaks for a delegation other than the sponsor's, on a submitted proposal. */
async function positionable(sql: Db, actor: Actor, documentId: string, proposalId: string): Promise<ProposalRow & { delegation: string }> {
  const p = await visibleProposal(sql, actor, documentId, proposalId);
  if (!actor.delegationId) return refuse(403, "Only delegates take a position on a proposal, for their delegation.");
  if (p.delegationId === actor.delegationId) refuse(403, `Your delegation sponsors ${proposalName(p)}.`);
  if (p.status !== "submitted") refuse(409, `${proposalName(p)} is ${p.status}; positions are taken on submitted proposals only.`);
  return { ...p, delegation: actor.delegationId };
}

/** Another delegation co-sponsors, supports or objects to (with a reason) a submitted proposal. */
export async function takePosition(
  sql: Sql,
  actor: Actor,
  documentId: string,
  proposalId: string,
  position: Position,
  reason: string,
): Promise<void> {
  const p = await positionable(sql, actor, documentId, proposalId);
  await assertMayTakePosition(sql, { ...actor, delegationId: p.delegation }, p, position);
  const trimmed = reason.trim();
  if (position === "object" && !trimmed) refuse(400, "Give the reason for the objection.", "reason");
  assertReasonLength(trimmed);
  await proposalChange(sql, actor, documentId, async (tx, audit) => {
    if ((await lockProposal(tx, documentId, p.id)) !== "submitted") refuse(409, `${proposalName(p)} has just been decided.`);
    await setPosition(tx, { proposalId: p.id, delegationId: p.delegation, position, reason: trimmed, userId: actor.userId });
    await addProposalEvent(tx, {
      proposalId: p.id,
      kind: positionEvent[position],
      userId: actor.userId,
      delegationId: p.delegation,
      reason: trimmed,
    });
    await auditProposal(audit, positionEvent[position], p, { position, reason: trimmed });
  });
}

export async function withdrawPosition(sql: Sql, actor: Actor, documentId: string, proposalId: string): Promise<void> {
  const p = await positionable(sql, actor, documentId, proposalId);
  await proposalChange(sql, actor, documentId, async (tx, audit) => {
    if ((await lockProposal(tx, documentId, p.id)) !== "submitted") refuse(409, `${proposalName(p)} has just been decided.`);
    if (!(await removePosition(tx, p.id, p.delegation))) refuse(409, `Your delegation has no position on ${proposalName(p)}.`);
    await addProposalEvent(tx, { proposalId: p.id, kind: "position_withdrawn", userId: actor.userId, delegationId: p.delegation });
    await auditProposal(audit, "position_withdrawn", p);
  });
}

/** The statement's parts and the clause elements in them, as y-prosemirror lays them out. */
export function findClauseElement(ydoc: Y.Doc, clauseId: string): { part: Y.XmlElement; index: number; element: Y.XmlElement } | null {
  for (const part of partElements(ydoc).values()) {
    const children = part.toArray();
    for (let index = 0; index < children.length; index++) {
      const el = children[index];
      if (el instanceof Y.XmlElement && el.nodeName === "clause" && el.getAttribute("id") === clauseId) return { part, index, element: el };
    }
  }
  return null;
}

function partElements(ydoc: Y.Doc): Map<Part, Y.XmlElement> {
  const parts = new Map<Part, Y.XmlElement>();
  for (const el of ydoc.getXmlFragment(statementField).toArray()) {
    if (el instanceof Y.XmlElement && el.nodeName === "preamble") parts.set("pp", el);
    if (el instanceof Y.XmlElement && el.nodeName === "operative") parts.set("op", el);
  }
  return parts;
}

/** Writes a clause node's content into a clause element, changing only what differs (as the editor binding does). */
export function writeClause(ydoc: Y.Doc, element: Y.XmlElement, id: string, content: JSONContent[]): void {
  const node = statementSchema.nodeFromJSON({ type: "clause", attrs: { id }, content });
  node.check();
  updateYFragment(ydoc, element, node, { mapping: new Map(), isOMark: new Map() });
}

/**
 * What accepting a proposal does to the statement's Y.Doc. Throws a refusal (and so changes
 * nothing) when the text no longer allows it.
 */
function applyProposal(ydoc: Y.Doc, p: ProposalRow, content: JSONContent[] | null, label: string, addedId: string): void {
  if (p.kind === "retain") return;
  if (p.kind === "add") {
    const at = p.clauseId ? findClauseElement(ydoc, p.clauseId) : null;
    if (p.clauseId && !at) refuse(409, `${label} no longer exists; the new clause has no place to go.`);
    const part = at?.part ?? partElements(ydoc).get(p.part) ?? refuse(409, "The statement has no such part.");
    const element = new Y.XmlElement("clause");
    part.insert(at ? at.index + 1 : 0, [element]);
    writeClause(ydoc, element, addedId, content!);
    return;
  }
  const found = findClauseElement(ydoc, p.clauseId!) ?? refuse(409, `${label} no longer exists in the statement.`);
  if (p.kind === "replace") return writeClause(ydoc, found.element, p.clauseId!, content!);
  const clausesInPart = found.part.toArray().filter((el) => el instanceof Y.XmlElement && el.nodeName === "clause").length;
  if (clausesInPart <= 1) refuse(409, `${label} is the only clause of its part, and a part keeps at least one clause.`);
  found.part.delete(found.index, 1);
}

export type ProposalDecision = "accept" | "reject" | "discuss";

/**
 * The clauses an accepted proposal changes, for the text locks: none for an addition (it leaves
 * the clause it follows as it is), every covered one for a package, else its own.
 */
function changedClauses(p: ProposalRow, clauses: readonly ClauseInfo[]): (ClauseInfo | null)[] {
  if (p.kind === "add") return [null];
  const ids = p.package ? p.package.clauses.map((c) => c.clauseId) : [p.clauseId];
  return ids.map((id) => clauses.find((c) => c.id === id) ?? null);
}

/**
 * The chair accepts (the latest revision goes into the base text, as one change relayed to
 * everyone present) or rejects a submitted proposal. A breakout's package may also be opened for
 * discussion: it stays before the plenary, to be accepted or rejected later; deciding it ends its
 * breakout, and accepting it writes every covered clause's package text into the clause's own
 * element (its id, place and numbering kept), in the same one change.
 */
export async function decideProposal(
  sql: Sql,
  collab: Pick<CollabEndpoint, "changeDocument">,
  actor: Actor,
  input: { documentId: string; proposalId: string; decision: ProposalDecision; reason: string },
): Promise<void> {
  if (!actor.isChair) refuse(403, "Only the chair decides on proposals.");
  const reason = input.reason.trim();
  assertReasonLength(reason);
  const p = await visibleProposal(sql, actor, input.documentId, input.proposalId);
  if (input.decision === "discuss" && p.kind !== "package") refuse(409, "Only a breakout's package is opened for discussion.");
  const { clauses } = await currentStatement(sql, input.documentId);
  const clause = clauses.find((c) => c.id === p.clauseId) ?? null;
  const packaged = p.package ? await packageOfProposal(sql, p.id) : null;

  await proposalChange(sql, actor, input.documentId, async (tx, audit) => {
    const status = await lockProposal(tx, input.documentId, p.id);
    // Read once under the proposal's lock: the locks refuse an acceptance, the states go into its version.
    const locks = input.decision === "accept" ? await textLocks(tx, input.documentId) : null;
    if (locks) for (const c of changedClauses(p, clauses)) assertChangeable(locks, c);
    if (status !== "submitted") refuse(409, `${proposalName(p)} is ${status}; only a submitted proposal can be decided.`);
    if (input.decision === "discuss") {
      if (p.discussionOpenedAt) refuse(409, `${proposalName(p)} is already open for discussion.`);
      await openForDiscussion(tx, p.id);
      await addProposalEvent(tx, { proposalId: p.id, kind: "discussion_opened", userId: actor.userId, delegationId: null, reason });
      await auditProposal(audit, "discussion_opened", p, { clause, reason });
      return;
    }
    if (p.package) await setBreakoutStatus(tx, p.package.breakoutId, "ended");
    if (!locks) {
      await recordDecision(tx, p.id, { status: "rejected", decidedBy: actor.userId, reason: reason || null });
      await addProposalEvent(tx, { proposalId: p.id, kind: "rejected", userId: actor.userId, delegationId: null, reason });
      await auditProposal(audit, "rejected", p, { clause, reason });
      await decisionNotices(tx, actor, { documentId: input.documentId, proposals: [p], decision: "rejected", reason });
      return;
    }
    const [latest] = await tx<{ content: JSONContent[] | null }[]>`
      select content from proposal_revisions where proposal_id = ${p.id} order by revision desc limit 1`;
    const addedId = newClauseId();
    // Held under the proposal's lock: a second decision waits, and sees it decided. Should the
    // commit fail after the text changed, the proposal stays submitted and can be decided again.
    let accepted: Uint8Array | null = null;
    await collab.changeDocument(input.documentId, (ydoc) => {
      if (packaged) applyPackage(ydoc, packaged.clauses, clauses);
      else applyProposal(ydoc, p, latest?.content ?? null, clause?.label ?? "The clause", addedId);
      accepted = Y.encodeStateAsUpdate(ydoc);
    });
    await recordDecision(tx, p.id, {
      status: "accepted",
      decidedBy: actor.userId,
      reason: reason || null,
      newClauseId: p.kind === "add" ? addedId : undefined,
    });
    await addProposalEvent(tx, { proposalId: p.id, kind: "accepted", userId: actor.userId, delegationId: null, reason });
    await auditProposal(audit, "accepted", p, { clause, reason, newClauseId: p.kind === "add" ? addedId : undefined });
    await decisionNotices(tx, actor, { documentId: input.documentId, proposals: [p], decision: "accepted", reason });
    // The text as the accepted proposal left it, so redlines can tell which proposal changed a clause.
    await captureVersion(
      tx,
      { documentId: input.documentId, kind: "checkpoint", name: null, createdBy: null, proposalId: p.id, restoredFrom: null },
      { state: accepted!, clauseStates: locks.states },
    );
  });
  // Its breakout ended: the plenary's marks and the breakout's pages change too.
  if (p.package && input.decision !== "discuss") await publishNegotiationEvent(sql, { documentId: input.documentId, topic: "breakouts" });
  await freezeDraft(sql, p);
}

/** Writes each of a package's clauses into the clause's own element of the statement. */
function applyPackage(ydoc: Y.Doc, packaged: readonly PackageClause[], clauses: readonly ClauseInfo[]): void {
  for (const c of packaged) {
    const label = clauses.find((s) => s.id === c.clauseId)?.label ?? "A clause of the package";
    const found = findClauseElement(ydoc, c.clauseId) ?? refuse(409, `${label} no longer exists in the statement.`);
    writeClause(ydoc, found.element, c.clauseId, c.content);
  }
}

/**
 * The chair writes a compromise text for a clause and closes open proposals on it as merged into
 * it. The compromise is a submitted proposal of the chair's, to be accepted like any other.
 */
export async function mergeProposals(
  sql: Sql,
  actor: Actor,
  input: { documentId: string; conferenceId: string; proposalIds: string[]; content: unknown; reason: string },
): Promise<{ id: string; number: number }> {
  if (!actor.isChair) refuse(403, "Only the chair merges proposals into a compromise.");
  const { content, text } = sentClauseContent(input.content, "compromise text");
  const reason = input.reason.trim();
  assertReasonLength(reason);
  const ids = [...new Set(input.proposalIds)];
  if (ids.length === 0) refuse(400, "Choose the proposals the compromise replaces.", "merge");
  const merged: ProposalRow[] = [];
  for (const id of ids) merged.push(await visibleProposal(sql, actor, input.documentId, id));
  for (const p of merged) {
    if (p.kind === "package") refuse(409, `${proposalName(p)} is a breakout's package; it is accepted or rejected as a whole.`);
    if (p.status !== "submitted") refuse(409, `${proposalName(p)} is ${p.status}; only submitted proposals can be merged.`);
    if (p.kind === "add") refuse(409, `${proposalName(p)} adds a clause; a compromise on an existing clause cannot replace it.`);
  }
  const clauseId = merged[0].clauseId;
  if (merged.some((p) => p.clauseId !== clauseId)) refuse(400, "A compromise merges proposals on one clause only.", "merge");
  const { clauses } = await currentStatement(sql, input.documentId);
  const clause = clauses.find((c) => c.id === clauseId) ?? refuse(409, "That clause no longer exists in the statement.");
  assertChangeable(await textLocks(sql, input.documentId), clause);

  const created = await proposalChange(sql, actor, input.documentId, async (tx, audit) => {
    for (const p of merged) {
      const status = await lockProposal(tx, input.documentId, p.id);
      if (status !== "submitted") refuse(409, `${proposalName(p)} has just been decided.`);
    }
    const number = await nextProposalNumber(tx, input.documentId);
    const draft = await createDraft(tx, { conferenceId: input.conferenceId, title: `P${number}`, content });
    const id = await insertProposal(tx, {
      documentId: input.documentId,
      number,
      kind: "replace",
      clauseId: clause.id,
      part: clause.part,
      textDocumentId: draft.id,
      delegationId: null,
      createdBy: actor.userId,
      baseText: clause.text,
      status: "submitted",
    });
    await insertRevision(tx, { proposalId: id, revision: 1, content, text, baseText: clause.text, submittedBy: actor.userId });
    await addProposalEvent(tx, { proposalId: id, kind: "created", userId: actor.userId, delegationId: null });
    await addProposalEvent(tx, { proposalId: id, kind: "submitted", userId: actor.userId, delegationId: null });
    const compromise = { id, number, kind: "replace" as const, clauseId: clause.id };
    const mergedNames = merged.map(proposalName);
    await auditProposal(audit, "created", compromise, { clause, part: clause.part, compromise: true });
    await auditProposal(audit, "submitted", compromise, { clause, revision: 1, text, merges: mergedNames });
    for (const p of merged) {
      await recordDecision(tx, p.id, { status: "merged", decidedBy: actor.userId, reason: reason || null, mergedInto: id });
      await addProposalEvent(tx, { proposalId: p.id, kind: "merged", userId: actor.userId, delegationId: null, reason });
      await auditProposal(audit, "merged", p, { clause, reason, mergedInto: id, mergedIntoProposal: proposalName({ number }) });
    }
    await decisionNotices(tx, actor, { documentId: input.documentId, proposals: merged, decision: "merged", reason });
    return { id, number };
  });
  for (const p of merged) await freezeDraft(sql, p);
  return created;
}
