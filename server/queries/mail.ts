import { createHash, randomBytes } from "node:crypto";
import type { Db } from "../db/sql";
import type { MailTemplate, MailTemplates } from "../mail/templates";
import type { MailedNotificationKind, MailLanguage, NotificationPayload } from "../../app/statement/notifications";

/** Announced when mail is queued, so that a sender wakes at once rather than at its next look. */
export const mailChannel = "concord_mail";

/** Queues one message; the sender picks it up once the transaction commits. */
export async function insertMail<T extends MailTemplate>(
  sql: Db,
  m: { template: T; to: string; userId: string | null; language: MailLanguage; data: MailTemplates[T] },
): Promise<void> {
  await sql`
    insert into mail_outbox (template, to_address, user_id, language, data)
    values (${m.template}, ${m.to}, ${m.userId}, ${m.language}, ${sql.json(m.data as never)})`;
  await sql`select pg_notify(${mailChannel}, '')`;
}

/** Queues a notice's mail for those of `userIds` who have not turned its kind's e-mail off, each in their language. */
export async function insertNoticeMails(sql: Db, userIds: readonly string[], kind: MailedNotificationKind, payload: NotificationPayload) {
  if (userIds.length === 0) return;
  const data: MailTemplates["notice"] = { kind, payload };
  await sql`
    with queued as (
      insert into mail_outbox (template, to_address, user_id, language, data)
      select 'notice', u.email, u.id, u.mail_language, ${sql.json(data as never)}
      from users u
      where u.id = any(${sql.array([...userIds])}::uuid[])
        and not exists (
          select 1 from notification_preferences p
          where p.user_id = u.id and p.kind = ${kind} and p.channel = 'email' and not p.enabled)
      returning id
    )
    select pg_notify(${mailChannel}, '') from queued limit 1`;
}

export interface ClaimedMail {
  id: string;
  template: MailTemplate;
  to: string;
  userId: string | null;
  language: MailLanguage;
  data: MailTemplates[MailTemplate];
  /** This attempt's number, from 1. */
  attempts: number;
}

/**
 * Claims up to `limit` messages due for sending: each is leased for `leaseSeconds` (pushed into the
 * future), so no other instance takes it meanwhile; `skip locked` lets instances claim side by side
 * without waiting for one another. Should the claimer die, the lease ends and another sends it.
 */
export async function claimMail(sql: Db, limit: number, leaseSeconds: number): Promise<ClaimedMail[]> {
  return sql<ClaimedMail[]>`
    update mail_outbox o
    set attempts = o.attempts + 1, next_attempt_at = now() + make_interval(secs => ${leaseSeconds})
    from (
      select id from mail_outbox
      where status = 'queued' and next_attempt_at <= now()
      order by id
      limit ${limit}
      for update skip locked
    ) due
    where o.id = due.id
    returning o.id::text as id, o.template, o.to_address as "to", o.user_id as "userId", o.language, o.data, o.attempts`;
}

/** Sent: what it said (possibly a one-time link) is erased; an earlier attempt's failure stays, for the record. */
export async function markMailSent(sql: Db, id: string): Promise<void> {
  await sql`update mail_outbox set status = 'sent', sent_at = now(), data = null where id = ${id}::bigint`;
}

/** A failed attempt: tried again after `retryInSeconds`, or, when null, given up for good (and erased). */
export async function markMailFailed(sql: Db, id: string, error: string, retryInSeconds: number | null): Promise<void> {
  await sql`
    update mail_outbox
    set last_error = ${error.slice(0, 500)},
        status = ${retryInSeconds === null ? "failed" : "queued"},
        data = ${retryInSeconds === null ? null : sql`data`},
        next_attempt_at = now() + make_interval(secs => ${retryInSeconds ?? 0})
    where id = ${id}::bigint`;
}

/** Forgets messages sent or given up more than `days` ago; those still queued stay whatever their age. */
export async function purgeMail(sql: Db, days: number): Promise<void> {
  await sql`
    delete from mail_outbox
    where status <> 'queued' and coalesce(sent_at, next_attempt_at) < now() - make_interval(days => ${days})`;
}

/** Seconds until the next queued message is due (0 when one is due now), or null when none is queued. */
export async function secondsUntilNextMail(sql: Db): Promise<number | null> {
  const [row] = await sql<{ seconds: number | null }[]>`
    select greatest(0, extract(epoch from min(next_attempt_at) - now()))::float8 as seconds
    from mail_outbox where status = 'queued'`;
  return row.seconds;
}

/** The language the account of this address reads its mail in; English for an address without an account. */
export async function mailLanguageOf(sql: Db, email: string): Promise<MailLanguage> {
  const [row] = await sql<{ language: MailLanguage }[]>`select mail_language as language from users where lower(email) = lower(${email})`;
  return row?.language ?? "en";
}

export async function setMailLanguage(sql: Db, userId: string, language: MailLanguage): Promise<void> {
  await sql`update users set mail_language = ${language} where id = ${userId}`;
}

/** Only the sha256 of a reset token is stored, as for invitations and sessions. */
const hashResetToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** Creates a one-time password reset for the person and returns its token: the only time it is seen. */
export async function createPasswordReset(
  sql: Db,
  r: { userId: string; createdBy: string | null; expiresAt: Date },
): Promise<{ token: string }> {
  const token = randomBytes(32).toString("base64url");
  await sql`
    insert into password_resets (user_id, token_hash, created_by, expires_at)
    values (${r.userId}, ${hashResetToken(token)}, ${r.createdBy}, ${r.expiresAt})`;
  return { token };
}

export interface PasswordResetRow {
  id: string;
  userId: string;
  email: string;
  /** Unused and not expired, by the database's clock. */
  usable: boolean;
}

/** The reset a link names; with `lock`, its row stays locked until the transaction ends (two uses take turns). */
export async function findPasswordReset(sql: Db, token: string, { lock = false } = {}): Promise<PasswordResetRow | null> {
  if (!token || token.length > 200) return null;
  const [row] = await sql<PasswordResetRow[]>`
    select r.id, r.user_id as "userId", u.email, (r.used_at is null and r.expires_at > now()) as usable
    from password_resets r join users u on u.id = r.user_id
    where r.token_hash = ${hashResetToken(token)}
    ${lock ? sql`for update of r` : sql``}`;
  return row ?? null;
}

/** Sets the password, uses up every reset of the person, and ends all their sessions. */
export async function completePasswordReset(sql: Db, userId: string, passwordHash: string): Promise<void> {
  await sql`update users set password_hash = ${passwordHash} where id = ${userId}`;
  await sql`update password_resets set used_at = now() where user_id = ${userId} and used_at is null`;
  await sql`delete from sessions where user_id = ${userId}`;
}

/**
 * Whether `actorId` manages every conference `userId` takes part in (as its secretariat): a link to
 * set someone's password gives their whole account, so the secretariat of one conference may not
 * make one for a person who also takes part in a conference it does not run.
 */
export async function managesAllConferencesOf(sql: Db, actorId: string, userId: string): Promise<boolean> {
  const [row] = await sql<{ outside: number }[]>`
    select count(*)::int as outside from memberships m
    where m.user_id = ${userId}
      and not exists (
        select 1 from memberships a
        where a.user_id = ${actorId} and a.conference_id = m.conference_id and a.role = 'secretariat')`;
  return row.outside === 0;
}
