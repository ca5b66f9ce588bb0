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
import {
  notificationKinds,
  notificationsPageSize,
  notificationText,
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

/** Which kinds the person receives in the app (every kind unless turned off). */
export async function preferences(sql: Sql, userId: string): Promise<Record<NotificationKind, boolean>> {
  const off = await disabledKinds(sql, userId);
  return Object.fromEntries(notificationKinds.map((k) => [k, !off.has(k)])) as Record<NotificationKind, boolean>;
}

/** Sets every kind at once, as the form sends it: a kind is on when it is among `enabled`. */
export async function savePreferences(sql: Sql, userId: string, enabled: readonly string[]): Promise<void> {
  const unknown = enabled.find((k) => !(notificationKinds as readonly string[]).includes(k));
  if (unknown !== undefined) refuse(400, "There is no such kind of notification.", "kinds");
  await setPreferences(
    sql,
    userId,
    Object.fromEntries(notificationKinds.map((k) => [k, enabled.includes(k)])) as Record<NotificationKind, boolean>,
  );
}
