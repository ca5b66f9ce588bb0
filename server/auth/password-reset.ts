import type { Sql } from "../db/sql";
import { appendAudit } from "../audit/log";
import { publishAccessEvent } from "./access-events";
import { createSignInThrottle } from "./sign-in-throttle";
import { completePasswordReset, createPasswordReset, findPasswordReset, managesAllConferencesOf, mailLanguageOf } from "../queries/mail";
import { findMembership } from "../queries/memberships";
import { findUser, findUserByEmail, type UserRow } from "../queries/users";
import { mailing, queueMail } from "../mail/outbox";
import { Refusal, refuse } from "../negotiation/refusal";

/** A reset link works once, for this long: long enough to read one's mail, short enough to be of little use to anyone else later. */
export const resetLinkMinutes = 60;

export const resetPath = (token: string) => `/reset-password/${token}`;

const resetLink = (origin: string, token: string) => new URL(resetPath(token), origin).toString();

const expiry = () => new Date(Date.now() + resetLinkMinutes * 60_000);

/**
 * Someone asks for a link to choose a new password, by e-mail address. The answer is the same
 * whether or not an account has that address (the caller says "if an account exists…"); when one
 * does, a one-time link is mailed to it (queued in the same transaction). Requests are counted as
 * sign-in failures are (sign-in-throttle.ts), per address and account, so nobody floods a mailbox
 * or probes many addresses from one place; a refusal says how long to wait.
 */
export async function requestPasswordReset(
  sql: Sql,
  r: { email: string; clientAddress: string; origin: string },
): Promise<{ ok: true } | { ok: false; retryAfterMs: number }> {
  const email = r.email.trim().toLowerCase();
  // Counted apart from sign-in failures: a room of delegates behind one address asking for links never blocks their sign-in.
  const claim = await createSignInThrottle(sql, "reset:").claim(email, r.clientAddress);
  if (!claim.ok) return claim;
  // Without mail nobody could receive the link (the secretariat makes one instead): nothing is kept.
  if (!mailing()) return { ok: true };
  await sql.begin(async (tx) => {
    const user = await findUserByEmail(tx, email);
    if (!user) return;
    const expiresAt = expiry();
    const { token } = await createPasswordReset(tx, { userId: user.id, createdBy: null, expiresAt });
    await queueMail(tx, {
      template: "password_reset",
      to: user.email,
      userId: user.id,
      language: await mailLanguageOf(tx, user.email),
      data: { link: resetLink(r.origin, token), expiresAt: expiresAt.toISOString() },
    });
  });
  return { ok: true };
}

/**
 * The secretariat (or the administrator) makes a reset link for a participant who cannot receive
 * mail, to hand over. Only for a participant of the conference, only when the actor runs every
 * conference that person takes part in (the link gives the whole account), and never for the
 * deployment administrator unless an administrator makes it. Recorded in the conference's audit trail.
 */
export async function makeResetLink(
  sql: Sql,
  m: { actor: UserRow; conferenceId: string; userId: string; origin: string },
): Promise<{ link: string; expiresAt: Date; person: UserRow }> {
  const person = await findUser(sql, m.userId);
  if (!person || !(await findMembership(sql, m.conferenceId, m.userId)))
    throw new Refusal(404, "This person does not take part in this conference.", "userId");
  if (!m.actor.isAdmin) {
    if (person.isAdmin) refuse(403, "Only the deployment administrator can make a password link for an administrator.");
    if (!(await managesAllConferencesOf(sql, m.actor.id, person.id)))
      refuse(403, `${person.name} also takes part in a conference you do not run: ask the deployment administrator for their link.`);
  }
  const expiresAt = expiry();
  const { token } = await sql.begin(async (tx) => {
    const made = await createPasswordReset(tx, { userId: person.id, createdBy: m.actor.id, expiresAt });
    await appendAudit(tx, {
      conferenceId: m.conferenceId,
      actorId: m.actor.id,
      action: "password_reset.link_made",
      subject: { userId: person.id, name: person.name, email: person.email },
    });
    return made;
  });
  return { link: resetLink(m.origin, token), expiresAt, person };
}

/** Whether a reset link may still be used (the page asks before showing its form). */
export async function resetLinkUsable(sql: Sql, token: string): Promise<boolean> {
  return (await findPasswordReset(sql, token))?.usable ?? false;
}

/**
 * Sets a new password with a reset link: once (the row is locked, so of two uses the second finds
 * it used), before it expires. Every session of the person ends, on every instance, and every other
 * link of theirs stops working. Returns the person, to sign them in, or null when the link is not usable.
 */
export async function resetPassword(sql: Sql, token: string, passwordHash: string): Promise<{ userId: string } | null> {
  const userId = await sql.begin(async (tx) => {
    const reset = await findPasswordReset(tx, token, { lock: true });
    if (!reset?.usable) return null;
    await completePasswordReset(tx, reset.userId, passwordHash);
    return reset.userId;
  });
  if (userId) await publishAccessEvent(sql, { type: "user-sessions-ended", userId });
  return userId ? { userId } : null;
}
