import type { Auth } from "../auth/service";
import { isMailedKind, type MailedNotificationKind } from "../../app/statement/notifications";

type Signer = Pick<Auth, "signature" | "verifySignature">;

export const unsubscribePath = (token: string) => `/unsubscribe/${token}`;

/**
 * The token of a notice mail's unsubscribe link: the person and the kind, signed by the server, so
 * the link turns that kind's e-mail off without signing in, and nothing else for nobody else.
 */
export function unsubscribeToken(auth: Signer, userId: string, kind: MailedNotificationKind): string {
  const value = `${userId}:${kind}`;
  return `${Buffer.from(value).toString("base64url")}.${auth.signature("unsubscribe", value)}`;
}

/** The person and kind a token names, or null when it is not one the server signed. */
export function readUnsubscribeToken(auth: Signer, token: string): { userId: string; kind: MailedNotificationKind } | null {
  const [encoded, signature, ...rest] = token.split(".");
  if (!encoded || !signature || rest.length > 0 || token.length > 300) return null;
  const value = Buffer.from(encoded, "base64url").toString("utf8");
  if (!auth.verifySignature("unsubscribe", value, signature)) return null;
  const [userId, kind] = value.split(":");
  return userId && kind && isMailedKind(kind as never) ? { userId, kind: kind as MailedNotificationKind } : null;
}
