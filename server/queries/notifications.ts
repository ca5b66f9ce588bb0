import type { Db } from "../db/sql";
import type { NotificationKind, NotificationPayload } from "../../app/statement/notifications";

/** The channel a person's notices are announced on (its payload: their user id), to their open streams on every instance. */
export const notificationsChannel = "concord_notifications";

/**
 * Who, of a conference, sees its negotiation now (`server/auth/visibility.ts`, in SQL): members
 * who negotiate, observers of an open conference, and a deployment administrator without a
 * membership (who acts as secretariat). `m`, `c` and `u` are the membership (left-joined), the
 * conference and the user.
 */
const seesNegotiation = (sql: Db) => sql`(
  m.role in ('secretariat', 'chair', 'delegate')
  or (m.role = 'observer' and c.confidentiality = 'open')
  or (m.user_id is null and u.is_admin))`;

/** Of these people, those who see the conference's negotiation now. */
export async function negotiationSeers(sql: Db, conferenceId: string, userIds: readonly string[]): Promise<string[]> {
  if (userIds.length === 0) return [];
  const rows = await sql<{ id: string }[]>`
    select u.id from users u
    join conferences c on c.id = ${conferenceId}
    left join memberships m on m.conference_id = c.id and m.user_id = u.id
    where u.id = any(${sql.array(userIds as string[])}::uuid[]) and ${seesNegotiation(sql)}`;
  return rows.map((r) => r.id);
}

/** Every member of the conference who sees its negotiation now. */
export async function conferenceNegotiationSeers(sql: Db, conferenceId: string): Promise<string[]> {
  const rows = await sql<{ id: string }[]>`
    select u.id from memberships m
    join conferences c on c.id = m.conference_id
    join users u on u.id = m.user_id
    where m.conference_id = ${conferenceId} and ${seesNegotiation(sql)}`;
  return rows.map((r) => r.id);
}

/** The members of these delegations (delegates, who always see the negotiation). */
export async function delegationMembers(sql: Db, conferenceId: string, delegationIds: readonly string[]): Promise<string[]> {
  if (delegationIds.length === 0) return [];
  const rows = await sql<{ id: string }[]>`
    select user_id as id from memberships
    where conference_id = ${conferenceId} and role = 'delegate' and delegation_id = any(${sql.array(delegationIds as string[])}::uuid[])`;
  return rows.map((r) => r.id);
}

/**
 * Writes one notice per recipient, leaving out those who turned the kind off, and announces each
 * recipient's new notices on `notificationsChannel` (delivered when the transaction commits, and
 * not at all if it rolls back). Returns who was notified.
 */
export async function insertNotifications<K extends NotificationKind>(
  sql: Db,
  n: { recipients: readonly string[]; conferenceId: string; documentId: string | null; kind: K; payload: NotificationPayload<K> },
): Promise<string[]> {
  if (n.recipients.length === 0) return [];
  const rows = await sql<{ userId: string }[]>`
    with inserted as (
      insert into notifications (user_id, conference_id, document_id, kind, payload)
      select r.id, ${n.conferenceId}, ${n.documentId}, ${n.kind}, ${sql.json(n.payload as never)}
      from unnest(${sql.array([...new Set(n.recipients)])}::uuid[]) as r(id)
      where not exists (
        select 1 from notification_preferences p
        where p.user_id = r.id and p.kind = ${n.kind} and p.channel = 'in_app' and not p.enabled)
      returning user_id
    )
    select user_id as "userId", pg_notify(${notificationsChannel}, user_id::text) from inserted`;
  return rows.map((r) => r.userId);
}

export interface NotificationRow {
  id: string;
  kind: NotificationKind;
  payload: NotificationPayload;
  createdAt: Date;
  readAt: Date | null;
}

/**
 * A person's notices the person may still see (`seesNegotiation` in the notice's conference now:
 * someone removed from a conference, or an observer once it is no longer open, no longer reads
 * them), newest first, `limit` of them from before the notice `before` (an id) if given.
 */
export async function listNotifications(
  sql: Db,
  userId: string,
  page: { before: string | null; limit: number },
): Promise<NotificationRow[]> {
  return sql<NotificationRow[]>`
    select n.id::text as id, n.kind, n.payload, n.created_at as "createdAt", n.read_at as "readAt"
    from notifications n
    join users u on u.id = n.user_id
    join conferences c on c.id = n.conference_id
    left join memberships m on m.conference_id = n.conference_id and m.user_id = n.user_id
    where n.user_id = ${userId} and ${seesNegotiation(sql)}
      ${page.before ? sql`and n.id < ${page.before}::bigint` : sql``}
    order by n.id desc
    limit ${page.limit}`;
}

/** How many of the notices `listNotifications` shows are unread. */
export async function unreadNotificationCount(sql: Db, userId: string): Promise<number> {
  const [{ count }] = await sql<{ count: number }[]>`
    select count(*)::int as count
    from notifications n
    join users u on u.id = n.user_id
    join conferences c on c.id = n.conference_id
    left join memberships m on m.conference_id = n.conference_id and m.user_id = n.user_id
    where n.user_id = ${userId} and n.read_at is null and ${seesNegotiation(sql)}`;
  return count;
}

/** Marks one of the person's notices read; false when they have no such notice. */
export async function markNotificationRead(sql: Db, userId: string, id: string): Promise<boolean> {
  const rows = await sql`
    update notifications set read_at = coalesce(read_at, now()) where id = ${id}::bigint and user_id = ${userId} returning id`;
  return rows.length > 0;
}

export async function markAllNotificationsRead(sql: Db, userId: string): Promise<void> {
  await sql`update notifications set read_at = now() where user_id = ${userId} and read_at is null`;
}

export type NotificationChannel = "in_app" | "email";

/** The kinds the person has turned off on a channel. */
export async function disabledKinds(sql: Db, userId: string, channel: NotificationChannel): Promise<Set<NotificationKind>> {
  const rows = await sql<{ kind: NotificationKind }[]>`
    select kind from notification_preferences where user_id = ${userId} and channel = ${channel} and not enabled`;
  return new Set(rows.map((r) => r.kind));
}

/** Sets the given kinds on or off on a channel (the others stay as they are). */
export async function setPreferences(
  sql: Db,
  userId: string,
  channel: NotificationChannel,
  enabled: Partial<Record<NotificationKind, boolean>>,
): Promise<void> {
  const kinds = Object.keys(enabled) as NotificationKind[];
  await sql`
    insert into notification_preferences (user_id, kind, channel, enabled)
    select ${userId}, k.kind, ${channel}, k.enabled
    from unnest(${sql.array(kinds)}::text[], ${sql.array(kinds.map((k) => enabled[k]!))}::boolean[]) as k(kind, enabled)
    on conflict (user_id, kind, channel) do update set enabled = excluded.enabled`;
}

export interface RunningDeadline {
  id: string;
  documentId: string;
  deadline: Date;
  openedAt: Date;
  /** The deadline notices already sent. */
  sent: ("24h" | "1h")[];
}

/** Running silence procedures (of one statement, if given), with the deadline notices sent. */
export async function runningDeadlines(sql: Db, documentId?: string): Promise<RunningDeadline[]> {
  return sql<RunningDeadline[]>`
    select s.id, s.document_id as "documentId", s.deadline, s.opened_at as "openedAt",
           coalesce((select array_agg(d.lead) from silence_deadline_notices d where d.silence_procedure_id = s.id), '{}') as sent
    from silence_procedures s
    where s.status = 'running' ${documentId ? sql`and s.document_id = ${documentId}` : sql``}`;
}

/**
 * Claims a deadline notice of a running procedure, by the database's clock: it is due (the lead
 * has begun, the deadline has not come), the procedure was opened before it began (one opened with
 * less time left was told its deadline when it opened), and no shorter notice is due already.
 * Returns the procedure when this caller is the one to send it; null otherwise.
 */
export async function claimDeadlineNotice(
  tx: Db,
  procedureId: string,
  lead: "24h" | "1h",
): Promise<{ documentId: string; deadline: Date; timeZone: string } | null> {
  const interval = lead === "24h" ? "24 hours" : "1 hour";
  const [row] = await tx<{ documentId: string; deadline: Date; timeZone: string }[]>`
    with claimed as (
      insert into silence_deadline_notices (silence_procedure_id, lead)
      select s.id, ${lead} from silence_procedures s
      where s.id = ${procedureId} and s.status = 'running'
        and now() >= s.deadline - ${interval}::interval and now() < s.deadline
        and s.opened_at < s.deadline - ${interval}::interval
        ${lead === "24h" ? tx`and now() < s.deadline - interval '1 hour'` : tx``}
      on conflict do nothing
      returning silence_procedure_id
    )
    select s.document_id as "documentId", s.deadline, s.time_zone as "timeZone"
    from claimed join silence_procedures s on s.id = claimed.silence_procedure_id`;
  return row ?? null;
}
