/**
 * What the secretariat's people page does on the server, beside its route: the rules behind each
 * of its forms and the sentences that answer them. The route checks the right and reads the form,
 * calls one of these and answers with what it returns. A `.server` module (and ignored as a route
 * by `remix.config.js`), so none of it can reach the browser bundle.
 */
import type { Sql } from "../../server/db/sql";
import { findConference } from "../../server/queries/conferences";
import { findDelegation, listDelegations } from "../../server/queries/delegations";
import { listInvitations, revokeInvitation } from "../../server/queries/invitations";
import { findMembership, listMembers } from "../../server/queries/memberships";
import { findUser, findUserByEmail } from "../../server/queries/users";
import { importPeople, type ImportReportRow } from "../../server/people/import";
import { issueInvitation } from "../../server/people/invitations";
import { changeRole, removePerson } from "../../server/people/memberships";
import { languageProblem } from "../../server/people/translator-language";
import { makeResetLink } from "../../server/auth/password-reset";
import { mailing } from "../../server/mail/outbox";
import type { UserRow } from "../../server/queries/users";
import { describeRole, roleLabels } from "~/statement/people-labels";
import type { Role } from "~/statement/vocabulary";

/** A refusal, by the field it is about ("form" for the form as a whole). */
type FormRefusal = { ok: false; field: string; error: string };

/** Everything the page lists: the participants, the delegations to choose from, the invitations; and whether invitations are mailed. */
export async function peoplePageData(sql: Sql, conferenceId: string) {
  const [members, delegations, invitations] = await Promise.all([
    listMembers(sql, conferenceId),
    listDelegations(sql, conferenceId),
    listInvitations(sql, conferenceId),
  ]);
  return { members, delegations, invitations, mailing: mailing() };
}

async function personName(sql: Sql, userId: string): Promise<string> {
  return (await findUser(sql, userId))?.name ?? "The person";
}

/** Gives a participant another role (a delegate speaks for a delegation, a translator works in a language; the others neither). */
export async function changeParticipantRole(
  sql: Sql,
  c: { conferenceId: string; actorId: string; userId: string; role: Role; delegationId: string | undefined; language: string | undefined },
): Promise<{ ok: true; message: string } | FormRefusal> {
  const delegationId = c.role === "delegate" ? (c.delegationId ?? null) : null;
  const language = c.language ?? null;
  const change = await changeRole(sql, {
    conferenceId: c.conferenceId,
    userId: c.userId,
    role: c.role,
    delegationId,
    language,
    actorId: c.actorId,
  });
  if (!change.ok) {
    // Errors about the person (not a participant, or oneself) are about the form as a whole: that row may have no form.
    return { ok: false, field: change.field === "userId" ? "form" : change.field, error: change.error };
  }
  const delegation = delegationId ? await findDelegation(sql, c.conferenceId, delegationId) : null;
  const person = await personName(sql, c.userId);
  return {
    ok: true,
    message: change.changed
      ? `${person} is now ${describeRole(c.role, delegation, language)}.`
      : `${person} was already ${describeRole(c.role, delegation, language)}; nothing changed.`,
  };
}

/** Takes a participant out of the conference (never oneself). */
export async function removeParticipant(
  sql: Sql,
  r: { conferenceId: string; actorId: string; userId: string },
): Promise<{ ok: true; message: string } | FormRefusal> {
  const person = await personName(sql, r.userId);
  const removed = await removePerson(sql, r);
  if (!removed.ok) return { ok: false, field: "form", error: removed.error };
  return { ok: true, message: `${person} was removed from the conference.` };
}

/**
 * Invites a person by e-mail: a delegate for a delegation of this conference, a translator for one
 * of its languages, and nobody who already takes part (their role is changed in the list instead).
 * The link is returned once.
 */
export async function inviteParticipant(
  sql: Sql,
  i: {
    conferenceId: string;
    actorId: string;
    email: string;
    role: Role;
    delegationId: string | undefined;
    language: string | undefined;
    days: number;
    origin: string;
  },
): Promise<{ ok: true; message: string; invitation: { email: string; link: string; expiresAt: string } } | FormRefusal> {
  const delegation = i.role === "delegate" && i.delegationId ? await findDelegation(sql, i.conferenceId, i.delegationId) : null;
  if (i.role === "delegate" && !delegation)
    return { ok: false, field: "delegationId", error: "There is no such delegation in this conference." };
  const language = i.language ?? null;
  const problem = languageProblem(i.role, language, (await findConference(sql, i.conferenceId))?.languages ?? []);
  if (problem) return { ok: false, field: "language", error: problem };
  const account = await findUserByEmail(sql, i.email);
  const membership = account ? await findMembership(sql, i.conferenceId, account.id) : null;
  if (membership) {
    return {
      ok: false,
      field: "email",
      error: `${i.email} already takes part in this conference as ${roleLabels[membership.role]}. Change their role in the list of participants.`,
    };
  }
  const invitation = await issueInvitation(sql, {
    conferenceId: i.conferenceId,
    email: i.email,
    role: i.role,
    delegationId: delegation?.id ?? null,
    language,
    createdBy: i.actorId,
    days: i.days,
    origin: i.origin,
  });
  return {
    ok: true,
    message: `Invitation created for ${i.email} as ${describeRole(i.role, delegation, language)}.${
      invitation.mailed ? " It is on its way to them by e-mail." : ""
    }`,
    invitation: { email: i.email, link: invitation.link, expiresAt: invitation.expiresAt.toISOString() },
  };
}

/** Withdraws an invitation still pending; its link stops working. */
export async function revokeParticipantInvitation(
  sql: Sql,
  r: { conferenceId: string; invitationId: string },
): Promise<{ ok: true; message: string } | FormRefusal> {
  if (!(await revokeInvitation(sql, r.conferenceId, r.invitationId)))
    return { ok: false, field: "form", error: "This invitation is no longer pending: it was used, has expired or was revoked already." };
  return { ok: true, message: "The invitation was revoked; its link no longer works." };
}

/** Imports participants from a CSV text, and sums up what became of its rows. */
export async function importParticipants(
  sql: Sql,
  i: { conferenceId: string; actorId: string; text: string; fileName: string; origin: string },
): Promise<{ ok: true; message: string; report: ImportReportRow[] } | FormRefusal> {
  const result = await importPeople(sql, { conferenceId: i.conferenceId, actorId: i.actorId, text: i.text, origin: i.origin });
  if (!result.ok) return { ok: false, field: "file", error: result.error };
  const c = result.counts;
  const done = c.added + c.updated + c.invited + c.unchanged;
  return {
    ok: true,
    message: `Import of ${i.fileName || "the file"} finished: ${done} of ${result.rows.length} rows accepted (${c.invited} invited, ${
      c.added
    } added, ${c.updated} updated, ${c.unchanged} unchanged), ${c.rejected} rejected.${
      c.kept ? ` ${c.kept} kept as they are: the secretariat and the deployment administrator are never changed by an import.` : ""
    }`,
    report: result.rows,
  };
}

/**
 * A link for a participant to choose a new password (they cannot receive mail, or this Concord
 * sends none), to hand over; server/auth/password-reset.ts says for whom it may be made, and
 * refuses (a `Refusal`) otherwise.
 */
export async function participantResetLink(
  sql: Sql,
  r: { conferenceId: string; actor: UserRow; userId: string; origin: string },
): Promise<{ message: string; resetLink: { link: string; expiresAt: string } }> {
  const made = await makeResetLink(sql, r);
  return {
    message: `Password link made for ${made.person.name} (${made.person.email}). Hand it to them yourself: it works once.`,
    resetLink: { link: made.link, expiresAt: made.expiresAt.toISOString() },
  };
}
