import type { Sql } from "../db/sql";
import { isUniqueViolation } from "../db/errors";
import type { Tx } from "../audit/log";
import { publishAccessEvent } from "../auth/access-events";
import {
  createInvitation,
  findInvitationById,
  findInvitationByToken,
  markInvitationAccepted,
  type InvitationWithConference,
} from "../queries/invitations";
import { mailLanguageOf } from "../queries/mail";
import { queueMail } from "../mail/outbox";
import { findMembership, setMembership } from "../queries/memberships";
import { createUser, findUserByEmail } from "../queries/users";
import { auditMembership } from "./memberships";
import { languageProblem } from "./translator-language";
import { defaultInvitationDays } from "../../app/statement/limits";
import type { InvitationStatus, Role } from "../../app/statement/vocabulary";

export const invitationPath = (token: string) => `/invitations/${token}`;

/** The link to hand to the invitee; `origin` is the deployment's own, as the secretariat reached it. */
export const invitationLink = (origin: string, token: string) => new URL(invitationPath(token), origin).toString();

/**
 * Creates a one-time invitation and returns the link: the only time the token is ever seen, but
 * for the e-mail carrying it to the invitee, queued with it when the deployment sends mail
 * (`mailed`), whose copy of the link is erased once sent.
 */
export async function issueInvitation(
  sql: Sql,
  i: {
    conferenceId: string;
    email: string;
    role: Role;
    delegationId: string | null;
    /** A translator's language, already checked against the conference's (translator-language.ts). */
    language: string | null;
    createdBy: string | null;
    days?: number;
    origin: string;
  },
): Promise<{ id: string; link: string; expiresAt: Date; mailed: boolean }> {
  const expiresAt = new Date(Date.now() + (i.days ?? defaultInvitationDays) * 24 * 3600 * 1000);
  return sql.begin(async (tx) => {
    const { id, token } = await createInvitation(tx, { ...i, expiresAt });
    const link = invitationLink(i.origin, token);
    const invitation = (await findInvitationByToken(tx, token))!;
    const mailed = await queueMail(tx, {
      template: "invitation",
      to: invitation.email,
      userId: null,
      language: await mailLanguageOf(tx, invitation.email),
      data: {
        link,
        conferenceTitle: invitation.conferenceTitle,
        role: invitation.role,
        delegation: invitation.delegationName,
        expiresAt: expiresAt.toISOString(),
      },
    });
    return { id, link, expiresAt, mailed };
  });
}

export type AcceptResult =
  | { ok: true; userId: string; conferenceId: string }
  | { ok: false; gone: Exclude<InvitationStatus, "pending"> | "unknown" }
  | { ok: false; gone?: undefined; field: "form" | "password"; error: string };

/** Who accepts: a new account (no password hash when made by single sign-on), or an existing one. */
export type Invitee = { kind: "new"; name: string; passwordHash: string | null } | { kind: "existing"; userId: string; email: string };

/**
 * Uses an invitation once: for a new account (created with the invitation's e-mail) or for the
 * existing account of that e-mail. The invitation row is locked for the whole transaction, so of
 * two simultaneous uses of one link the second finds it accepted and fails.
 */
export function acceptInvitation(sql: Sql, token: string, who: Invitee): Promise<AcceptResult> {
  return accept(sql, (tx) => findInvitationByToken(tx, token, { lock: true }), who);
}

/** As `acceptInvitation`, for an invitation found by its e-mail address: single sign-on has verified the address instead of a link. */
export function acceptInvitationById(sql: Sql, id: string, who: Invitee): Promise<AcceptResult> {
  return accept(sql, (tx) => findInvitationById(tx, id, { lock: true }), who);
}

async function accept(sql: Sql, find: (tx: Tx) => Promise<InvitationWithConference | null>, who: Invitee): Promise<AcceptResult> {
  let result: AcceptResult;
  try {
    result = await sql.begin(async (tx): Promise<AcceptResult> => {
      const invitation = await find(tx);
      if (!invitation) return { ok: false, gone: "unknown" };
      if (invitation.status !== "pending") return { ok: false, gone: invitation.status };
      // The conference may have stopped working in a translator's language since the invitation was made.
      if (languageProblem(invitation.role, invitation.language, invitation.conferenceLanguages)) {
        return {
          ok: false,
          field: "form",
          error: "The conference no longer works in the language of this invitation. Ask the secretariat for a new invitation.",
        };
      }
      let userId: string;
      if (who.kind === "new") {
        if (await findUserByEmail(tx, invitation.email)) {
          return {
            ok: false,
            field: "form",
            error: "An account with this e-mail address exists already. Sign in with its password to accept.",
          };
        }
        userId = (await createUser(tx, { email: invitation.email, name: who.name, passwordHash: who.passwordHash })).id;
      } else {
        if (who.email.toLowerCase() !== invitation.email.toLowerCase()) {
          return { ok: false, field: "form", error: `This invitation is for ${invitation.email}, not for ${who.email}.` };
        }
        userId = who.userId;
      }
      const before = await findMembership(tx, invitation.conferenceId, userId);
      const after = { role: invitation.role, delegationId: invitation.delegationId, language: invitation.language };
      await setMembership(tx, { conferenceId: invitation.conferenceId, userId, ...after });
      await markInvitationAccepted(tx, invitation.id, userId);
      await auditMembership(tx, {
        conferenceId: invitation.conferenceId,
        actorId: userId,
        action: "invitation.accepted",
        userId,
        before,
        after,
        extra: {
          invitationId: invitation.id,
          newAccount: who.kind === "new",
          ...(who.kind === "new" && !who.passwordHash ? { singleSignOn: true } : {}),
        },
      });
      return { ok: true, userId, conferenceId: invitation.conferenceId };
    });
  } catch (err) {
    // Someone created an account with the same e-mail address at the same moment.
    if (isUniqueViolation(err))
      return {
        ok: false,
        field: "form",
        error: "An account with this e-mail address exists already. Sign in with its password to accept.",
      };
    throw err;
  }
  if (result.ok) await publishAccessEvent(sql, { type: "membership", conferenceId: result.conferenceId, userId: result.userId });
  return result;
}
