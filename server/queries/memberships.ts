import type { Db } from "../db/sql";
import type { Role } from "../../app/statement/vocabulary";

export interface MembershipRow {
  conferenceId: string;
  userId: string;
  role: Role;
  delegationId: string | null;
  /** A translator's language. */
  language: string | null;
}

export async function findMembership(sql: Db, conferenceId: string, userId: string): Promise<MembershipRow | null> {
  const [row] = await sql<MembershipRow[]>`
    select conference_id as "conferenceId", user_id as "userId", role, delegation_id as "delegationId", language
    from memberships where conference_id = ${conferenceId} and user_id = ${userId}`;
  return row ?? null;
}

export interface MemberListing extends MembershipRow {
  name: string;
  email: string;
  delegationName: string | null;
  delegationCode: string | null;
}

export async function listMembers(sql: Db, conferenceId: string): Promise<MemberListing[]> {
  return sql<MemberListing[]>`
    select m.conference_id as "conferenceId", m.user_id as "userId", m.role, m.delegation_id as "delegationId", m.language,
           u.name, u.email, d.name as "delegationName", d.code as "delegationCode"
    from memberships m join users u on u.id = m.user_id left join delegations d on d.id = m.delegation_id
    where m.conference_id = ${conferenceId}
    order by array_position(array['secretariat','chair','delegate','observer','translator'], m.role), d.name nulls first, u.name`;
}

/** Adds a person to a conference or changes their role there (a translator with their language). */
export async function setMembership(sql: Db, m: Omit<MembershipRow, "language"> & { language?: string | null }): Promise<void> {
  await sql`
    insert into memberships (conference_id, user_id, role, delegation_id, language)
    values (${m.conferenceId}, ${m.userId}, ${m.role}, ${m.delegationId}, ${m.language ?? null})
    on conflict (conference_id, user_id) do update
      set role = excluded.role, delegation_id = excluded.delegation_id, language = excluded.language`;
}

export async function removeMembership(sql: Db, conferenceId: string, userId: string): Promise<boolean> {
  const rows = await sql`delete from memberships where conference_id = ${conferenceId} and user_id = ${userId} returning 1`;
  return rows.length > 0;
}

/** Conferences a person takes part in, with their role in each. */
export async function listUserConferences(sql: Db, userId: string) {
  return sql<{ id: string; title: string; subtitle: string; venue: string; role: Role }[]>`
    select c.id, c.title, c.subtitle, c.venue, m.role
    from memberships m join conferences c on c.id = m.conference_id
    where m.user_id = ${userId} order by c.created_at`;
}
