import type { Sql } from "../db/sql";
import { findDelegation, listDelegations } from "../queries/delegations";
import { setGroupMembers } from "../queries/delegation-groups";
import { refuse } from "../negotiation/refusal";
import type { DelegationKind } from "../../app/statement/vocabulary";
import { delegationKindLabels } from "../../app/statement/people-labels";

/**
 * The secretariat's settings of who negotiates: a delegation's kind, a group's members and
 * whether delegations that do not negotiate may propose. Each is checked here and refused
 * whole; the database checks the same rules again (db/migrations/013_delegation_kinds.sql).
 */

export async function setDelegationKind(sql: Sql, conferenceId: string, delegationId: string, kind: DelegationKind): Promise<void> {
  await sql.begin(async (tx) => {
    const d = (await findDelegation(tx, conferenceId, delegationId)) ?? refuse(404, "There is no such delegation.", "delegationId");
    const [{ members, groups }] = await tx<{ members: number; groups: number }[]>`
      select (select count(*)::int from delegation_group_members where group_id = ${d.id}) as members,
             (select count(*)::int from delegation_group_members where member_id = ${d.id}) as groups`;
    if (kind !== "group" && members > 0)
      refuse(409, `${d.name} has member delegations; remove them before it stops being a group.`, "kind");
    if (kind === "group" && groups > 0) refuse(409, `${d.name} is a member of a group, and a group cannot be one.`, "kind");
    await tx`update delegations set kind = ${kind} where id = ${d.id}`;
  });
}

export async function setGroupMembership(sql: Sql, conferenceId: string, groupId: string, memberIds: readonly string[]): Promise<void> {
  await sql.begin(async (tx) => {
    const group = (await findDelegation(tx, conferenceId, groupId)) ?? refuse(404, "There is no such delegation.", "delegationId");
    if (group.kind !== "group")
      refuse(409, `${group.name} is not a group (its kind is “${delegationKindLabels[group.kind]}”); only a group has members.`);
    const all = new Map((await listDelegations(tx, conferenceId)).map((d) => [d.id, d]));
    const unique = [...new Set(memberIds)];
    for (const id of unique) {
      const member = all.get(id) ?? refuse(400, "A chosen member is not a delegation of this conference.", "members");
      if (member.kind === "group") refuse(400, `${member.name} is a group; a group cannot be a member of another.`, "members");
    }
    await setGroupMembers(tx, conferenceId, group.id, unique);
  });
}

export async function setNonNegotiatingMayPropose(sql: Sql, conferenceId: string, allowed: boolean): Promise<void> {
  await sql`update conferences set non_negotiating_may_propose = ${allowed} where id = ${conferenceId}`;
}

export async function nonNegotiatingMayPropose(sql: Sql, conferenceId: string): Promise<boolean> {
  const [row] = await sql<
    { allowed: boolean }[]
  >`select non_negotiating_may_propose as allowed from conferences where id = ${conferenceId}`;
  return row?.allowed ?? false;
}
