import type { JSONContent } from "@tiptap/core";
import type { Db } from "../db/sql";
import { isUuid } from "./ids";
import type { Position, ProposalEventKind, ProposalKind, ProposalStatus } from "../../app/statement/vocabulary";

export interface ProposalPosition {
  delegationId: string;
  delegationCode: string;
  delegationName: string;
  position: Position;
  reason: string;
  updatedAt: Date;
}

export interface ProposalRow {
  id: string;
  documentId: string;
  number: number;
  kind: ProposalKind;
  clauseId: string | null;
  part: "pp" | "op";
  textDocumentId: string | null;
  /** null: the chair's compromise text */
  delegationId: string | null;
  delegationCode: string | null;
  delegationName: string | null;
  createdBy: string;
  createdAt: Date;
  status: ProposalStatus;
  baseText: string;
  decidedBy: string | null;
  decidedByName: string | null;
  decidedAt: Date | null;
  decisionReason: string | null;
  mergedInto: string | null;
  newClauseId: string | null;
  /** The latest submitted revision (null while a draft): what everyone but the sponsors sees. */
  revision: { number: number; content: JSONContent[] | null; text: string; baseText: string; submittedAt: Date } | null;
  positions: ProposalPosition[];
  /** Tabled inside this breakout (its facilitator decides it there); null for the plenary's. */
  breakoutId: string | null;
  /** When the chair opened it for discussion (a breakout's package), while it stays submitted. */
  discussionOpenedAt: Date | null;
  /** A breakout's package: the breakout, and each clause it covers with its text, in the statement's order. */
  package: ProposalPackage | null;
}

/** What a package proposal carries besides a proposal's fields (server/breakouts/breakouts.ts). */
export interface ProposalPackage {
  breakoutId: string;
  breakoutNumber: number;
  confidential: boolean;
  facilitatorId: string;
  facilitatorName: string;
  delegationIds: string[];
  clauses: { clauseId: string; text: string; baseText: string }[];
}

const select = (sql: Db) => sql`
  select p.id, p.document_id as "documentId", p.number, p.kind, p.clause_id as "clauseId", p.part,
         p.text_document_id as "textDocumentId", p.delegation_id as "delegationId",
         d.code as "delegationCode", d.name as "delegationName",
         p.created_by as "createdBy", p.created_at as "createdAt", p.status, p.base_text as "baseText",
         p.decided_by as "decidedBy", du.name as "decidedByName", p.decided_at as "decidedAt",
         p.decision_reason as "decisionReason", p.merged_into as "mergedInto", p.new_clause_id as "newClauseId",
         (select json_build_object('number', r.revision, 'content', r.content, 'text', r.text, 'baseText', r.base_text, 'submittedAt', r.submitted_at)
            from proposal_revisions r where r.proposal_id = p.id order by r.revision desc limit 1) as revision,
         coalesce((select json_agg(json_build_object('delegationId', pp.delegation_id, 'delegationCode', pd.code, 'delegationName', pd.name,
                                                     'position', pp.position, 'reason', pp.reason, 'updatedAt', pp.updated_at)
                                   order by pd.name)
                     from proposal_positions pp join delegations pd on pd.id = pp.delegation_id
                    where pp.proposal_id = p.id), '[]') as positions,
         p.breakout_id as "breakoutId", p.discussion_opened_at as "discussionOpenedAt",
         (select json_build_object('breakoutId', b.id, 'breakoutNumber', b.number, 'confidential', b.confidential,
                                   'facilitatorId', b.facilitator_id, 'facilitatorName', fu.name,
                                   'delegationIds', coalesce((select json_agg(bd.delegation_id) from breakout_delegations bd where bd.breakout_id = b.id), '[]'),
                                   'clauses', (select json_agg(json_build_object('clauseId', c.clause_id, 'text', c.text, 'baseText', c.base_text) order by c.position)
                                                 from breakout_package_clauses c where c.package_id = p.id))
            from breakout_packages bp join breakouts b on b.id = bp.breakout_id join users fu on fu.id = b.facilitator_id
           where bp.id = p.id) as package
  from proposals p
  left join delegations d on d.id = p.delegation_id
  left join users du on du.id = p.decided_by`;

function revive(row: ProposalRow): ProposalRow {
  // json_build_object leaves timestamps as strings.
  if (row.revision) row.revision.submittedAt = new Date(row.revision.submittedAt);
  for (const p of row.positions) p.updatedAt = new Date(p.updatedAt);
  return row;
}

/**
 * Every proposal before the plenary on a statement, in order of creation; drafts are included
 * (callers show them to their sponsors only). Those tabled inside a breakout are the breakout's.
 */
export async function listProposals(sql: Db, documentId: string): Promise<ProposalRow[]> {
  const rows = await sql<ProposalRow[]>`${select(sql)} where p.document_id = ${documentId} and p.breakout_id is null order by p.number`;
  return rows.map(revive);
}

/** The proposals tabled inside a breakout, in order of number (callers check who may see the breakout). */
export async function listBreakoutProposals(sql: Db, breakoutId: string): Promise<ProposalRow[]> {
  const rows = await sql<ProposalRow[]>`${select(sql)} where p.breakout_id = ${breakoutId} order by p.number`;
  return rows.map(revive);
}

export async function findBreakoutProposal(sql: Db, breakoutId: string, id: string): Promise<ProposalRow | null> {
  if (!isUuid(id)) return null;
  const [row] = await sql<ProposalRow[]>`${select(sql)} where p.breakout_id = ${breakoutId} and p.id = ${id}`;
  return row ? revive(row) : null;
}

/** A statement's accepted additions, with the clause each created: what tells which clauses are provisional. */
export async function acceptedAdditions(sql: Db, documentId: string): Promise<Pick<ProposalRow, "kind" | "status" | "newClauseId">[]> {
  return sql<Pick<ProposalRow, "kind" | "status" | "newClauseId">[]>`
    select kind, status, new_clause_id as "newClauseId" from proposals
    where document_id = ${documentId} and kind = 'add' and status = 'accepted' and new_clause_id is not null`;
}

export async function findProposal(sql: Db, documentId: string, id: string): Promise<ProposalRow | null> {
  if (!isUuid(id)) return null;
  const [row] = await sql<ProposalRow[]>`${select(sql)} where p.document_id = ${documentId} and p.breakout_id is null and p.id = ${id}`;
  return row ? revive(row) : null;
}

/** Whether a person may see a proposal: its sponsors always, everyone once it has been submitted. */
export function canSeeProposal(
  p: Pick<ProposalRow, "status" | "delegationId" | "revision">,
  viewer: { delegationId: string | null; isChair: boolean },
): boolean {
  if (p.revision) return true;
  return p.delegationId === null ? viewer.isChair : p.delegationId === viewer.delegationId;
}

/**
 * Who may draft and submit a proposal: its delegation's members, or the chair for a compromise.
 * A breakout's package has no sponsors here: its facilitator submitted it from the breakout.
 */
export function isSponsor(
  p: Pick<ProposalRow, "delegationId"> & { kind?: ProposalKind },
  viewer: { delegationId: string | null; isChair: boolean },
): boolean {
  if (p.kind === "package") return false;
  return p.delegationId === null ? viewer.isChair : p.delegationId === viewer.delegationId;
}

export interface ProposalEvent {
  id: string;
  kind: ProposalEventKind;
  userName: string;
  delegationCode: string | null;
  reason: string;
  createdAt: Date;
}

export async function listProposalEvents(sql: Db, proposalId: string): Promise<ProposalEvent[]> {
  return sql<ProposalEvent[]>`
    select e.id::text, e.kind, u.name as "userName", d.code as "delegationCode", e.reason, e.created_at as "createdAt"
    from proposal_events e join users u on u.id = e.user_id left join delegations d on d.id = e.delegation_id
    where e.proposal_id = ${proposalId} order by e.id`;
}

export async function addProposalEvent(
  sql: Db,
  e: { proposalId: string; kind: ProposalEventKind; userId: string; delegationId: string | null; reason?: string },
): Promise<void> {
  await sql`
    insert into proposal_events (proposal_id, kind, user_id, delegation_id, reason)
    values (${e.proposalId}, ${e.kind}, ${e.userId}, ${e.delegationId}, ${e.reason ?? ""})`;
}

/**
 * The next proposal number of a statement, or of one of its breakouts (numbered on their own).
 * Takes the statement's row lock (NO KEY UPDATE, which leaves the Yjs log's appends alone) so that
 * concurrent creations take turns; call it in a transaction.
 */
export async function nextProposalNumber(tx: Db, documentId: string, breakoutId: string | null = null): Promise<number> {
  await tx`select id from documents where id = ${documentId} for no key update`;
  const [row] = await tx<{ n: number }[]>`
    select coalesce(max(number), 0)::int + 1 as n from proposals where document_id = ${documentId} and breakout_id is not distinct from ${breakoutId}`;
  return row.n;
}

export async function insertProposal(
  tx: Db,
  p: {
    documentId: string;
    number: number;
    kind: ProposalKind;
    clauseId: string | null;
    part: "pp" | "op";
    textDocumentId: string | null;
    delegationId: string | null;
    createdBy: string;
    baseText: string;
    status?: ProposalStatus;
    breakoutId?: string;
  },
): Promise<string> {
  const [row] = await tx<{ id: string }[]>`
    insert into proposals (document_id, number, kind, clause_id, part, text_document_id, delegation_id, created_by, base_text, status, breakout_id)
    values (${p.documentId}, ${p.number}, ${p.kind}, ${p.clauseId}, ${p.part}, ${p.textDocumentId}, ${p.delegationId}, ${p.createdBy},
            ${p.baseText}, ${p.status ?? "draft"}, ${p.breakoutId ?? null})
    returning id`;
  return row.id;
}

/** Locks a proposal's row for a change of its status (decisions and submissions take turns) and returns its status. */
export async function lockProposal(tx: Db, documentId: string, id: string): Promise<ProposalStatus | null> {
  if (!isUuid(id)) return null;
  const [row] = await tx<{ status: ProposalStatus }[]>`
    select status from proposals where document_id = ${documentId} and id = ${id} for update`;
  return row?.status ?? null;
}

export async function insertRevision(
  tx: Db,
  r: { proposalId: string; revision: number; content: JSONContent[] | null; text: string; baseText: string; submittedBy: string },
): Promise<void> {
  await tx`
    insert into proposal_revisions (proposal_id, revision, content, text, base_text, submitted_by)
    values (${r.proposalId}, ${r.revision}, ${r.content ? tx.json(r.content) : null}, ${r.text}, ${r.baseText}, ${r.submittedBy})`;
}

/**
 * Another submitted proposal with the same clause, kind and latest text, if there is one: any
 * delegation's or the chair's when a delegation submits (it can support that one instead), only the
 * chair's own when the chair does. Drafts are left out: another sponsor's are private, and they
 * have no submitted text. Takes the statement's row lock first (as nextProposalNumber does), so
 * that two identical submissions at the same moment take turns and the second sees the first.
 */
export async function findIdenticalOpenProposal(
  tx: Db,
  p: Pick<ProposalRow, "id" | "documentId" | "delegationId" | "clauseId" | "part" | "kind"> & { text: string },
): Promise<{ number: number; delegationId: string | null } | null> {
  await tx`select id from documents where id = ${p.documentId} for no key update`;
  const [row] = await tx<{ number: number; delegationId: string | null }[]>`
    select o.number, o.delegation_id as "delegationId" from proposals o
    where o.document_id = ${p.documentId} and o.breakout_id is null and o.id <> ${p.id} and o.status = 'submitted' and o.kind = ${p.kind}
      and (${p.delegationId !== null} or o.delegation_id is null)
      and o.clause_id is not distinct from ${p.clauseId} and o.part = ${p.part}
      and (select r.text from proposal_revisions r where r.proposal_id = o.id order by r.revision desc limit 1) = ${p.text}
    order by o.number limit 1`;
  return row ?? null;
}

/** A submitted revision of a proposal, by whom and when. */
export interface RevisionListing {
  revision: number;
  submittedByName: string;
  submittedAt: Date;
}

/** A proposal's revisions, newest first, without their texts (pages load an earlier one's text on demand). */
export async function listRevisions(sql: Db, proposalId: string): Promise<RevisionListing[]> {
  return sql<RevisionListing[]>`
    select r.revision, u.name as "submittedByName", r.submitted_at as "submittedAt"
    from proposal_revisions r join users u on u.id = r.submitted_by
    where r.proposal_id = ${proposalId} order by r.revision desc`;
}

/** One revision of a proposal with its text and the clause text it was drafted against. */
export async function findRevision(
  sql: Db,
  proposalId: string,
  revision: number,
): Promise<(RevisionListing & { text: string; baseText: string }) | null> {
  const [row] = await sql<(RevisionListing & { text: string; baseText: string })[]>`
    select r.revision, u.name as "submittedByName", r.submitted_at as "submittedAt", r.text, r.base_text as "baseText"
    from proposal_revisions r join users u on u.id = r.submitted_by
    where r.proposal_id = ${proposalId} and r.revision = ${revision}`;
  return row ?? null;
}

/** Every submitted revision of a proposal with its texts, oldest first (for the conference archive). */
export async function listRevisionTexts(sql: Db, proposalId: string): Promise<(RevisionListing & { text: string; baseText: string })[]> {
  return sql<(RevisionListing & { text: string; baseText: string })[]>`
    select r.revision, u.name as "submittedByName", r.submitted_at as "submittedAt", r.text, r.base_text as "baseText"
    from proposal_revisions r join users u on u.id = r.submitted_by
    where r.proposal_id = ${proposalId} order by r.revision`;
}

export async function setProposalStatus(tx: Db, id: string, status: ProposalStatus): Promise<void> {
  await tx`update proposals set status = ${status} where id = ${id}`;
}

export async function openForDiscussion(tx: Db, id: string): Promise<void> {
  await tx`update proposals set discussion_opened_at = now() where id = ${id}`;
}

export async function recordDecision(
  tx: Db,
  id: string,
  d: { status: "accepted" | "rejected" | "merged"; decidedBy: string; reason: string | null; mergedInto?: string; newClauseId?: string },
): Promise<void> {
  await tx`
    update proposals set status = ${d.status}, decided_by = ${d.decidedBy}, decided_at = now(), decision_reason = ${d.reason},
           merged_into = ${d.mergedInto ?? null}, new_clause_id = ${d.newClauseId ?? null}
    where id = ${id}`;
}

export async function setPosition(
  tx: Db,
  p: { proposalId: string; delegationId: string; position: Position; reason: string; userId: string },
): Promise<void> {
  await tx`
    insert into proposal_positions (proposal_id, delegation_id, position, reason, user_id)
    values (${p.proposalId}, ${p.delegationId}, ${p.position}, ${p.reason}, ${p.userId})
    on conflict (proposal_id, delegation_id) do update
      set position = excluded.position, reason = excluded.reason, user_id = excluded.user_id, updated_at = now()`;
}

/** Removes a delegation's position; false when it had none. */
export async function removePosition(tx: Db, proposalId: string, delegationId: string): Promise<boolean> {
  const rows = await tx`delete from proposal_positions where proposal_id = ${proposalId} and delegation_id = ${delegationId} returning 1`;
  return rows.length > 0;
}

/** The proposal a drafting document belongs to, with what the collaboration endpoint needs to decide access. */
export async function findProposalByTextDocument(
  sql: Db,
  textDocumentId: string,
): Promise<{ id: string; documentId: string; delegationId: string | null; status: ProposalStatus } | null> {
  if (!isUuid(textDocumentId)) return null;
  const [row] = await sql<{ id: string; documentId: string; delegationId: string | null; status: ProposalStatus }[]>`
    select id, document_id as "documentId", delegation_id as "delegationId", status from proposals where text_document_id = ${textDocumentId}`;
  return row ?? null;
}
