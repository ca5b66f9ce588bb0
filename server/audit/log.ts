import type postgres from "postgres";
import { canonicalJson, entryHash } from "./hash";
import type { AuditAction } from "../../app/statement/vocabulary";

/** A transaction: an entry is only ever written together with the change it records. */
export type Tx = postgres.TransactionSql;

export interface AuditEntryInput {
  /** The conference whose chain it joins; looked up from the document when not given. */
  conferenceId?: string;
  documentId?: string | null;
  /** The person who did it; null for the system. Their name, role and delegation are recorded as they are now. */
  actorId: string | null;
  action: AuditAction;
  /** What a reader needs to understand the entry: ids, labels, reasons. */
  subject: Record<string, unknown>;
}

export interface AppendedEntry {
  conferenceId: string;
  seq: number;
  hash: string;
}

async function conferenceOf(tx: Tx, e: AuditEntryInput): Promise<string> {
  if (e.conferenceId) return e.conferenceId;
  if (!e.documentId) throw new Error("an audit entry needs its conference or its document");
  const [doc] = await tx<{ conferenceId: string }[]>`select conference_id as "conferenceId" from documents where id = ${e.documentId}`;
  if (!doc) throw new Error(`no document ${e.documentId} to audit`);
  return doc.conferenceId;
}

async function actorOf(tx: Tx, conferenceId: string, actorId: string | null) {
  if (!actorId) return { name: "System", role: "system", delegation: null };
  const [row] = await tx<{ name: string; role: string | null; isAdmin: boolean; delegation: string | null }[]>`
    select u.name, m.role, u.is_admin as "isAdmin", d.name as delegation
    from users u
    left join memberships m on m.user_id = u.id and m.conference_id = ${conferenceId}
    left join delegations d on d.id = m.delegation_id
    where u.id = ${actorId}`;
  if (!row) throw new Error(`no user ${actorId} to audit`);
  // The deployment administrator acts as secretariat without being a member.
  return { name: row.name, role: row.role ?? (row.isAdmin ? "administrator" : "none"), delegation: row.delegation };
}

/**
 * Appends an entry to its conference's chain, inside the caller's transaction: it commits with
 * the change it records or not at all. The chain head's row lock makes concurrent appends to one
 * conference take turns (held until the transaction ends), so each entry follows exactly one other.
 */
export async function appendAudit(tx: Tx, e: AuditEntryInput): Promise<AppendedEntry> {
  const conferenceId = await conferenceOf(tx, e);
  const actor = await actorOf(tx, conferenceId, e.actorId);
  // Stored as it is hashed: no undefined members, dates as text.
  const subject = JSON.parse(canonicalJson(e.subject)) as Record<string, unknown>;
  await tx`insert into audit_heads (conference_id) values (${conferenceId}) on conflict do nothing`;
  const [head] = await tx<{ seq: string; hash: string }[]>`
    select seq, hash from audit_heads where conference_id = ${conferenceId} for update`;
  // Read after the lock is held, so the chain's times follow its order; milliseconds, as hashed.
  const [{ at }] = await tx<{ at: Date }[]>`select date_trunc('milliseconds', clock_timestamp()) as at`;
  const entry = {
    seq: Number(head.seq) + 1,
    conferenceId,
    documentId: e.documentId ?? null,
    at,
    actorId: e.actorId,
    actorName: actor.name,
    actorRole: actor.role,
    delegation: actor.delegation,
    action: e.action,
    subject,
    prevHash: head.hash,
  };
  const hash = entryHash(entry);
  await tx`
    insert into audit_log (conference_id, seq, document_id, at, actor_id, actor_name, actor_role, delegation, action, subject, prev_hash, hash)
    values (${conferenceId}, ${entry.seq}, ${entry.documentId}, ${at}, ${entry.actorId}, ${actor.name}, ${actor.role}, ${actor.delegation},
            ${e.action}, ${tx.json(subject as postgres.JSONValue)}, ${entry.prevHash}, ${hash})`;
  await tx`update audit_heads set seq = ${entry.seq}, hash = ${hash} where conference_id = ${conferenceId}`;
  return { conferenceId, seq: entry.seq, hash };
}
