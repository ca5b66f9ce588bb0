import http from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { type ProviderContext } from "oidc-provider";
import { onCleanup } from "./cleanup";

/**
 * A real OpenID Connect provider (`oidc-provider`, the certified server) on a free loopback port,
 * for the single sign-on tests: one confidential client (client_secret_basic, PKCE required),
 * accounts the test adds (a subject, an e-mail address, verified or not, a name), and the
 * library's own development login page, where any password signs in the account named in the
 * "login" field. Consent is taken as given, as an organisation's own provider does for its apps.
 *
 * It listens before it knows its client: Concord's redirect URI has Concord's port, and Concord
 * is started with this provider's issuer. Until `register` it answers 503 to everything.
 */
export interface TestProviderAccount {
  email: string;
  emailVerified: boolean;
  name: string;
}

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Sets up the client with its redirect URI(s). */
  register(redirectUris: string[]): void;
  /** Adds or changes the account of a subject (the "login" typed on the provider's page). */
  account(subject: string, account: TestProviderAccount): void;
  close(): Promise<void>;
}

export async function startTestProvider(): Promise<TestProvider> {
  const accounts = new Map<string, TestProviderAccount>();
  let handler: ((req: http.IncomingMessage, res: http.ServerResponse) => void) | null = null;
  const server = http.createServer((req, res) => {
    if (handler) return handler(req, res);
    res.writeHead(503).end("not set up yet");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = "concord-test";
  const clientSecret = "a client secret that must never be shown";
  const close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  onCleanup(close);

  return {
    issuer,
    clientId,
    clientSecret,
    register(redirectUris) {
      const provider = new Provider(issuer, {
        clients: [
          {
            client_id: clientId,
            client_secret: clientSecret,
            redirect_uris: redirectUris,
            grant_types: ["authorization_code"],
            response_types: ["code"],
            token_endpoint_auth_method: "client_secret_basic",
          },
        ],
        pkce: { required: () => true },
        claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
        features: { devInteractions: { enabled: true } },
        cookies: { keys: ["test provider cookie key, not a secret"] },
        // Set, so that the provider does not warn of its defaults at every sign-in.
        ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
        findAccount: (_ctx: ProviderContext, subject: string) => {
          const account = accounts.get(subject);
          if (!account) return undefined;
          return {
            accountId: subject,
            claims: () => ({ sub: subject, email: account.email, email_verified: account.emailVerified, name: account.name }),
          };
        },
        loadExistingGrant: async (ctx: ProviderContext) => {
          const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
          if (grantId) return ctx.oidc.provider.Grant.find(grantId);
          const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
          grant.addOIDCScope("openid email profile");
          await grant.save();
          return grant;
        },
      });
      handler = provider.callback();
    },
    account(subject, account) {
      accounts.set(subject, account);
    },
    close,
  };
}
