import type { JSONContent } from "@tiptap/core";
import type { Db } from "../db/sql";
import { isUuid } from "./ids";

export type BreakoutStatus = "active" | "submitted" | "ended";
export type PackageStatus = "submitted" | "discussion" | "accepted" | "rejected" | "not_taken_up";

/** A facilitated breakout on a statement's clauses, with its participants and clauses in the statement's order. */
export interface BreakoutRow {
  id: string;
  statementId: string;
  number: number;
  facilitatorId: string;
  facilitatorName: string;
  confidential: boolean;
  status: BreakoutStatus;
  createdAt: Date;
  endedAt: Date | null;
  delegationIds: string[];
  clauses: { clauseId: string; textDocumentId: string }[];
}

const columns = (sql: Db) => sql`
  b.id, b.statement_id as "statementId", b.number, b.facilitator_id as "facilitatorId", u.name as "facilitatorName",
  b.confidential, b.status, b.created_at as "createdAt", b.ended_at as "endedAt",
  coalesce((select array_agg(bd.delegation_id order by bd.delegation_id) from breakout_delegations bd where bd.breakout_id = b.id), '{}') as "delegationIds",
  (select coalesce(json_agg(json_build_object('clauseId', bc.clause_id, 'textDocumentId', bc.text_document_id) order by bc.position), '[]')
     from breakout_clauses bc where bc.breakout_id = b.id) as clauses`;

export async function listBreakouts(sql: Db, statementId: string): Promise<BreakoutRow[]> {
  return sql<BreakoutRow[]>`
    select ${columns(sql)} from breakouts b join users u on u.id = b.facilitator_id
    where b.statement_id = ${statementId} order by b.number`;
}

export async function findBreakout(sql: Db, statementId: string, id: string): Promise<BreakoutRow | null> {
  if (!isUuid(id)) return null;
  const [row] = await sql<BreakoutRow[]>`
    select ${columns(sql)} from breakouts b join users u on u.id = b.facilitator_id
    where b.statement_id = ${statementId} and b.id = ${id}`;
  return row ?? null;
}

/** The breakout one of whose clauses this drafting document holds (the collaboration endpoint's question). */
export async function findBreakoutByTextDocument(sql: Db, textDocumentId: string): Promise<BreakoutRow | null> {
  const [row] = await sql<BreakoutRow[]>`
    select ${columns(sql)} from breakouts b join users u on u.id = b.facilitator_id
    where b.id = (select breakout_id from breakout_clauses where text_document_id = ${textDocumentId})`;
  return row ?? null;
}

/** The breakout's status under its row's lock, so that decisions on it take turns. */
export async function lockBreakout(tx: Db, id: string): Promise<BreakoutStatus | null> {
  const [row] = await tx<{ status: BreakoutStatus }[]>`select status from breakouts where id = ${id} for update`;
  return row?.status ?? null;
}

/** Makes the statement's breakouts take turns (numbering, and a clause in one running breakout at a time). */
export async function lockStatementBreakouts(tx: Db, statementId: string): Promise<void> {
  await tx`select pg_advisory_xact_lock(hashtext('concord:breakouts:' || ${statementId}::text))`;
}

/** The clauses of the statement that are in a breakout not ended, with that breakout's number. */
export async function clausesInRunningBreakouts(tx: Db, statementId: string): Promise<Map<string, number>> {
  const rows = await tx<{ clauseId: string; number: number }[]>`
    select bc.clause_id as "clauseId", b.number from breakout_clauses bc join breakouts b on b.id = bc.breakout_id
    where b.statement_id = ${statementId} and b.status <> 'ended'`;
  return new Map(rows.map((r) => [r.clauseId, r.number]));
}

export async function insertBreakout(
  tx: Db,
  b: { statementId: string; facilitatorId: string; confidential: boolean; createdBy: string },
): Promise<{ id: string; number: number }> {
  const [row] = await tx<{ id: string; number: number }[]>`
    insert into breakouts (statement_id, number, facilitator_id, confidential, created_by)
    select ${b.statementId}, coalesce(max(number), 0) + 1, ${b.facilitatorId}, ${b.confidential}, ${b.createdBy}
    from breakouts where statement_id = ${b.statementId}
    returning id, number`;
  return row;
}

export async function insertBreakoutClause(tx: Db, c: { breakoutId: string; clauseId: string; position: number; textDocumentId: string }) {
  await tx`
    insert into breakout_clauses (breakout_id, clause_id, position, text_document_id)
    values (${c.breakoutId}, ${c.clauseId}, ${c.position}, ${c.textDocumentId})`;
}

/** Sets who takes part; the delegations added and removed. */
export async function setBreakoutDelegations(
  tx: Db,
  breakoutId: string,
  delegationIds: readonly string[],
): Promise<{ added: string[]; removed: string[] }> {
  const removed = await tx<{ id: string }[]>`
    delete from breakout_delegations where breakout_id = ${breakoutId} and not (delegation_id = any(${delegationIds}::uuid[]))
    returning delegation_id as id`;
  const added = delegationIds.length
    ? await tx<{ id: string }[]>`
        insert into breakout_delegations (breakout_id, delegation_id) select ${breakoutId}, unnest(${delegationIds}::uuid[])
        on conflict do nothing returning delegation_id as id`
    : [];
  return { added: added.map((r) => r.id), removed: removed.map((r) => r.id) };
}

export async function setBreakoutStatus(tx: Db, id: string, status: BreakoutStatus): Promise<void> {
  await tx`update breakouts set status = ${status}, ended_at = ${status === "ended" ? tx`now()` : null} where id = ${id}`;
}

/** A package's clause: its text as the breakout left it, and the statement's text it replaces. */
export interface PackageClause {
  clauseId: string;
  content: JSONContent[];
  text: string;
  baseText: string;
}

/**
 * A breakout's package: the proposal (kind 'package') it went to the plenary as, with its clauses'
 * texts. Its status is the proposal's, "discussion" while the chair has it open for discussion.
 */
export interface PackageRow {
  id: string;
  number: number;
  breakoutId: string;
  status: PackageStatus;
  submittedBy: string | null;
  submittedAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
  reason: string | null;
  clauses: PackageClause[];
}

const packageStatus = (sql: Db) => sql`
  case when pr.status = 'submitted' and pr.discussion_opened_at is not null then 'discussion' else pr.status end`;

const packageColumns = (sql: Db) => sql`
  p.id, pr.number, p.breakout_id as "breakoutId", ${packageStatus(sql)} as status, pr.created_by as "submittedBy", pr.created_at as "submittedAt",
  pr.decided_by as "decidedBy", coalesce(pr.decided_at, pr.discussion_opened_at) as "decidedAt", pr.decision_reason as reason,
  (select json_agg(json_build_object('clauseId', c.clause_id, 'content', c.content, 'text', c.text, 'baseText', c.base_text) order by c.position)
     from breakout_package_clauses c where c.package_id = p.id) as clauses`;

export async function findPackage(sql: Db, breakoutId: string): Promise<PackageRow | null> {
  const [row] = await sql<PackageRow[]>`
    select ${packageColumns(sql)} from breakout_packages p join proposals pr on pr.id = p.id where p.breakout_id = ${breakoutId}`;
  return row ?? null;
}

/** The package a proposal is, with its clauses' contents, for accepting it. */
export async function packageOfProposal(sql: Db, proposalId: string): Promise<PackageRow | null> {
  const [row] = await sql<PackageRow[]>`
    select ${packageColumns(sql)} from breakout_packages p join proposals pr on pr.id = p.id where p.id = ${proposalId}`;
  return row ?? null;
}

/** Who a package proposal comes from: its breakout's facilitator and taking-part delegations (none for any other proposal). */
export async function packageParticipants(sql: Db, proposalId: string): Promise<{ facilitatorId: string | null; delegationIds: string[] }> {
  const [row] = await sql<{ facilitatorId: string; delegationIds: string[] }[]>`
    select b.facilitator_id as "facilitatorId",
           coalesce((select array_agg(bd.delegation_id) from breakout_delegations bd where bd.breakout_id = b.id), '{}') as "delegationIds"
    from breakout_packages p join breakouts b on b.id = p.breakout_id where p.id = ${proposalId}`;
  return row ?? { facilitatorId: null, delegationIds: [] };
}

/** Ties a package proposal to its breakout, with each clause's text as the breakout left it. */
export async function insertPackage(
  tx: Db,
  p: { proposalId: string; breakoutId: string; clauses: (PackageClause & { position: number })[] },
): Promise<void> {
  await tx`insert into breakout_packages (id, breakout_id) values (${p.proposalId}, ${p.breakoutId})`;
  for (const c of p.clauses) {
    await tx`
      insert into breakout_package_clauses (package_id, clause_id, position, content, text, base_text)
      values (${p.proposalId}, ${c.clauseId}, ${c.position}, ${tx.json(c.content)}, ${c.text}, ${c.baseText})`;
  }
}

/**
 * A clause's breakout history, oldest first: each breakout it was in, and that breakout's package
 * for it (what it proposed, its status, who decided and when). An accepted package is where the
 * clause's text came from at `decidedAt`. For the paragraph's story; the caller decides whether
 * the reader may see each breakout (`mayReadBreakout`).
 */
export interface ClauseBreakoutRecord {
  breakoutId: string;
  breakoutNumber: number;
  confidential: boolean;
  breakoutStatus: BreakoutStatus;
  facilitatorId: string;
  facilitatorName: string;
  delegationIds: string[];
  createdAt: Date;
  package: {
    id: string;
    number: number;
    status: PackageStatus;
    /** ISO times: the package is built as JSON in SQL. */
    submittedAt: string;
    decidedBy: string | null;
    decidedAt: string | null;
    text: string;
    baseText: string;
    content: JSONContent[];
  } | null;
}

export async function clauseBreakoutRecords(sql: Db, statementId: string, clauseId: string): Promise<ClauseBreakoutRecord[]> {
  return sql<ClauseBreakoutRecord[]>`
    select b.id as "breakoutId", b.number as "breakoutNumber", b.confidential, b.status as "breakoutStatus",
      b.facilitator_id as "facilitatorId", u.name as "facilitatorName", b.created_at as "createdAt",
      coalesce((select array_agg(bd.delegation_id order by bd.delegation_id) from breakout_delegations bd where bd.breakout_id = b.id), '{}') as "delegationIds",
      case when p.id is null then null else json_build_object(
        'id', p.id, 'number', pr.number, 'status', ${packageStatus(sql)}, 'submittedAt', pr.created_at, 'decidedBy', pr.decided_by,
        'decidedAt', coalesce(pr.decided_at, pr.discussion_opened_at),
        'text', pc.text, 'baseText', pc.base_text, 'content', pc.content) end as package
    from breakout_clauses bc
      join breakouts b on b.id = bc.breakout_id
      join users u on u.id = b.facilitator_id
      left join breakout_packages p on p.breakout_id = b.id
      left join proposals pr on pr.id = p.id
      left join breakout_package_clauses pc on pc.package_id = p.id and pc.clause_id = bc.clause_id
    where b.statement_id = ${statementId} and bc.clause_id = ${clauseId}
    order by b.created_at, b.number`;
}
