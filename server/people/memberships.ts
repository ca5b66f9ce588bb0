import type { Sql } from "../db/sql";
import { publishAccessEvent } from "../auth/access-events";
import { appendAudit, type Tx } from "../audit/log";
import { findConference } from "../queries/conferences";
import { findDelegation } from "../queries/delegations";
import { findMembership, removeMembership, setMembership, type MembershipRow } from "../queries/memberships";
import { findUser } from "../queries/users";
import { languageProblem } from "./translator-language";
import type { Role } from "../../app/statement/vocabulary";

type Held = Pick<MembershipRow, "role" | "delegationId" | "language">;

/** A membership as the audit trail names it: the role, the delegation by name, a translator's language. */
async function describeMembership(tx: Tx, conferenceId: string, m: Held | null) {
  if (!m) return null;
  const delegation = m.delegationId ? await findDelegation(tx, conferenceId, m.delegationId) : null;
  return { role: m.role, delegationId: m.delegationId, delegation: delegation?.name ?? null, language: m.language };
}

/** The person a membership entry is about, by id, name and e-mail. */
async function describePerson(tx: Tx, userId: string) {
  const user = await findUser(tx, userId);
  return { userId, person: user?.name ?? null, email: user?.email ?? null };
}

/** Records a membership given, changed, taken away or taken up (by invitation) in the audit trail. */
export async function auditMembership(
  tx: Tx,
  e: {
    conferenceId: string;
    actorId: string | null;
    action: "role.assigned" | "role.changed" | "member.removed" | "invitation.accepted";
    userId: string;
    before: Held | null;
    after: Held | null;
    extra?: Record<string, unknown>;
  },
): Promise<void> {
  await appendAudit(tx, {
    conferenceId: e.conferenceId,
    actorId: e.actorId,
    action: e.action,
    subject: {
      ...(await describePerson(tx, e.userId)),
      from: await describeMembership(tx, e.conferenceId, e.before),
      to: await describeMembership(tx, e.conferenceId, e.after),
      ...e.extra,
    },
  });
}

export type MembershipChange =
  | { ok: true; changed: boolean; before: MembershipRow | null }
  | { ok: false; field: "userId" | "role" | "delegationId" | "language"; error: string }
  /** Refused because the person is of the secretariat and the caller asked to leave the secretariat alone. */
  | { ok: false; field: "userId"; error: string; secretariat: true };

/**
 * Gives a person a role in a conference (adding them when they are not yet part of it). A delegate
 * speaks for exactly one delegation of that conference, a translator works in exactly one of its
 * languages; nobody else has either. Open collaboration connections hear of the change at once.
 */
export async function assignRole(
  sql: Sql,
  m: {
    conferenceId: string;
    userId: string;
    role: Role;
    delegationId: string | null;
    /** A translator's language (ISO 639-1), one of the conference's; null for every other role. */
    language: string | null;
    /** Who does it; null lets the administrator appoint themselves (nobody else changes their own role). */
    actorId: string | null;
    /** Who the audit trail names when that is not `actorId` (the administrator appointing). */
    recordedActorId?: string | null;
  },
  {
    existingOnly = false,
    leaveSecretariat = false,
  }: {
    existingOnly?: boolean;
    /** Bulk changes (a CSV import) must not demote the people who run the conference. */
    leaveSecretariat?: boolean;
  } = {},
): Promise<MembershipChange> {
  if (m.userId === m.actorId) {
    return {
      ok: false,
      field: "userId",
      error: "You cannot change your own role. Ask another member of the secretariat or the administrator.",
    };
  }
  const result = await sql.begin(async (tx): Promise<MembershipChange> => {
    let delegationId: string | null = null;
    if (m.role === "delegate") {
      if (!m.delegationId) return { ok: false, field: "delegationId", error: "Choose the delegation this delegate speaks for." };
      const delegation = await findDelegation(tx, m.conferenceId, m.delegationId);
      if (!delegation) return { ok: false, field: "delegationId", error: "There is no such delegation in this conference." };
      delegationId = delegation.id;
    }
    const conference = await findConference(tx, m.conferenceId);
    const problem = languageProblem(m.role, m.language, conference?.languages ?? []);
    if (problem) return { ok: false, field: "language", error: problem };
    const before = await findMembership(tx, m.conferenceId, m.userId);
    if (!before && existingOnly) return { ok: false, field: "userId", error: "This person is not part of the conference." };
    if (before && before.role === m.role && before.delegationId === delegationId && before.language === m.language)
      return { ok: true, changed: false, before };
    if (before?.role === "secretariat" && leaveSecretariat) {
      return {
        ok: false,
        field: "userId",
        error: "This person is of the secretariat; their role is changed on the People page only.",
        secretariat: true,
      };
    }
    await setMembership(tx, { conferenceId: m.conferenceId, userId: m.userId, role: m.role, delegationId, language: m.language });
    await auditMembership(tx, {
      conferenceId: m.conferenceId,
      actorId: m.recordedActorId ?? m.actorId,
      action: before ? "role.changed" : "role.assigned",
      userId: m.userId,
      before,
      after: { role: m.role, delegationId, language: m.language },
    });
    return { ok: true, changed: true, before };
  });
  if (result.ok && result.changed) await publishAccessEvent(sql, { type: "membership", conferenceId: m.conferenceId, userId: m.userId });
  return result;
}

/** Changes the role of someone who is already part of the conference. */
export async function changeRole(
  sql: Sql,
  m: { conferenceId: string; userId: string; role: Role; delegationId: string | null; language: string | null; actorId: string },
): Promise<MembershipChange> {
  return assignRole(sql, m, { existingOnly: true });
}

/** Removes a person from a conference; their open connections are closed. */
export async function removePerson(
  sql: Sql,
  m: { conferenceId: string; userId: string; actorId: string },
): Promise<{ ok: true } | { ok: false; error: string }> {
  if (m.userId === m.actorId)
    return { ok: false, error: "You cannot remove yourself. Ask another member of the secretariat or the administrator." };
  const removed = await sql.begin(async (tx) => {
    const before = await findMembership(tx, m.conferenceId, m.userId);
    if (!before || !(await removeMembership(tx, m.conferenceId, m.userId))) return false;
    await auditMembership(tx, {
      conferenceId: m.conferenceId,
      actorId: m.actorId,
      action: "member.removed",
      userId: m.userId,
      before,
      after: null,
    });
    return true;
  });
  if (!removed) return { ok: false, error: "This person is not part of the conference." };
  await publishAccessEvent(sql, { type: "membership", conferenceId: m.conferenceId, userId: m.userId });
  return { ok: true };
}
