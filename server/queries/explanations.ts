import type { Db } from "../db/sql";
import { isUuid } from "./ids";

/** An explanation of position as it stands: its latest revision. */
export interface ExplanationRow {
  id: string;
  number: number;
  delegationId: string;
  delegationName: string;
  delegationCode: string;
  revision: number;
  /** Empty: the statement as a whole. */
  clauseIds: string[];
  reservation: boolean;
  text: string;
  withdrawn: boolean;
  afterAdoption: boolean;
  filedByName: string;
  filedAt: Date;
  /** When the first revision was filed. */
  createdAt: Date;
}

const latest = (sql: Db) => sql`
  select e.id, e.number, e.delegation_id as "delegationId", d.name as "delegationName", d.code as "delegationCode",
         r.revision, r.clause_ids as "clauseIds", r.reservation, r.text, r.withdrawn, r.after_adoption as "afterAdoption",
         u.name as "filedByName", r.filed_at as "filedAt", e.created_at as "createdAt"
  from explanations_of_position e
  join delegations d on d.id = e.delegation_id
  join lateral (select * from explanation_revisions where explanation_id = e.id order by revision desc limit 1) r on true
  join users u on u.id = r.filed_by`;

/** The statement's explanations still standing (not withdrawn), in order of filing. */
export async function standingExplanations(sql: Db, documentId: string): Promise<ExplanationRow[]> {
  return sql<ExplanationRow[]>`${latest(sql)} where e.document_id = ${documentId} and not r.withdrawn order by e.number`;
}

/** How many explanations of the statement stand, for a link that names the number without carrying their texts. */
export async function countStandingExplanations(sql: Db, documentId: string): Promise<number> {
  const [{ n }] = await sql<{ n: number }[]>`
    select count(*)::int as n from explanations_of_position e
    where e.document_id = ${documentId}
      and not (select r.withdrawn from explanation_revisions r where r.explanation_id = e.id order by r.revision desc limit 1)`;
  return n;
}

/** One revision of an explanation, as the records keep it. */
export type ExplanationRevision = Pick<
  ExplanationRow,
  "revision" | "clauseIds" | "reservation" | "text" | "withdrawn" | "afterAdoption" | "filedByName" | "filedAt"
>;

/** Every explanation of the statement with every revision, withdrawn ones too, oldest first (for the records). */
export async function allExplanations(
  sql: Db,
  documentId: string,
): Promise<{ number: number; delegation: string; revisions: ExplanationRevision[] }[]> {
  const rows = await sql<(ExplanationRevision & { number: number; delegation: string })[]>`
    select e.number, d.name as delegation, r.revision, r.clause_ids as "clauseIds", r.reservation, r.text, r.withdrawn,
           r.after_adoption as "afterAdoption", u.name as "filedByName", r.filed_at as "filedAt"
    from explanations_of_position e
    join delegations d on d.id = e.delegation_id
    join explanation_revisions r on r.explanation_id = e.id
    join users u on u.id = r.filed_by
    where e.document_id = ${documentId}
    order by e.number, r.revision`;
  const byNumber = new Map<number, { number: number; delegation: string; revisions: ExplanationRevision[] }>();
  for (const { number, delegation, ...revision } of rows) {
    const entry = byNumber.get(number) ?? { number, delegation, revisions: [] };
    entry.revisions.push(revision);
    byNumber.set(number, entry);
  }
  return [...byNumber.values()];
}

export async function findExplanation(sql: Db, documentId: string, id: string): Promise<ExplanationRow | null> {
  if (!isUuid(id)) return null;
  const [row] = await sql<ExplanationRow[]>`${latest(sql)} where e.document_id = ${documentId} and e.id = ${id}`;
  return row ?? null;
}

export interface ExplanationFiling {
  clauseIds: string[];
  reservation: boolean;
  text: string;
  withdrawn: boolean;
  userId: string;
}

/**
 * Whether the statement is adopted, read with a lock shared with an adoption (which updates the
 * row), so a filing is "before" or "after" adoption as it commits.
 */
async function adoptedNow(tx: Db, documentId: string): Promise<boolean> {
  const [row] = await tx<
    { adopted: boolean }[]
  >`select adopted_at is not null as adopted from documents where id = ${documentId} for share`;
  return row?.adopted ?? false;
}

/** Files a new explanation (its first revision). Call it in a transaction. */
export async function insertExplanation(
  tx: Db,
  e: { documentId: string; delegationId: string } & Omit<ExplanationFiling, "withdrawn">,
): Promise<{ id: string; number: number }> {
  const afterAdoption = await adoptedNow(tx, e.documentId);
  // The statement's row lock (taken above, shared) does not order numbering; this advisory lock does.
  await tx`select pg_advisory_xact_lock(hashtext('explanations:' || ${e.documentId}))`;
  const [row] = await tx<{ id: string; number: number }[]>`
    insert into explanations_of_position (document_id, delegation_id, number)
    values (${e.documentId}, ${e.delegationId},
            (select coalesce(max(number), 0) + 1 from explanations_of_position where document_id = ${e.documentId}))
    returning id, number`;
  await tx`
    insert into explanation_revisions (explanation_id, revision, clause_ids, reservation, text, after_adoption, filed_by)
    values (${row.id}, 1, ${e.clauseIds}, ${e.reservation}, ${e.text}, ${afterAdoption}, ${e.userId})`;
  return row;
}

/** A new revision (or the withdrawal) of an explanation; the earlier ones stay. Call it in a transaction. */
export async function reviseExplanation(tx: Db, e: { documentId: string; explanationId: string } & ExplanationFiling): Promise<number> {
  const afterAdoption = await adoptedNow(tx, e.documentId);
  // Two revisions at once would both take the same next number.
  await tx`select id from explanations_of_position where id = ${e.explanationId} for update`;
  const [row] = await tx<{ revision: number }[]>`
    insert into explanation_revisions (explanation_id, revision, clause_ids, reservation, text, withdrawn, after_adoption, filed_by)
    select ${e.explanationId}, max(revision) + 1, ${e.clauseIds}, ${e.reservation}, ${e.text}, ${e.withdrawn}, ${afterAdoption}, ${e.userId}
    from explanation_revisions where explanation_id = ${e.explanationId}
    returning revision`;
  return row.revision;
}
