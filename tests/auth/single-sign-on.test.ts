import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { startTestServer, type TestServer } from "../support/server";
import { startTestProvider, type TestProvider } from "../support/openid-provider";
import { browse, CookieJar, type Hop } from "../support/cookie-jar";
import { createDelegation, createPerson, createStatement, uniqueTag } from "../support/factories";
import { alertsIn, inputTag, pageText, postLogin, request, sessionPair, signIn } from "../support/http";
import { entriesOf } from "../support/audit";
import { issueInvitation } from "../../server/people/invitations";

/**
 * Single sign-on against a real OpenID provider (oidc-provider) started here, through HTTP as a
 * browser without JavaScript goes: a cookie jar shared by both sites, every redirect followed, and
 * the provider's own login page filled in.
 */
let db: TestDatabase;
let provider: TestProvider;
let server: TestServer;
let conferenceId: string;

const providerName = "Example Ministry";
const callbackPrefix = () => `${server.url}/auth/oidc/callback`;

beforeAll(async () => {
  db = await createTestDatabase();
  provider = await startTestProvider();
  server = await startTestServer({
    databaseUrl: db.url,
    env: {
      OIDC_ISSUER: provider.issuer,
      OIDC_CLIENT_ID: provider.clientId,
      OIDC_CLIENT_SECRET: provider.clientSecret,
      OIDC_NAME: providerName,
    },
  });
  provider.register([callbackPrefix()]);
  ({ conferenceId } = await createStatement(db.sql));
  await db.sql`update conferences set title = 'Conference on Safe Settlements' where id = ${conferenceId}`;
});

/** Where a hop's redirect leads, as an absolute URL. */
const target = (hop: Hop) => new URL(hop.location!, hop.url).href;

/**
 * Starts at /auth/oidc (with `returnTo`), signs in on the provider's page as `subject`, and stops
 * before Concord's callback is requested: the callback URL and the jar, to follow it or tamper with it.
 */
async function atProvider(subject: string, { returnTo, jar = new CookieJar() }: { returnTo?: string; jar?: CookieJar } = {}) {
  const start = `${server.url}/auth/oidc${returnTo === undefined ? "" : `?${new URLSearchParams({ returnTo })}`}`;
  const toLogin = await browse(jar, start);
  const loginPage = toLogin.at(-1)!;
  expect(loginPage.status, pageText(loginPage.body)).toBe(200);
  expect(loginPage.url.startsWith(provider.issuer)).toBe(true);
  const action = /<form[^>]*action="([^"]+)"/.exec(loginPage.body)![1];
  const back = await browse(jar, new URL(action, loginPage.url).href, {
    form: { prompt: "login", login: subject, password: "any password at all" },
    until: (url) => url.startsWith(callbackPrefix()),
  });
  const callbackUrl = target(back.at(-1)!);
  expect(callbackUrl.startsWith(callbackPrefix()), callbackUrl).toBe(true);
  return { jar, callbackUrl, start: toLogin[0] };
}

/** The whole sign-in: the provider's page, then Concord's callback and wherever it leads. */
async function signInWithProvider(subject: string, options: { returnTo?: string } = {}) {
  const { jar, callbackUrl } = await atProvider(subject, options);
  const hops = await browse(jar, callbackUrl);
  return { jar, callbackUrl, callback: hops[0], final: hops.at(-1)! };
}

const sessionIn = (jar: CookieJar) => jar.get(server.url, "concord_session");

/** The session cookie an answer sets, if it signs in. */
const sessionPairOf = (hop: Hop) =>
  hop.setCookies.find((c) => c.startsWith("concord_session=") && !c.startsWith("concord_session=;")) ?? null;

/** The home page as the jar's session sees it (it names the person signed in); null when sent to sign in. */
async function home(jar: CookieJar): Promise<string | null> {
  const res = await request(`${server.url}/`, { headers: { Cookie: jar.header(`${server.url}/`) } });
  return res.status === 200 ? pageText(res.body) : null;
}

describe("starting", () => {
  it("sends the browser to the provider with PKCE (S256), state and nonce, and a short-lived HttpOnly, SameSite=Lax cookie", async () => {
    const res = await request(`${server.url}/auth/oidc?returnTo=%2Fnotifications`);
    expect(res.status).toBe(302);
    const to = new URL(res.location!);
    expect(to.origin).toBe(provider.issuer);
    expect(to.searchParams.get("client_id")).toBe(provider.clientId);
    expect(to.searchParams.get("redirect_uri")).toBe(callbackPrefix());
    expect(to.searchParams.get("response_type")).toBe("code");
    expect(to.searchParams.get("code_challenge_method")).toBe("S256");
    expect(to.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(to.searchParams.get("state")).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(to.searchParams.get("nonce")).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(to.searchParams.get("scope")!.split(" ")).toEqual(expect.arrayContaining(["openid", "email"]));
    // The secret goes to the token endpoint only, never through the browser.
    expect(res.location).not.toContain(provider.clientSecret);

    const cookie = res.setCookies.find((c) => c.startsWith("concord_oidc="))!;
    expect(cookie).toBeDefined();
    expect(cookie).toMatch(/; HttpOnly/i);
    expect(cookie).toMatch(/; SameSite=Lax/i);
    expect(cookie).toMatch(/; Path=\/auth\/oidc/i);
    expect(Number(/Max-Age=(\d+)/i.exec(cookie)![1])).toBeLessThanOrEqual(600);
    // What is checked later (verifier, state, nonce) stays on the server; the cookie holds a key alone.
    const [row] = await db.sql<{ state: string; returnTo: string }[]>`
      select state, return_to as "returnTo" from oidc_sign_ins where state = ${to.searchParams.get("state")}`;
    expect(row.returnTo).toBe("/notifications");
    expect(cookie).not.toContain(to.searchParams.get("state")!);
  });

  it("gives the provider the redirect URI on PUBLIC_URL when set (behind a proxy), not on the address the request reached", async () => {
    const proxied = await startTestServer({
      databaseUrl: db.url,
      env: {
        OIDC_ISSUER: provider.issuer,
        OIDC_CLIENT_ID: provider.clientId,
        OIDC_CLIENT_SECRET: provider.clientSecret,
        PUBLIC_URL: "https://concord.example.org",
      },
    });
    const res = await request(`${proxied.url}/auth/oidc`);
    expect(res.status).toBe(302);
    expect(new URL(res.location!).searchParams.get("redirect_uri")).toBe("https://concord.example.org/auth/oidc/callback");
  });

  it("lets one network have 30 sign-ins under way: the 31st is refused (429, Retry-After) and stores nothing; another network still starts", async () => {
    const from = "127.0.77.1";
    const countFrom = async () =>
      (await db.sql<{ n: number }[]>`select count(*)::int as n from oidc_sign_ins where address = ${from}`)[0].n;
    // Started in parallel, as a script would: none may slip past the count.
    const started = await Promise.all(Array.from({ length: 35 }, () => request(`${server.url}/auth/oidc`, { localAddress: from })));
    expect(started.filter((r) => r.status === 302)).toHaveLength(30);
    const refusals = started.filter((r) => r.status !== 302);
    expect(refusals.map((r) => r.status)).toEqual([429, 429, 429, 429, 429]);
    for (const res of refusals) {
      expect(res.setCookies.filter((c) => c.startsWith("concord_oidc="))).toEqual([]);
      expect(Number(res.headers["retry-after"])).toBeGreaterThan(0);
      expect(Number(res.headers["retry-after"])).toBeLessThanOrEqual(600);
      expect(pageText(res.body)).toContain("Too many sign-ins started");
    }
    expect(await countFrom()).toBe(30);

    // Another address of the same IPv4 network is another network; IPv6 would be counted by its /64.
    const elsewhere = await request(`${server.url}/auth/oidc`, { localAddress: "127.0.77.2" });
    expect(elsewhere.status).toBe(302);

    // Once they expire, the network may start again.
    await db.sql`update oidc_sign_ins set expires_at = now() - interval '1 second' where address = ${from}`;
    const again = await request(`${server.url}/auth/oidc`, { localAddress: from });
    expect(again.status).toBe(302);
    expect(await countFrom()).toBe(1);
  });

  it("shows the button on the sign-in page beside the password form, keeping the page to return to", async () => {
    const res = await request(`${server.url}/login?redirectTo=%2Fnotifications`);
    expect(res.status).toBe(200);
    expect(res.body).toContain(`href="/auth/oidc?returnTo=%2Fnotifications"`);
    expect(pageText(res.body)).toContain(`Sign in with ${providerName}`);
    expect(inputTag(res.body, "password")).not.toBeNull();
  });
});

describe("signing in", () => {
  it("accepts a pending invitation for the verified address: a new account without a password, in the conference", async () => {
    const t = uniqueTag();
    const delegation = await createDelegation(db.sql, conferenceId, { code: `N${t.slice(0, 4).toUpperCase()}`, name: `Norway ${t}` });
    const email = `Amina.Invitee-${t}@Example.org`;
    const invitation = await issueInvitation(db.sql, {
      conferenceId,
      email,
      role: "delegate",
      delegationId: delegation.id,
      language: null,
      createdBy: null,
      origin: server.url,
    });
    provider.account(`amina-${t}`, { email: email.toLowerCase(), emailVerified: true, name: "Amina Invitee" });

    const { callback, final, jar } = await signInWithProvider(`amina-${t}`);
    expect(callback.status).toBe(302);
    expect(callback.location).toBe(`/conferences/${conferenceId}`);
    expect(final.status).toBe(200);
    expect(pageText(final.body)).toContain("Conference on Safe Settlements");
    expect(sessionIn(jar)).toBeDefined();
    // The sign-in's own cookie is gone.
    expect(jar.get(callbackPrefix(), "concord_oidc")).toBeUndefined();

    const [user] = await db.sql<{ id: string; name: string; email: string; passwordHash: string | null }[]>`
      select id, name, email, password_hash as "passwordHash" from users where lower(email) = lower(${email})`;
    expect(user).toMatchObject({ name: "Amina Invitee", email, passwordHash: null });
    const [membership] = await db.sql<{ role: string; delegationId: string }[]>`
      select role, delegation_id as "delegationId" from memberships where conference_id = ${conferenceId} and user_id = ${user.id}`;
    expect(membership).toEqual({ role: "delegate", delegationId: delegation.id });
    const [used] = await db.sql<{ acceptedBy: string }[]>`select accepted_by as "acceptedBy" from invitations where id = ${invitation.id}`;
    expect(used.acceptedBy).toBe(user.id);
    const [identity] = await db.sql<{ userId: string }[]>`
      select user_id as "userId" from user_identities where issuer = ${provider.issuer} and subject = ${`amina-${t}`}`;
    expect(identity.userId).toBe(user.id);
    const [accepted] = (await entriesOf(db.sql, conferenceId, "invitation.accepted")).filter(
      (e) => e.subject.invitationId === invitation.id,
    );
    expect(accepted.subject).toMatchObject({ newAccount: true, singleSignOn: true });

    // The account has no password: password sign-in refuses it as it refuses a wrong password.
    const attempt = await postLogin(server.url, { email, password: "any password at all" });
    expect(attempt.status).toBe(400);
    expect(alertsIn(attempt.body)).toEqual(["The e-mail address or password is incorrect."]);
    expect(sessionPair(attempt)).toBeNull();
  });

  it("signs in the existing account of the verified address, whatever its case, links it, and goes to returnTo", async () => {
    const t = uniqueTag();
    const person = await createPerson(db.sql, {
      conferenceId,
      role: "observer",
      email: `Existing-${t}@Example.org`,
      name: `Observer ${t}`,
    });
    provider.account(`existing-${t}`, { email: `existing-${t}@example.org`, emailVerified: true, name: "Someone Else" });

    const { callback, final, jar } = await signInWithProvider(`existing-${t}`, { returnTo: `/conferences/${conferenceId}` });
    expect(callback.status).toBe(302);
    expect(callback.location).toBe(`/conferences/${conferenceId}`);
    expect(final.status).toBe(200);
    expect(pageText(final.body)).toContain(`Observer ${t}`);
    expect(await home(jar)).toContain(`Observer ${t}`);
    const [identity] = await db.sql<{ userId: string; email: string }[]>`
      select user_id as "userId", email from user_identities where issuer = ${provider.issuer} and subject = ${`existing-${t}`}`;
    expect(identity).toEqual({ userId: person.id, email: `existing-${t}@example.org` });
    // The account is as it was: its name and its password.
    const [user] = await db.sql<{ name: string }[]>`select name from users where id = ${person.id}`;
    expect(user.name).toBe(`Observer ${t}`);
    await signIn(server.url, person.email, person.password);

    // The second sign-in goes by the linked subject, even once the provider holds another address for it.
    provider.account(`existing-${t}`, { email: `renamed-${t}@example.net`, emailVerified: false, name: "Someone Else" });
    const again = await signInWithProvider(`existing-${t}`);
    expect(again.callback.status).toBe(302);
    expect(again.callback.location).toBe("/");
    expect(await home(again.jar)).toContain(`Observer ${t}`);
    const [{ n }] = await db.sql<{ n: number }[]>`select count(*)::int as n from users where lower(email) = ${`renamed-${t}@example.net`}`;
    expect(n).toBe(0);
  });

  it("refuses an address the provider has not verified, even with an invitation for it", async () => {
    const t = uniqueTag();
    const email = `unverified-${t}@example.org`;
    const invitation = await issueInvitation(db.sql, {
      conferenceId,
      email,
      role: "observer",
      delegationId: null,
      language: null,
      createdBy: null,
      origin: server.url,
    });
    provider.account(`unverified-${t}`, { email, emailVerified: false, name: "Not Verified" });

    const { callback, jar } = await signInWithProvider(`unverified-${t}`);
    expect(callback.status).toBe(403);
    expect(alertsIn(callback.body).join(" ")).toContain("Your e-mail address is not verified");
    expect(pageText(callback.body)).toContain(`${providerName} has not confirmed that ${email} is yours`);
    expect(sessionIn(jar)).toBeUndefined();
    const [{ n }] = await db.sql<{ n: number }[]>`select count(*)::int as n from users where email = ${email}`;
    expect(n).toBe(0);
    const [row] = await db.sql<
      { acceptedAt: Date | null }[]
    >`select accepted_at as "acceptedAt" from invitations where id = ${invitation.id}`;
    expect(row.acceptedAt).toBeNull();
    const identities = await db.sql`select 1 from user_identities where subject = ${`unverified-${t}`}`;
    expect(identities).toHaveLength(0);
  });

  it("refuses an address with neither an account nor an invitation", async () => {
    const t = uniqueTag();
    const email = `stranger-${t}@example.org`;
    provider.account(`stranger-${t}`, { email, emailVerified: true, name: "A Stranger" });

    const { callback, jar } = await signInWithProvider(`stranger-${t}`);
    expect(callback.status).toBe(403);
    expect(alertsIn(callback.body).join(" ")).toContain("No invitation for this address");
    expect(pageText(callback.body)).toContain(`Concord has no account and no invitation for ${email}`);
    expect(sessionIn(jar)).toBeUndefined();
    const [{ n }] = await db.sql<{ n: number }[]>`select count(*)::int as n from users where email = ${email}`;
    expect(n).toBe(0);
  });

  it("keeps returnTo to paths of this site: another origin is ignored", async () => {
    const t = uniqueTag();
    await createPerson(db.sql, { email: `wanderer-${t}@example.org` });
    provider.account(`wanderer-${t}`, { email: `wanderer-${t}@example.org`, emailVerified: true, name: "Wanderer" });
    for (const returnTo of ["https://evil.example/phish", "//evil.example", "/\t/evil.example"]) {
      const { callback, jar } = await signInWithProvider(`wanderer-${t}`, { returnTo });
      expect(callback.status, returnTo).toBe(302);
      expect(callback.location, returnTo).toBe("/");
      expect(sessionIn(jar)).toBeDefined();
    }
  });
});

describe("refusing forged and replayed answers", () => {
  let t: string;
  beforeAll(async () => {
    t = uniqueTag();
    await createPerson(db.sql, { email: `target-${t}@example.org` });
    provider.account(`target-${t}`, { email: `target-${t}@example.org`, emailVerified: true, name: "Target" });
  });

  const withState = (url: string, state: string | null) => {
    const u = new URL(url);
    if (state === null) u.searchParams.delete("state");
    else u.searchParams.set("state", state);
    return u.href;
  };

  it.each([
    ["altered", (url: string) => withState(url, `${new URL(url).searchParams.get("state")}x`)],
    ["missing", (url: string) => withState(url, null)],
    ["another sign-in's", (url: string) => withState(url, "bm90LXRoZS1zdGF0ZS1zZW50LXRvLXRoZS1wcm92aWRlcg")],
  ])("refuses an answer whose state is %s, and the sign-in it belonged to with it", async (_name, tamper) => {
    const { jar, callbackUrl } = await atProvider(`target-${t}`);
    const [forged] = await browse(jar, tamper(callbackUrl));
    expect(forged.status).toBe(400);
    expect(alertsIn(forged.body).join(" ")).toContain("The sign-in did not complete");
    expect(sessionIn(jar)).toBeUndefined();
    // The genuine answer arriving after that finds no sign-in under way.
    const [genuine] = await browse(jar, callbackUrl);
    expect(genuine.status).toBe(400);
    expect(sessionIn(jar)).toBeUndefined();
  });

  it("refuses a replayed answer, with the sign-in's cookie as it was and without it", async () => {
    const { jar, callbackUrl } = await atProvider(`target-${t}`);
    const cookieAtCallback = jar.header(callbackUrl);
    expect(cookieAtCallback).toContain("concord_oidc=");
    const [first] = await browse(jar, callbackUrl);
    expect(first.status).toBe(302);
    expect(sessionPairOf(first)).not.toBeNull();

    for (const cookie of [cookieAtCallback, ""]) {
      const replay = await request(callbackUrl, { headers: cookie ? { Cookie: cookie } : {} });
      expect(replay.status).toBe(400);
      expect(alertsIn(replay.body).join(" ")).toContain("This sign-in has expired");
      expect(sessionPair(replay)).toBeNull();
    }
  });

  it("refuses the provider's error answer when the person cancels there", async () => {
    const jar = new CookieJar();
    const loginPage = (await browse(jar, `${server.url}/auth/oidc`)).at(-1)!;
    const abort = /<a href="([^"]+\/abort)"/.exec(loginPage.body)![1];
    const hops = await browse(jar, new URL(abort, loginPage.url).href);
    const callback = hops.find((h) => h.url.startsWith(callbackPrefix()))!;
    expect(new URL(callback.url).searchParams.get("error")).toBe("access_denied");
    expect(callback.status).toBe(400);
    expect(alertsIn(callback.body).join(" ")).toContain("The sign-in did not complete");
    expect(sessionIn(jar)).toBeUndefined();
  });

  it("refuses an answer brought to another browser (no sign-in under way there)", async () => {
    const { callbackUrl } = await atProvider(`target-${t}`);
    const elsewhere = new CookieJar();
    const [answer] = await browse(elsewhere, callbackUrl);
    expect(answer.status).toBe(400);
    expect(sessionIn(elsewhere)).toBeUndefined();
  });
});

describe("an unreachable provider", () => {
  it("does not stop the server; starting a sign-in says the service cannot be reached (503)", async () => {
    const down = await startTestProvider(); // answers 503 to everything: never registered
    const other = await startTestServer({
      databaseUrl: db.url,
      env: {
        OIDC_ISSUER: down.issuer,
        OIDC_CLIENT_ID: "concord",
        OIDC_CLIENT_SECRET: "another secret never shown",
        OIDC_NAME: "Down Ministry",
      },
    });
    const login = await request(`${other.url}/login`);
    expect(login.status).toBe(200);
    expect(pageText(login.body)).toContain("Sign in with Down Ministry");

    const res = await request(`${other.url}/auth/oidc`);
    expect(res.status).toBe(503);
    expect(alertsIn(res.body).join(" ")).toContain("Signing in with Down Ministry is not available right now");
    expect(res.body).not.toContain("another secret never shown");
    expect(res.setCookies.find((c) => c.startsWith("concord_oidc="))).toBeUndefined();
    // The server goes on: password sign-in works.
    const person = await createPerson(db.sql);
    await signIn(other.url, person.email, person.password);
  });
});

describe("with PASSWORD_SIGN_IN=false", () => {
  let strict: TestServer;
  beforeAll(async () => {
    strict = await startTestServer({
      databaseUrl: db.url,
      env: {
        OIDC_ISSUER: provider.issuer,
        OIDC_CLIENT_ID: provider.clientId,
        OIDC_CLIENT_SECRET: provider.clientSecret,
        OIDC_NAME: providerName,
        PASSWORD_SIGN_IN: "false",
      },
    });
  });

  it("the server refuses a password sign-in, even with the right password (403, no session)", async () => {
    const person = await createPerson(db.sql);
    const res = await postLogin(strict.url, { email: person.email, password: person.password });
    expect(res.status).toBe(403);
    expect(sessionPair(res)).toBeNull();
    expect(alertsIn(res.body)).toEqual(["Signing in with a password is switched off here. Sign in with your organisation's account."]);
    // The same person, the same password, on a server that allows it.
    await signIn(server.url, person.email, person.password);
  });

  it("has no password links: the forgot-password and reset pages are not there, and the sign-in page does not offer them", async () => {
    expect((await request(`${strict.url}/forgot-password`)).status).toBe(404);
    expect((await request(`${strict.url}/forgot-password`, { form: { email: "someone@example.org" } })).status).toBe(404);
    expect((await request(`${strict.url}/reset-password/some-token`)).status).toBe(404);
    expect((await request(`${strict.url}/login`)).body).not.toContain('href="/forgot-password"');
    expect((await request(`${server.url}/login`)).body).toContain('href="/forgot-password"');
  });

  it("the sign-in page shows the button only", async () => {
    const res = await request(`${strict.url}/login`);
    expect(res.status).toBe(200);
    expect(inputTag(res.body, "password")).toBeNull();
    expect(res.body).toContain(`href="/auth/oidc?returnTo=%2F"`);
  });

  it("an invitation is not accepted with a new password, nor by signing in with one; its page offers the button", async () => {
    const t = uniqueTag();
    const email = `strict-${t}@example.org`;
    const invitation = await issueInvitation(db.sql, {
      conferenceId,
      email,
      role: "observer",
      delegationId: null,
      language: null,
      createdBy: null,
      origin: strict.url,
    });
    const path = new URL(invitation.link).pathname;
    const page = await request(`${strict.url}${path}`);
    expect(page.status).toBe(200);
    expect(inputTag(page.body, "password")).toBeNull();
    expect(page.body).toContain(`href="/auth/oidc?${new URLSearchParams({ returnTo: path })}"`);

    const signup = await request(`${strict.url}${path}?intent=signup`, {
      form: { name: "Strict Person", password: "a long enough password", confirm: "a long enough password" },
    });
    expect(signup.status).toBe(403);
    expect(sessionPair(signup)).toBeNull();
    const [{ n }] = await db.sql<{ n: number }[]>`select count(*)::int as n from users where email = ${email}`;
    expect(n).toBe(0);

    const existing = await createPerson(db.sql, { email: `strict-existing-${t}@example.org` });
    const other = await issueInvitation(db.sql, {
      conferenceId,
      email: existing.email,
      role: "observer",
      delegationId: null,
      language: null,
      createdBy: null,
      origin: strict.url,
    });
    const signin = await request(`${strict.url}${new URL(other.link).pathname}?intent=signin`, { form: { password: existing.password } });
    expect(signin.status).toBe(403);
    expect(sessionPair(signin)).toBeNull();
    const pending = await db.sql`select 1 from invitations where id in ${db.sql([invitation.id, other.id])} and accepted_at is null`;
    expect(pending).toHaveLength(2);
  });
});
