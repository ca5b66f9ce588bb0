/**
 * What the password pages (forgot-password, reset-password.$token) and the unsubscribe page use on
 * the server: a `.server` module (ignored as a route by `remix.config.js`), so none of it reaches
 * the browser bundle.
 */
export { requestPasswordReset, resetLinkMinutes, resetLinkUsable, resetPassword } from "../../server/auth/password-reset";
export { hashPassword } from "../../server/auth/password";
export { mailing } from "../../server/mail/outbox";
export { readUnsubscribeToken } from "../../server/mail/unsubscribe";
export { turnOffMail } from "../../server/notifications/center";
