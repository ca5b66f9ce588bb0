import { randomBytes } from "node:crypto";
import { createCookie } from "@remix-run/node";
import type { Sql } from "../db/sql";
import { linkIdentity, savePendingSignIn, signInLinkedIdentity, takePendingSignIn } from "../queries/single-sign-on";
import { pendingInvitationIds } from "../queries/invitations";
import { findUserByEmail } from "../queries/users";
import { acceptInvitationById } from "../people/invitations";
import { OidcRefused, OidcUnavailable, type OidcChallenge, type OidcClient, type OidcIdentity } from "./oidc-client";
import type { Auth } from "./service";
import { logger } from "../log";
import { addressGroup } from "./sign-in-throttle";

export interface SingleSignOnOptions {
  sql: Sql;
  oidc: OidcClient;
  /** The provider as the sign-in button names it. */
  name: string;
  auth: Auth;
  secret: string;
  secureCookies: boolean;
  /** How long a sign-in may take at the provider. */
  pendingTtlMs?: number;
  /** How many sign-ins one network may have under way (started, not yet answered or expired). */
  pendingPerAddress?: number;
}

/** Why a sign-in through the provider was refused; the callback page words each. */
export type SignOnRefusal =
  /** No sign-in under way in this browser (no cookie, too old, or its answer was used already). */
  | "expired"
  /** The provider's answer failed a check, or the provider said no (the person cancelled). */
  | "refused"
  /** The provider could not be reached. */
  | "unavailable"
  /** The provider did not vouch for the e-mail address. */
  | "unverified"
  /** Nobody with this address has an account or a pending invitation. */
  | "uninvited"
  /** The invitation could not be used (e.g. its conference no longer works in a translator's language). */
  | "invitation"
  /** Too many sign-ins under way from the same network. */
  | "busy";

export type SignOnOutcome =
  | { ok: true; userId: string; setCookie: string; location: string }
  | { ok: false; reason: SignOnRefusal; email?: string; detail?: string; retryAfterMs?: number };

type Refused = Extract<SignOnOutcome, { ok: false }>;

export type SingleSignOn = ReturnType<typeof createSingleSignOn>;

/**
 * "Sign in with your organisation": the start (a challenge kept server-side under a random key
 * that only this browser holds, in a signed, HttpOnly, SameSite=Lax cookie for /auth/oidc alone,
 * good for ten minutes) and the provider's answer, which ends in a session made as password
 * sign-in makes one. Who signs in, in order: the account the provider's subject was linked to;
 * else, with an e-mail address the provider has verified, the account of that address (linked
 * now); else the address's pending invitations, accepted with a new account that has no password
 * (linked now); else nobody.
 */
export function createSingleSignOn({
  sql,
  oidc,
  name,
  auth,
  secret,
  secureCookies,
  pendingTtlMs = 10 * 60_000,
  pendingPerAddress = 30,
}: SingleSignOnOptions) {
  const pendingCookie = createCookie("concord_oidc", {
    httpOnly: true,
    sameSite: "lax",
    secure: secureCookies,
    path: "/auth/oidc",
    secrets: [secret],
    maxAge: Math.floor(pendingTtlMs / 1000),
  });
  const refused = (reason: SignOnRefusal, more: { email?: string; detail?: string } = {}): Refused => ({
    ok: false,
    reason,
    ...more,
  });

  /** The account the identity signs in to, and where to go then; or why there is none. */
  async function accountFor(identity: OidcIdentity, returnTo: string): Promise<{ userId: string; location: string } | Refused> {
    const linked = await signInLinkedIdentity(sql, identity.issuer, identity.subject);
    if (linked) return { userId: linked, location: returnTo };
    const { email } = identity;
    if (!email || !identity.emailVerified) return refused("unverified", { email: email ?? undefined });
    const link = (userId: string) => linkIdentity(sql, { issuer: identity.issuer, subject: identity.subject, userId, email });

    const existing = await findUserByEmail(sql, email);
    if (existing) return { userId: await link(existing.id), location: returnTo };

    const [first, ...others] = await pendingInvitationIds(sql, email);
    if (!first) return refused("uninvited", { email });
    // Named as the provider names the person (as the invitation form limits names), else by the address.
    const name = (identity.name ?? email.split("@")[0]).slice(0, 100);
    const accepted = await acceptInvitationById(sql, first, { kind: "new", name, passwordHash: null });
    if (!accepted.ok) return refused("invitation", { email, detail: accepted.gone ? undefined : accepted.error });
    const userId = await link(accepted.userId);
    // Invitations to other conferences for the same address are the same person's.
    for (const id of others) await acceptInvitationById(sql, id, { kind: "existing", userId, email });
    return { userId, location: `/conferences/${accepted.conferenceId}` };
  }

  return {
    name,

    /**
     * Starts a sign-in: where to send the browser, and the cookie that ties the answer to it; or
     * "unavailable" when the provider cannot be reached. (An outcome, not a thrown error class: the
     * routes are bundled apart from the server, with classes of their own.)
     */
    async begin(
      redirectUri: string,
      returnTo: string,
      clientAddress: string,
    ): Promise<{ ok: true; location: string; setCookie: string } | Refused> {
      let challenge: OidcChallenge;
      try {
        challenge = await oidc.challenge(redirectUri);
      } catch (err) {
        if (err instanceof OidcUnavailable) return refused("unavailable");
        throw err;
      }
      const { url, ...expected } = challenge;
      const key = randomBytes(32).toString("base64url");
      // Each start keeps a row until it is answered or expires: anyone may start, so each network only so many.
      const saved = await savePendingSignIn(
        sql,
        key,
        { ...expected, returnTo },
        { ttlMs: pendingTtlMs, address: addressGroup(clientAddress), limit: pendingPerAddress },
      );
      if (!saved.ok) return { ...refused("busy"), retryAfterMs: saved.retryAfterMs };
      return { ok: true, location: url.href, setCookie: await pendingCookie.serialize(key) };
    },

    /** The Set-Cookie that removes the sign-in's cookie, whatever came of it. */
    clearCookie: () => pendingCookie.serialize("", { maxAge: 0, expires: new Date(0) }),

    /** The provider's answer at `callbackUrl`, with the browser's cookies: signed in, or refused with a reason. */
    async complete(cookieHeader: string | null, callbackUrl: URL): Promise<SignOnOutcome> {
      const key: unknown = cookieHeader ? await pendingCookie.parse(cookieHeader) : null;
      const pending = typeof key === "string" && key ? await takePendingSignIn(sql, key) : null;
      if (!pending) return refused("expired");
      let identity: OidcIdentity;
      try {
        identity = await oidc.finish(callbackUrl, pending);
      } catch (err) {
        if (err instanceof OidcUnavailable) return refused("unavailable");
        if (err instanceof OidcRefused) {
          logger.warn({ component: "sso", reason: err.message }, "a sign-in was refused");
          return refused("refused");
        }
        throw err;
      }
      const account = await accountFor(identity, pending.returnTo);
      if ("ok" in account) return account;
      return { ok: true, userId: account.userId, setCookie: await auth.startSession(account.userId), location: account.location };
    },
  };
}
