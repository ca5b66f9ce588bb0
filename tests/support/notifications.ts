import { expect } from "vitest";
import type { Db } from "../../server/db/sql";
import type { NotificationMessage } from "../../app/statement/notifications";

/** A person's notification stream opened through the real server, collecting its messages. */
export async function openNotificationStream(serverUrl: string, cookie: string) {
  const res = await fetch(`${serverUrl}/notifications/events`, { headers: { cookie } });
  expect(res.status).toBe(200);
  const messages: NotificationMessage[] = [];
  let ended = false;
  const reader = res.body!.getReader();
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const data = buffer
            .slice(0, end)
            .split("\n")
            .find((l) => l.startsWith("data: "));
          buffer = buffer.slice(end + 2);
          if (data) messages.push(JSON.parse(data.slice(6)) as NotificationMessage);
        }
      }
    } catch {
      // the connection dropped: ended all the same
    }
    ended = true;
  })();
  return { messages, isEnded: () => ended, close: () => void reader.cancel().catch(() => {}) };
}

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
