import type { Db } from "../db/sql";
import { insertMail, insertNoticeMails } from "../queries/mail";
import type { MailTemplate, MailTemplates } from "./templates";
import { isMailedKind, type MailLanguage, type NotificationKind, type NotificationPayload } from "../../app/statement/notifications";

/**
 * Whether this process sends e-mail (SMTP_URL is set). Kept on `globalThis`, not in this module:
 * the server's bundle and the Remix build each have their own copy of the module, and both queue
 * mail (a notice is written by a route's action as well as by the server's deadline timers).
 */
const key = Symbol.for("concord.mailing");
const global = globalThis as Record<symbol, unknown>;

export const setMailing = (on: boolean) => {
  global[key] = on;
};

export const mailing = (): boolean => global[key] === true;

/**
 * Queues one message in the caller's transaction, so it exists exactly when what it announces
 * does; it is sent afterwards, never during the request. Without SMTP_URL nothing is queued
 * (the pages show the links to hand over instead). Returns whether it was queued.
 */
export async function queueMail<T extends MailTemplate>(
  sql: Db,
  m: { template: T; to: string; userId: string | null; language: MailLanguage; data: MailTemplates[T] },
): Promise<boolean> {
  if (!mailing()) return false;
  await insertMail(sql, m);
  return true;
}

/** Queues a notice's e-mail to the people it was written for, for the kinds sent by mail (notify.ts calls it). */
export async function queueNoticeMails(sql: Db, recipients: readonly string[], kind: NotificationKind, payload: NotificationPayload) {
  if (!mailing() || !isMailedKind(kind)) return;
  await insertNoticeMails(sql, recipients, kind, payload);
}
