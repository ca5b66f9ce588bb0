import type { Sql } from "../db/sql";
import { appendAudit } from "../audit/log";
import { listDelegations, lockDelegation } from "../queries/delegations";
import { membersOfGroup, setGroupMembers } from "../queries/delegation-groups";
import { refuse } from "../negotiation/refusal";
import type { DelegationKind } from "../../app/statement/vocabulary";
import { delegationKindLabels } from "../../app/statement/people-labels";

/**
 * The secretariat's settings of who negotiates: a delegation's kind, a group's members and
 * whether delegations that do not negotiate may propose. Each is checked here and refused
 * whole; the database checks the same rules again (db/migrations/013_delegation_kinds.sql).
 * They decide who counts toward consensus, so each change is audited in its own transaction, as
 * a change of role is; a change that changes nothing records nothing.
 */

export async function setDelegationKind(
  sql: Sql,
  c: { conferenceId: string; actorId: string; delegationId: string; kind: DelegationKind },
): Promise<{ changed: boolean }> {
  return sql.begin(async (tx) => {
    const d = (await lockDelegation(tx, c.conferenceId, c.delegationId)) ?? refuse(404, "There is no such delegation.", "delegationId");
    if (d.kind === c.kind) return { changed: false };
    const [{ members, groups }] = await tx<{ members: number; groups: number }[]>`
      select (select count(*)::int from delegation_group_members where group_id = ${d.id}) as members,
             (select count(*)::int from delegation_group_members where member_id = ${d.id}) as groups`;
    if (c.kind !== "group" && members > 0)
      refuse(409, `${d.name} has member delegations; remove them before it stops being a group.`, "kind");
    if (c.kind === "group" && groups > 0) refuse(409, `${d.name} is a member of a group, and a group cannot be one.`, "kind");
    await tx`update delegations set kind = ${c.kind} where id = ${d.id}`;
    await appendAudit(tx, {
      conferenceId: c.conferenceId,
      actorId: c.actorId,
      action: "delegation.kind_changed",
      subject: { delegationId: d.id, delegation: d.name, from: d.kind, to: c.kind },
    });
    return { changed: true };
  });
}

/** A delegation in a list of members, as the audit trail names it: by id and code (a group may have a hundred members). */
const listed = (d: { id: string; code: string }) => ({ delegationId: d.id, delegation: d.code });

export async function setGroupMembership(
  sql: Sql,
  c: { conferenceId: string; actorId: string; groupId: string; memberIds: readonly string[] },
): Promise<{ changed: boolean }> {
  return sql.begin(async (tx) => {
    // Locked, so that two changes of the same group's members take turns and each records what the other left.
    const group = (await lockDelegation(tx, c.conferenceId, c.groupId)) ?? refuse(404, "There is no such delegation.", "delegationId");
    if (group.kind !== "group")
      refuse(409, `${group.name} is not a group (its kind is “${delegationKindLabels[group.kind]}”); only a group has members.`);
    const chosen = new Set(c.memberIds);
    const all = await listDelegations(tx, c.conferenceId);
    const known = new Set(all.map((d) => d.id));
    for (const id of chosen) if (!known.has(id)) refuse(400, "A chosen member is not a delegation of this conference.", "members");
    const after = all.filter((d) => chosen.has(d.id));
    for (const member of after)
      if (member.kind === "group") refuse(400, `${member.name} is a group; a group cannot be a member of another.`, "members");
    const before = await membersOfGroup(tx, group.id);
    const had = new Set(before.map((d) => d.id));
    if (before.length === after.length && after.every((d) => had.has(d.id))) return { changed: false };
    await setGroupMembers(tx, c.conferenceId, group.id, [...chosen]);
    await appendAudit(tx, {
      conferenceId: c.conferenceId,
      actorId: c.actorId,
      action: "group.members_changed",
      subject: {
        groupId: group.id,
        group: group.name,
        from: before.map(listed),
        to: after.map(listed),
        added: after.filter((d) => !had.has(d.id)).map(listed),
        removed: before.filter((d) => !chosen.has(d.id)).map(listed),
      },
    });
    return { changed: true };
  });
}

export async function setNonNegotiatingMayPropose(
  sql: Sql,
  c: { conferenceId: string; actorId: string; allowed: boolean },
): Promise<{ changed: boolean }> {
  return sql.begin(async (tx) => {
    const [row] = await tx`
      update conferences set non_negotiating_may_propose = ${c.allowed}
      where id = ${c.conferenceId} and non_negotiating_may_propose <> ${c.allowed}
      returning id`;
    if (!row) return { changed: false };
    await appendAudit(tx, {
      conferenceId: c.conferenceId,
      actorId: c.actorId,
      action: "proposal_rights.changed",
      subject: { from: !c.allowed, to: c.allowed },
    });
    return { changed: true };
  });
}

export async function nonNegotiatingMayPropose(sql: Sql, conferenceId: string): Promise<boolean> {
  const [row] = await sql<
    { allowed: boolean }[]
  >`select non_negotiating_may_propose as allowed from conferences where id = ${conferenceId}`;
  return row?.allowed ?? false;
}
