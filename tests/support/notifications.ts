import type { Db } from "../../server/db/sql";
import type { NotificationMessage } from "../../app/statement/notifications";
import { openServerSentEvents } from "./event-stream";

/** A person's notification stream opened through the real server, collecting its messages. */
export const openNotificationStream = (serverUrl: string, cookie: string) =>
  openServerSentEvents(`${serverUrl}/notifications/events`, cookie, (data) => JSON.parse(data) as NotificationMessage);

export interface StoredNotice {
  id: string;
  kind: string;
  payload: Record<string, unknown>;
  read: boolean;
}

/** A person's notices as stored, oldest first. */
export async function storedNotices(sql: Db, userId: string, kind?: string): Promise<StoredNotice[]> {
  return sql<StoredNotice[]>`
    select id::text as id, kind, payload, read_at is not null as read from notifications
    where user_id = ${userId} ${kind ? sql`and kind = ${kind}` : sql``} order by notifications.id`;
}
