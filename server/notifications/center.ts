import type { Sql } from "../db/sql";
import {
  disabledKinds,
  listNotifications,
  markAllNotificationsRead,
  markNotificationRead,
  notificationsChannel,
  setPreferences,
  unreadNotificationCount,
  type NotificationRow,
} from "../queries/notifications";
import { refuse } from "../negotiation/refusal";
import { mailLanguageOf, setMailLanguage } from "../queries/mail";
import { findUser } from "../queries/users";
import {
  isMailLanguage,
  mailedNotificationKinds,
  notificationKinds,
  notificationsPageSize,
  notificationText,
  type MailedNotificationKind,
  type MailLanguage,
  type NotificationKind,
  type NotificationView,
} from "../../app/statement/notifications";

/**
 * A person's notification centre: their notices page by page, marking them read, and which kinds
 * they receive. Everything here is the signed-in person's own; nobody reads or marks another's.
 */

export function notificationView(row: NotificationRow): NotificationView {
  return {
    id: row.id,
    kind: row.kind,
    text: notificationText(row.kind, row.payload),
    path: row.payload.path,
    documentTitle: row.payload.documentTitle,
    createdAt: row.createdAt.toISOString(),
    read: row.readAt !== null,
  };
}

export interface NotificationPage {
  notifications: NotificationView[];
  unread: number;
  /** The id to pass as `before` for the next (older) page, or null when this is the last. */
  olderThan: string | null;
}

/** `before`: a notice's id from the previous page's `olderThan`; anything else reads from the newest. */
export async function notificationPage(sql: Sql, userId: string, before: string | null): Promise<NotificationPage> {
  const cursor = before && /^\d{1,18}$/.test(before) ? before : null;
  const [rows, unread] = await Promise.all([
    listNotifications(sql, userId, { before: cursor, limit: notificationsPageSize + 1 }),
    unreadNotificationCount(sql, userId),
  ]);
  const shown = rows.slice(0, notificationsPageSize);
  return { notifications: shown.map(notificationView), unread, olderThan: rows.length > shown.length ? shown.at(-1)!.id : null };
}

/** Tells the person's open pages, on every instance, that their notices changed (read elsewhere). */
const announce = (sql: Sql, userId: string) => sql.notify(notificationsChannel, userId);

export async function markRead(sql: Sql, userId: string, id: string): Promise<void> {
  if (!/^\d{1,18}$/.test(id)) refuse(400, "Choose a notification.", "id");
  // Someone else's notice is answered as one that does not exist.
  if (!(await markNotificationRead(sql, userId, id))) refuse(404, "There is no such notification.");
  await announce(sql, userId);
}

export async function markAllRead(sql: Sql, userId: string): Promise<void> {
  await markAllNotificationsRead(sql, userId);
  await announce(sql, userId);
}

export interface Preferences {
  /** Which kinds the person receives in the app (every kind unless turned off). */
  inApp: Record<NotificationKind, boolean>;
  /** Which of the kinds sent by mail they receive by e-mail (each unless turned off). */
  email: Record<MailedNotificationKind, boolean>;
  mailLanguage: MailLanguage;
}

export async function preferences(sql: Sql, userId: string): Promise<Preferences> {
  const [offInApp, offByMail, user] = await Promise.all([
    disabledKinds(sql, userId, "in_app"),
    disabledKinds(sql, userId, "email"),
    findUser(sql, userId),
  ]);
  return {
    inApp: Object.fromEntries(notificationKinds.map((k) => [k, !offInApp.has(k)])) as Preferences["inApp"],
    email: Object.fromEntries(mailedNotificationKinds.map((k) => [k, !offByMail.has(k)])) as Preferences["email"],
    mailLanguage: user ? await mailLanguageOf(sql, user.email) : "en",
  };
}

/**
 * Sets every kind on both channels at once, as the form sends it (a kind is on when it is among
 * `inApp`, or `email`), and the language of the person's mail (kept when not given).
 */
export async function savePreferences(
  sql: Sql,
  userId: string,
  p: { inApp: readonly string[]; email: readonly string[]; mailLanguage: string | null },
): Promise<void> {
  const unknown = p.inApp.find((k) => !(notificationKinds as readonly string[]).includes(k));
  if (unknown !== undefined) refuse(400, "There is no such kind of notification.", "kinds");
  if (p.email.some((k) => !(mailedNotificationKinds as readonly string[]).includes(k)))
    refuse(400, "That kind of notification is not sent by e-mail.", "emailKinds");
  const mailLanguage = p.mailLanguage;
  if (mailLanguage !== null && !isMailLanguage(mailLanguage))
    refuse(400, "Choose one of the languages e-mail is written in.", "mailLanguage");
  await sql.begin(async (tx) => {
    await setPreferences(tx, userId, "in_app", Object.fromEntries(notificationKinds.map((k) => [k, p.inApp.includes(k)])));
    await setPreferences(tx, userId, "email", Object.fromEntries(mailedNotificationKinds.map((k) => [k, p.email.includes(k)])));
    if (mailLanguage !== null) await setMailLanguage(tx, userId, mailLanguage as MailLanguage);
  });
}

/** A notice mail's unsubscribe link: that kind's e-mail off for that person (the link's token says who; see mail/unsubscribe.ts). */
export async function turnOffMail(sql: Sql, userId: string, kind: MailedNotificationKind): Promise<void> {
  await setPreferences(sql, userId, "email", { [kind]: false });
}
