import { createHash, randomBytes } from "node:crypto";
import type postgres from "postgres";
import type { Db } from "../db/sql";
import { isUuid } from "./ids";
import type { InvitationStatus, Role } from "../../app/statement/vocabulary";

/** Only the sha256 of an invitation token is stored: a copy of the table gives no usable link. */
export const hashInvitationToken = (token: string) => createHash("sha256").update(token).digest("hex");

export interface InvitationRow {
  id: string;
  conferenceId: string;
  email: string;
  role: Role;
  delegationId: string | null;
  delegationName: string | null;
  delegationCode: string | null;
  /** A translator's language. */
  language: string | null;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  acceptedAt: Date | null;
  status: InvitationStatus;
}

export interface InvitationWithConference extends InvitationRow {
  conferenceTitle: string;
  /** The conference's working languages now. */
  conferenceLanguages: string[];
  conferenceSubtitle: string;
  conferenceVenue: string;
}

// Accepted and revoked win over expired: they say what happened, "expired" only that nothing did.
const statusSql = (sql: Db) => sql`
  case when i.accepted_at is not null then 'accepted'
       when i.revoked_at is not null then 'revoked'
       when i.expires_at <= now() then 'expired'
       else 'pending' end`;

const columns = (sql: Db) => sql`
  i.id, i.conference_id as "conferenceId", i.email, i.role, i.delegation_id as "delegationId",
  d.name as "delegationName", d.code as "delegationCode", i.language,
  i.created_at as "createdAt", i.expires_at as "expiresAt", i.revoked_at as "revokedAt", i.accepted_at as "acceptedAt",
  ${statusSql(sql)} as status`;

/**
 * Creates a one-time invitation and returns its token, which exists only in this return value
 * (and the link made from it): the table keeps its hash.
 */
export async function createInvitation(
  sql: Db,
  i: {
    conferenceId: string;
    email: string;
    role: Role;
    delegationId: string | null;
    language: string | null;
    createdBy: string | null;
    expiresAt: Date;
  },
): Promise<{ id: string; token: string }> {
  const token = randomBytes(32).toString("base64url");
  const [row] = await sql<{ id: string }[]>`
    insert into invitations (conference_id, token_hash, email, role, delegation_id, language, created_by, expires_at)
    values (${i.conferenceId}, ${hashInvitationToken(token)}, ${i.email.trim()}, ${i.role}, ${i.role === "delegate" ? i.delegationId : null},
            ${i.role === "translator" ? i.language : null}, ${i.createdBy}, ${i.expiresAt})
    returning id`;
  return { id: row.id, token };
}

export async function listInvitations(sql: Db, conferenceId: string): Promise<InvitationRow[]> {
  return sql<InvitationRow[]>`
    select ${columns(sql)}
    from invitations i left join delegations d on d.id = i.delegation_id
    where i.conference_id = ${conferenceId}
    order by (${statusSql(sql)}) = 'pending' desc, i.created_at desc`;
}

/**
 * The invitation a link names, with its conference. With `lock`, the row stays locked until the
 * transaction ends, so that two uses of one link are decided one after the other.
 */
export async function findInvitationByToken(sql: Db, token: string, { lock = false } = {}): Promise<InvitationWithConference | null> {
  if (!token || token.length > 200) return null;
  return findInvitationWhere(sql, sql`i.token_hash = ${hashInvitationToken(token)}`, lock);
}

/** An invitation by id (single sign-on accepts those of a verified address), locked as `findInvitationByToken` does. */
export async function findInvitationById(sql: Db, id: string, { lock = false } = {}): Promise<InvitationWithConference | null> {
  if (!isUuid(id)) return null;
  return findInvitationWhere(sql, sql`i.id = ${id}`, lock);
}

async function findInvitationWhere(sql: Db, where: postgres.Fragment, lock: boolean): Promise<InvitationWithConference | null> {
  const [row] = await sql<InvitationWithConference[]>`
    select ${columns(sql)}, c.title as "conferenceTitle", c.languages as "conferenceLanguages", c.subtitle as "conferenceSubtitle", c.venue as "conferenceVenue"
    from invitations i
      join conferences c on c.id = i.conference_id
      left join delegations d on d.id = i.delegation_id
    where ${where}
    ${lock ? sql`for update of i` : sql``}`;
  return row ?? null;
}

/** The pending invitations for an e-mail address (whatever its case), oldest first. */
export async function pendingInvitationIds(sql: Db, email: string): Promise<string[]> {
  const rows = await sql<{ id: string }[]>`
    select id from invitations
    where lower(email) = lower(${email}) and accepted_at is null and revoked_at is null and expires_at > now()
    order by created_at`;
  return rows.map((r) => r.id);
}

export async function markInvitationAccepted(sql: Db, id: string, userId: string): Promise<void> {
  await sql`update invitations set accepted_at = now(), accepted_by = ${userId} where id = ${id}`;
}

/** Revokes a pending invitation of the conference; false when there is none (used, expired, revoked, or another conference's). */
export async function revokeInvitation(sql: Db, conferenceId: string, id: string): Promise<boolean> {
  if (!isUuid(id)) return false;
  const rows = await sql`
    update invitations set revoked_at = now()
    where conference_id = ${conferenceId} and id = ${id}
      and accepted_at is null and revoked_at is null and expires_at > now()
    returning 1`;
  return rows.length > 0;
}
