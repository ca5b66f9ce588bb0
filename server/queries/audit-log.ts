import type { Db } from "../db/sql";
import type { HashedEntry } from "../audit/hash";

/** An entry as stored: what is hashed, and its hash. */
export interface AuditRow extends HashedEntry {
  subject: Record<string, unknown>;
  hash: string;
}

const columns = (sql: Db) => sql`
  conference_id as "conferenceId", seq::float8 as seq, document_id as "documentId", at, actor_id as "actorId",
  actor_name as "actorName", actor_role as "actorRole", delegation, action, subject, prev_hash as "prevHash", hash`;

/** A page of a conference's log, newest first. */
export async function auditPage(sql: Db, conferenceId: string, page: { limit: number; offset: number }): Promise<AuditRow[]> {
  return sql<AuditRow[]>`
    select ${columns(sql)} from audit_log where conference_id = ${conferenceId}
    order by seq desc limit ${page.limit} offset ${page.offset}`;
}

export async function auditCount(sql: Db, conferenceId: string): Promise<number> {
  const [row] = await sql<{ n: number }[]>`select count(*)::float8 as n from audit_log where conference_id = ${conferenceId}`;
  return row.n;
}

/** A conference's whole log in chain order, read in batches (a log grows for ever). */
export async function* auditChain(sql: Db, conferenceId: string, batch = 1000): AsyncGenerator<AuditRow> {
  for (let after = 0; ;) {
    const rows = await sql<AuditRow[]>`
      select ${columns(sql)} from audit_log where conference_id = ${conferenceId} and seq > ${after}
      order by seq limit ${batch}`;
    yield* rows;
    if (rows.length < batch) return;
    after = rows[rows.length - 1].seq;
  }
}

/** Where a conference's chain ended when it was last appended to; null before its first entry. */
export async function auditHead(sql: Db, conferenceId: string): Promise<{ seq: number; hash: string } | null> {
  const [row] = await sql<{ seq: number; hash: string }[]>`
    select seq::float8 as seq, hash from audit_heads where conference_id = ${conferenceId}`;
  return row ?? null;
}

/** Every conference that has a chain (or entries without one), for verifying them all. */
export async function auditedConferences(sql: Db): Promise<{ id: string; title: string }[]> {
  return sql<{ id: string; title: string }[]>`
    select c.id, c.title from conferences c
    where exists (select 1 from audit_heads h where h.conference_id = c.id)
       or exists (select 1 from audit_log l where l.conference_id = c.id)
    order by c.created_at, c.id`;
}
