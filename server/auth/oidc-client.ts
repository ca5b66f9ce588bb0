import type * as OpenId from "openid-client";
import { logger } from "../log";

/** openid-client, loaded at the first sign-in: a server without single sign-on never loads it. */
const loadOpenId = () => import("openid-client");

export interface OidcClientOptions {
  issuer: string;
  clientId: string;
  clientSecret: string;
}

/** The verified facts a sign-in yields about the person. */
export interface OidcIdentity {
  issuer: string;
  subject: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
}

/** What the redirect to the provider carries, and what its answer is checked against. */
export interface OidcChallenge {
  url: URL;
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** The provider could not be reached or answered wrongly; the person is told to try again later. */
export class OidcUnavailable extends Error {}

/** The provider's answer failed a check (state, nonce, code, signature) or carried an error. */
export class OidcRefused extends Error {}

/**
 * The OpenID Connect relying party, with openid-client: authorization code with PKCE (S256), state
 * and nonce, the client secret sent with HTTP Basic (client_secret_basic). The provider's metadata
 * is discovered on first use and kept; a failed discovery is not kept, so the next sign-in tries
 * again, and the server runs on meanwhile. Plain http:// issuers are accepted outside production
 * only (config.ts refuses them there), for a provider on the developer's machine or in the tests.
 */
export function createOidcClient({ issuer, clientId, clientSecret }: OidcClientOptions) {
  let discovered: Promise<OpenId.Configuration> | null = null;
  const configuration = (): Promise<OpenId.Configuration> => {
    discovered ??= loadOpenId()
      .then((client) =>
        client.discovery(new URL(issuer), clientId, undefined, client.ClientSecretBasic(clientSecret), {
          // The ID token's signature is checked against the provider's keys too, not only TLS (which plain http lacks).
          execute: [client.enableNonRepudiationChecks, ...(issuer.startsWith("http://") ? [client.allowInsecureRequests] : [])],
          timeout: 10,
        }),
      )
      .catch((err: unknown) => {
        discovered = null;
        logger.error({ component: "sso", issuer, err }, "discovering the OpenID provider failed");
        throw new OidcUnavailable(`The sign-in service (${issuer}) cannot be reached.`, { cause: err });
      });
    return discovered;
  };

  return {
    issuer,

    /** A fresh challenge and the provider's authorization URL for it. */
    async challenge(redirectUri: string): Promise<OidcChallenge> {
      const [client, config] = await Promise.all([loadOpenId(), configuration()]);
      const codeVerifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const nonce = client.randomNonce();
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: "openid email profile",
        response_type: "code",
        code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: "S256",
        state,
        nonce,
      });
      return { url, state, nonce, codeVerifier };
    },

    /**
     * Checks the provider's answer (at `callbackUrl`, the redirect URI with its query) against the
     * challenge, exchanges the code, verifies the ID token, and reads the person's e-mail from it,
     * or from the UserInfo endpoint when the ID token leaves it out.
     */
    async finish(callbackUrl: URL, expected: Omit<OidcChallenge, "url">): Promise<OidcIdentity> {
      const [client, config] = await Promise.all([loadOpenId(), configuration()]);
      let tokens: Awaited<ReturnType<typeof OpenId.authorizationCodeGrant>>;
      try {
        tokens = await client.authorizationCodeGrant(config, callbackUrl, {
          pkceCodeVerifier: expected.codeVerifier,
          expectedState: expected.state,
          expectedNonce: expected.nonce,
          idTokenExpected: true,
        });
      } catch (err) {
        throw refusalOf(err, client);
      }
      const claims = tokens.claims()!;
      let facts: Record<string, unknown> = claims;
      if ((claims.email === undefined || claims.email_verified === undefined) && config.serverMetadata().userinfo_endpoint) {
        try {
          facts = { ...(await client.fetchUserInfo(config, tokens.access_token, claims.sub)), ...claims };
        } catch (err) {
          throw refusalOf(err, client);
        }
      }
      return {
        issuer: config.serverMetadata().issuer,
        subject: claims.sub,
        email: typeof facts.email === "string" ? facts.email.trim() : null,
        // Some providers send the flag as a string.
        emailVerified: facts.email_verified === true || facts.email_verified === "true",
        name: typeof facts.name === "string" && facts.name.trim() ? facts.name.trim() : null,
      };
    },
  };
}

export type OidcClient = ReturnType<typeof createOidcClient>;

/** A failed check or an error answer is refused with its reason logged; a network failure is the provider being unavailable. */
function refusalOf(err: unknown, client: typeof OpenId): Error {
  if (err instanceof client.AuthorizationResponseError) {
    // The provider answered with an error, e.g. access_denied when the person cancelled.
    return new OidcRefused(`the provider answered ${err.error}${err.error_description ? `: ${err.error_description}` : ""}`, {
      cause: err,
    });
  }
  // fetch fails with a TypeError without a code (argument errors carry one), and times out with a TimeoutError.
  const { name, code } = err as { name?: string; code?: unknown };
  if ((err instanceof TypeError && code === undefined) || name === "TimeoutError") {
    return new OidcUnavailable("The sign-in service cannot be reached.", { cause: err });
  }
  return new OidcRefused((err as Error).message, { cause: err });
}
