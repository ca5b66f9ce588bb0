import type { Db } from "../db/sql";

/** Groups of delegations ("G-77 and China") and their member delegations. */

export async function isGroupMember(sql: Db, groupId: string, memberId: string): Promise<boolean> {
  const rows = await sql`select 1 from delegation_group_members where group_id = ${groupId} and member_id = ${memberId}`;
  return rows.length > 0;
}

/** Each group of a conference with the ids of its members. */
export async function listGroupMembers(sql: Db, conferenceId: string): Promise<Map<string, string[]>> {
  const rows = await sql<{ groupId: string; memberIds: string[] }[]>`
    select g.group_id as "groupId", array_agg(g.member_id order by d.name) as "memberIds"
    from delegation_group_members g join delegations d on d.id = g.member_id
    where g.conference_id = ${conferenceId} group by g.group_id`;
  return new Map(rows.map((r) => [r.groupId, r.memberIds]));
}

/** A group's members, by name. */
export async function membersOfGroup(sql: Db, groupId: string): Promise<{ id: string; code: string; name: string }[]> {
  return sql<{ id: string; code: string; name: string }[]>`
    select d.id, d.code, d.name from delegation_group_members g join delegations d on d.id = g.member_id
    where g.group_id = ${groupId} order by d.name`;
}

/** Replaces a group's members; the database checks that all are of the conference and none is a group. */
export async function setGroupMembers(sql: Db, conferenceId: string, groupId: string, memberIds: readonly string[]): Promise<void> {
  await sql`delete from delegation_group_members where group_id = ${groupId}`;
  if (memberIds.length === 0) return;
  const rows = memberIds.map((memberId) => ({ conference_id: conferenceId, group_id: groupId, member_id: memberId }));
  await sql`insert into delegation_group_members ${sql(rows, "conference_id", "group_id", "member_id")}`;
}

/** The groups a delegation is a member of, by name: those it may align with. */
export async function groupsOfMember(sql: Db, memberId: string): Promise<{ id: string; code: string; name: string }[]> {
  return sql<{ id: string; code: string; name: string }[]>`
    select d.id, d.code, d.name from delegation_group_members g join delegations d on d.id = g.group_id
    where g.member_id = ${memberId} order by d.name`;
}
