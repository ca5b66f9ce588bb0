/**
 * What the notifications page uses on the server: a `.server` module (ignored as a route by
 * `remix.config.js`), so none of it (SQL, node:crypto) can reach the browser bundle.
 */
export { markAllRead, markRead, notificationPage, preferences, savePreferences } from "../../server/notifications/center";
export { mailing } from "../../server/mail/outbox";
