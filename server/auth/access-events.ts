import type { Sql } from "../db/sql";

/**
 * Changes that must reach open connections at once, on every instance: published through
 * PostgreSQL NOTIFY, which every Concord process of a deployment listens to.
 */
export type AccessEvent =
  | { type: "membership"; conferenceId: string; userId: string }
  | { type: "session-ended"; sessionId: string }
  | { type: "user-sessions-ended"; userId: string }
  // Who may write in a document changed for everyone (a proposal's draft is frozen once decided).
  | { type: "document"; documentId: string };

const channel = "concord_access";

export async function publishAccessEvent(sql: Sql, event: AccessEvent): Promise<void> {
  await sql.notify(channel, JSON.stringify(event));
}

export async function subscribeAccessEvents(sql: Sql, handler: (event: AccessEvent) => void): Promise<() => Promise<void>> {
  const listening = await sql.listen(channel, (payload) => {
    try {
      handler(JSON.parse(payload) as AccessEvent);
    } catch {
      // A payload that is not ours is ignored.
    }
  });
  return () => listening.unlisten();
}
