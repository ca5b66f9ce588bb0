import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { createCookie } from "@remix-run/node";
import type { Sql } from "../db/sql";
import { createSession, deleteSession, findSessionUser, type SessionUser } from "../queries/sessions";
import { findUserByEmail } from "../queries/users";
import { decoyHash, verifyPassword } from "./password";
import { createSignInThrottle } from "./sign-in-throttle";
import { publishAccessEvent } from "./access-events";

export interface AuthOptions {
  sql: Sql;
  secret: string;
  secureCookies: boolean;
  sessionTtlMs?: number;
  /** false (PASSWORD_SIGN_IN=false): every password sign-in is refused, whatever the password. */
  passwordSignIn?: boolean;
}

export type SignInResult =
  { ok: true; user: SessionUser; setCookie: string } | { ok: false; error: string; retryAfterMs?: number; switchedOff?: true };

export const passwordSignInOff = "Signing in with a password is switched off here. Sign in with your organisation's account.";

export type Auth = ReturnType<typeof createAuth>;

const cookieName = "concord_session";

/** Sign-in, sessions and the anti-forgery token; one instance per process, shared with Remix via context. */
export function createAuth({ sql, secret, secureCookies, sessionTtlMs = 14 * 24 * 3600 * 1000, passwordSignIn = true }: AuthOptions) {
  const cookie = createCookie(cookieName, {
    httpOnly: true,
    sameSite: "lax",
    secure: secureCookies,
    path: "/",
    secrets: [secret],
    maxAge: Math.floor(sessionTtlMs / 1000),
  });
  const throttle = createSignInThrottle(sql);

  const tokenFrom = async (cookieHeader: string | null | undefined): Promise<string | null> => {
    if (!cookieHeader) return null;
    const value: unknown = await cookie.parse(cookieHeader);
    return typeof value === "string" && value.length > 0 ? value : null;
  };

  return {
    cookieName,

    /** The signed-in person for a Cookie header, or null (no cookie, forged, expired or signed out). */
    async userFromCookie(cookieHeader: string | null | undefined): Promise<SessionUser | null> {
      const token = await tokenFrom(cookieHeader);
      return token ? findSessionUser(sql, token) : null;
    },

    async startSession(userId: string): Promise<string> {
      const { token } = await createSession(sql, userId, sessionTtlMs);
      return cookie.serialize(token);
    },

    /**
     * Checks e-mail and password. Every failure reads the same, whether or not the account exists
     * or has a password (accounts made by single sign-on have none), and takes the same time (a
     * decoy hash is verified when there is no password to check).
     */
    async signIn(email: string, password: string, address: string): Promise<SignInResult> {
      if (!passwordSignIn) return { ok: false, error: passwordSignInOff, switchedOff: true };
      const accountKey = email.trim().toLowerCase();
      const claim = await throttle.claim(accountKey, address);
      if (!claim.ok) {
        return {
          ok: false,
          error: `Too many sign-in attempts. Try again in ${describeWait(claim.retryAfterMs)}.`,
          retryAfterMs: claim.retryAfterMs,
        };
      }
      // Awaited whether or not the account exists: the first sign-in makes it, whichever it is.
      const decoy = await decoyHash();
      const user = await findUserByEmail(sql, accountKey);
      const valid = await verifyPassword(password, user?.passwordHash ?? decoy);
      if (!user?.passwordHash || !valid) return { ok: false, error: "The e-mail address or password is incorrect." };
      // Only failures count: a room of delegates behind one address signs in freely.
      await claim.forgive();
      const { passwordHash: _, ...rest } = user;
      const { token, sessionId } = await createSession(sql, user.id, sessionTtlMs);
      return { ok: true, user: { ...rest, sessionId }, setCookie: await cookie.serialize(token) };
    },

    /** Ends the session (its open collaboration connections close too) and clears the cookie. */
    async signOut(cookieHeader: string | null | undefined): Promise<string> {
      const token = await tokenFrom(cookieHeader);
      if (token) {
        const sessionId = await deleteSession(sql, token);
        await publishAccessEvent(sql, { type: "session-ended", sessionId });
      }
      return cookie.serialize("", { maxAge: 0, expires: new Date(0) });
    },

    /** The anti-forgery token for a session's forms. */
    csrfToken(sessionId: string): string {
      return this.signature("csrf", sessionId);
    },

    verifyCsrf(sessionId: string, token: unknown): boolean {
      return this.verifySignature("csrf", sessionId, token);
    },

    /** The server's signature of a value for one purpose (a form's session, an unsubscribe link's person and kind). */
    signature(purpose: string, value: string): string {
      return createHmac("sha256", secret).update(`${purpose}:${value}`).digest("base64url");
    },

    verifySignature(purpose: string, value: string, signature: unknown): boolean {
      if (typeof signature !== "string") return false;
      const expected = Buffer.from(this.signature(purpose, value));
      const given = Buffer.from(signature);
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}

function describeWait(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 60) return seconds === 1 ? "1 second" : `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? "1 minute" : `${minutes} minutes`;
}

/** The secret that signs cookies: SESSION_SECRET, or one generated once and kept in the database. */
export async function sessionSecret(sql: Sql, configured: string | undefined): Promise<string> {
  if (configured) return configured;
  const generated = randomBytes(32).toString("base64url");
  await sql`insert into settings (key, value) values ('session_secret', ${generated}) on conflict (key) do nothing`;
  const [row] = await sql<{ value: string }[]>`select value from settings where key = 'session_secret'`;
  return row.value;
}
