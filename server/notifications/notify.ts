import type { Db } from "../db/sql";
import { insertNotifications, negotiationSeers } from "../queries/notifications";
import { queueNoticeMails } from "../mail/outbox";
import type { NotificationKind, NotificationPayload } from "../../app/statement/notifications";
import { logger } from "../log";

export interface Notice<K extends NotificationKind> {
  /** Who it is for; narrowed here to those who see the conference's negotiation now, without the actor. */
  recipients: readonly string[];
  kind: K;
  payload: NotificationPayload<K>;
  conferenceId: string;
  /** The statement it is about, if one (a notice about a statement goes when the statement goes). */
  documentId: string | null;
  /** Who did it: never told of their own action. Null for what the server does (a procedure passing). */
  actorId: string | null;
}

/**
 * Notifies people of something that happened in a conference. Call it inside the transaction of
 * the action (as the commands in server/negotiation/ do): the notices then exist exactly when the
 * action does, and each recipient's open pages hear of them once it commits. It runs in a savepoint
 * and never throws: a failure to notify is logged and undoes the notices alone, never the action.
 * Given the pool instead of a transaction, it writes at once. Returns who was notified.

 */
export async function notify<K extends NotificationKind>(db: Db, notice: Notice<K>): Promise<string[]> {
  return (await withoutFailing(db, notice.kind, (sql) => writeNotice(sql, notice))) ?? [];
}

/** `notify` without its safety net, for a caller whose own work is the notice (a deadline's): a failure throws. */
export async function writeNotice<K extends NotificationKind>(sql: Db, notice: Notice<K>): Promise<string[]> {
  const candidates = notice.recipients.filter((id) => id !== notice.actorId);
  const recipients = await negotiationSeers(sql, notice.conferenceId, candidates);
  // Each channel is chosen apart: someone may want a kind by e-mail and not in the app, or the other way.
  await queueNoticeMails(sql, recipients, notice.kind, notice.payload);
  return insertNotifications(sql, { ...notice, recipients });
}

/**
 * Works out and writes notices (`write`) in a savepoint of the action's transaction: should it
 * fail, it is logged and rolled back alone, and the action goes on. Returns null then.
 */
export async function withoutFailing<T>(db: Db, what: string, write: (sql: Db) => Promise<T>): Promise<T | null> {
  try {
    return "savepoint" in db ? ((await db.savepoint(write)) as T) : await write(db);
  } catch (err) {
    logger.error({ component: "notifications", err }, `notifying of ${what} failed; the action stands`);
    return null;
  }
}
