import { randomBytes } from "node:crypto";
import type { Db } from "../../server/db/sql";
import { hashPassword } from "../../server/auth/password";
import { createConference, type ConferenceRow } from "../../server/queries/conferences";
import { createDelegation, type DelegationRow } from "../../server/queries/delegations";
import { setMembership } from "../../server/queries/memberships";
import { createUser } from "../../server/queries/users";
import type { DelegationKind, Role } from "../../app/statement/vocabulary";

/**
 * Factories for people, conferences and delegations, written straight to the database, and a
 * client that signs in through the ordinary form (POST /login) and submits forms as a browser
 * without JavaScript would.
 */

export const testPassword = "correct horse battery staple";
// Hashing is slow on purpose; every test person shares one hash of the same password.
let sharedHash: Promise<string> | null = null;
const passwordHash = (password: string) => (password === testPassword ? (sharedHash ??= hashPassword(testPassword)) : hashPassword(password));

const suffix = () => randomBytes(4).toString("hex");

export async function createTestConference(sql: Db, c: Partial<Omit<ConferenceRow, "id">> = {}): Promise<ConferenceRow> {
  const tag = suffix();
  return createConference(sql, { slug: c.slug ?? `conf-${tag}`, title: c.title ?? `Test Conference ${tag}`, subtitle: c.subtitle ?? "", venue: c.venue ?? "Geneva" });
}

export async function createTestDelegation(
  sql: Db,
  conferenceId: string,
  d: { code?: string; name?: string; kind?: DelegationKind } = {},
): Promise<DelegationRow> {
  const code = d.code ?? `D${suffix().toUpperCase().slice(0, 6)}`;
  return createDelegation(sql, { conferenceId, code, name: d.name ?? `Delegation ${code}`, kind: d.kind ?? "state" });
}

export interface TestPerson {
  id: string;
  email: string;
  name: string;
  password: string;
}

/** An account, with a role in a conference when one is given (a delegate needs a delegation). */
export async function createTestPerson(
  sql: Db,
  p: { role?: Role; conferenceId?: string; delegationId?: string | null; isAdmin?: boolean; email?: string; name?: string; password?: string } = {},
): Promise<TestPerson> {
  const tag = suffix();
  const email = p.email ?? `${p.role ?? (p.isAdmin ? "admin" : "person")}-${tag}@example.org`;
  const name = p.name ?? `${p.role ?? "Person"} ${tag}`;
  const password = p.password ?? testPassword;
  const user = await createUser(sql, { email, name, passwordHash: await passwordHash(password), isAdmin: p.isAdmin ?? false });
  if (p.conferenceId && p.role) {
    if (p.role === "delegate" && !p.delegationId) throw new Error("createTestPerson: a delegate needs a delegationId");
    await setMembership(sql, { conferenceId: p.conferenceId, userId: user.id, role: p.role, delegationId: p.role === "delegate" ? p.delegationId! : null });
  }
  return { id: user.id, email, name, password };
}

/** The session cookie ("concord_session=…") from signing in through the form. */
export async function signIn(baseUrl: string, email: string, password: string = testPassword): Promise<string> {
  const res = await fetch(`${baseUrl}/login`, {
    method: "POST",
    body: new URLSearchParams({ email, password, redirectTo: "/" }),
    redirect: "manual",
  });
  const cookie = sessionCookieOf(res);
  if (!cookie) throw new Error(`Sign-in of ${email} failed with status ${res.status}`);
  return cookie;
}

/** The "name=value" part of a response's session cookie, if it sets one. */
export function sessionCookieOf(res: Response): string | null {
  const header = res.headers.getSetCookie().find((c) => c.startsWith("concord_session="));
  const pair = header?.split(";")[0];
  return pair && pair !== "concord_session=" ? pair : null;
}

/**
 * The anti-forgery token of a session, read from a page as a browser has it: from a form's hidden
 * field, or, on a page without a form, from the root loader's data that the page carries.
 */
export async function csrfTokenFor(baseUrl: string, cookie: string, path = "/"): Promise<string> {
  const res = await fetch(`${baseUrl}${path}`, { headers: { Cookie: cookie } });
  const html = await res.text();
  const match = /name="csrf" value="([^"]+)"/.exec(html) ?? /\\"csrf\\",\\"([A-Za-z0-9_-]+)\\"/.exec(html);
  if (!match) throw new Error(`No anti-forgery token on ${path} (status ${res.status})`);
  return match[1];
}

export interface FormClient {
  cookie: string;
  /** The session's anti-forgery token, read from the first page with a form that was loaded. */
  csrf(): Promise<string | null>;
  /** GET a page; redirects are not followed. */
  get(path: string): Promise<Response>;
  /** POST a URL-encoded form, with the anti-forgery token unless `csrf: false`. */
  post(path: string, fields: Record<string, string>, options?: { csrf?: boolean }): Promise<Response>;
  /** POST a multipart form (file uploads), with the anti-forgery token first unless `csrf: false`. */
  postMultipart(path: string, form: FormData, options?: { csrf?: boolean }): Promise<Response>;
}

/**
 * Signs a person in and returns a client that submits forms with their session. As a browser
 * would, it takes the anti-forgery token from a page's form: `csrfFrom`, or else the page it posts
 * to (a person who may not see that page has no token, and posts without one).
 */
export async function clientFor(baseUrl: string, person: Pick<TestPerson, "email" | "password">, { csrfFrom }: { csrfFrom?: string } = {}): Promise<FormClient> {
  const cookie = await signIn(baseUrl, person.email, person.password);
  let token: string | null = csrfFrom ? await csrfTokenFor(baseUrl, cookie, csrfFrom) : null;
  const tokenFor = async (path: string) => (token ??= await csrfTokenFor(baseUrl, cookie, path).catch(() => null));
  return {
    cookie,
    csrf: () => tokenFor("/"),
    get: (path) => fetch(`${baseUrl}${path}`, { headers: { Cookie: cookie }, redirect: "manual" }),
    post: async (path, fields, { csrf: withCsrf = true } = {}) => {
      const csrf = withCsrf ? await tokenFor(path) : null;
      return fetch(`${baseUrl}${path}`, {
        method: "POST",
        headers: { Cookie: cookie },
        body: new URLSearchParams(csrf ? { csrf, ...fields } : fields),
        redirect: "manual",
      });
    },
    postMultipart: async (path, form, { csrf: withCsrf = true } = {}) => {
      const csrf = withCsrf ? await tokenFor(path) : null;
      const body = new FormData();
      if (csrf) body.append("csrf", csrf);
      for (const [k, v] of form.entries()) body.append(k, v);
      return fetch(`${baseUrl}${path}`, { method: "POST", headers: { Cookie: cookie }, body, redirect: "manual" });
    },
  };
}

/** The invitation links in a page (the read-only inputs that show them once). */
export function invitationLinksIn(html: string): string[] {
  return [...html.matchAll(/value="(https?:\/\/[^"]+\/invitations\/[A-Za-z0-9_-]+)"/g)].map((m) => m[1]);
}

/** The token at the end of an invitation link. */
export const tokenOf = (link: string) => link.slice(link.lastIndexOf("/") + 1);

/** A server-rendered page as plain text: tags and React's text separators removed, entities decoded. */
export function pageText(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, " ")
    .replace(/<!-- -->/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");
}
