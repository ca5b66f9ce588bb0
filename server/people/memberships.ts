import type { Sql } from "../db/sql";
import { publishAccessEvent } from "../auth/access-events";
import { findDelegation } from "../queries/delegations";
import { findMembership, removeMembership, setMembership, type MembershipRow, type Role } from "../queries/memberships";

export type MembershipChange =
  | { ok: true; changed: boolean; before: MembershipRow | null }
  | { ok: false; field: "userId" | "role" | "delegationId"; error: string };

/**
 * Gives a person a role in a conference (adding them when they are not yet part of it). A delegate
 * speaks for exactly one delegation of that conference; nobody else has one. Open collaboration
 * connections hear of the change at once.
 */
export async function assignRole(
  sql: Sql,
  m: { conferenceId: string; userId: string; role: Role; delegationId: string | null; actorId: string | null },
  { existingOnly = false } = {},
): Promise<MembershipChange> {
  if (m.userId === m.actorId) {
    return { ok: false, field: "userId", error: "You cannot change your own role. Ask another member of the secretariat or the administrator." };
  }
  const result = await sql.begin(async (tx): Promise<MembershipChange> => {
    let delegationId: string | null = null;
    if (m.role === "delegate") {
      if (!m.delegationId) return { ok: false, field: "delegationId", error: "Choose the delegation this delegate speaks for." };
      const delegation = await findDelegation(tx, m.conferenceId, m.delegationId);
      if (!delegation) return { ok: false, field: "delegationId", error: "There is no such delegation in this conference." };
      delegationId = delegation.id;
    }
    const before = await findMembership(tx, m.conferenceId, m.userId);
    if (!before && existingOnly) return { ok: false, field: "userId", error: "This person is not part of the conference." };
    if (before && before.role === m.role && before.delegationId === delegationId) return { ok: true, changed: false, before };
    await setMembership(tx, { conferenceId: m.conferenceId, userId: m.userId, role: m.role, delegationId });
    return { ok: true, changed: true, before };
  });
  if (result.ok && result.changed) await publishAccessEvent(sql, { type: "membership", conferenceId: m.conferenceId, userId: m.userId });
  return result;
}

/** Changes the role of someone who is already part of the conference. */
export async function changeRole(
  sql: Sql,
  m: { conferenceId: string; userId: string; role: Role; delegationId: string | null; actorId: string },
): Promise<MembershipChange> {
  return assignRole(sql, m, { existingOnly: true });
}

/** Removes a person from a conference; their open connections are closed. */
export async function removePerson(sql: Sql, m: { conferenceId: string; userId: string; actorId: string }): Promise<{ ok: true } | { ok: false; error: string }> {
  if (m.userId === m.actorId) return { ok: false, error: "You cannot remove yourself. Ask another member of the secretariat or the administrator." };
  if (!(await removeMembership(sql, m.conferenceId, m.userId))) return { ok: false, error: "This person is not part of the conference." };
  await publishAccessEvent(sql, { type: "membership", conferenceId: m.conferenceId, userId: m.userId });
  return { ok: true };
}
