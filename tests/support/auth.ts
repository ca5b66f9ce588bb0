import http from "node:http";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import type { Sql } from "../../server/db/sql";
import { hashPassword } from "../../server/auth/password";
import { createConference, type ConferenceRow } from "../../server/queries/conferences";
import { createDelegation } from "../../server/queries/delegations";
import { setMembership } from "../../server/queries/memberships";
import { createUser } from "../../server/queries/users";
import { onCleanup } from "./cleanup";
import type { Role } from "../../app/statement/vocabulary";

/**
 * Helpers for the sign-in, session and anti-forgery tests: raw HTTP requests (so that tests set
 * headers a browser would, such as Origin and Sec-Fetch-Site, and choose the client address),
 * people with a real password, and running the server's entry point until it exits.
 */

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Every Set-Cookie line of the answer. */
  setCookies: string[];
  location: string | undefined;
  body: string;
}

export interface RawRequest {
  method?: string;
  headers?: Record<string, string>;
  /** A form, sent URL-encoded. */
  form?: Record<string, string>;
  /** The client's own address (any of 127.0.0.0/8 reaches a server on 127.0.0.1). */
  localAddress?: string;
}

/** One HTTP request with node:http: no redirect is followed and every header is sent as given. */
export function request(url: string, { method, headers = {}, form, localAddress }: RawRequest = {}): Promise<RawResponse> {
  const body = form ? new URLSearchParams(form).toString() : undefined;
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: method ?? (form ? "POST" : "GET"),
        localAddress,
        agent: false,
        headers: {
          ...(body !== undefined ? { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": String(Buffer.byteLength(body)) } : {}),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            setCookies: res.headers["set-cookie"] ?? [],
            location: res.headers.location,
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** POST /login as a form without JavaScript submits it. */
export function postLogin(baseUrl: string, fields: Record<string, string>, options: Omit<RawRequest, "form" | "method"> = {}): Promise<RawResponse> {
  return request(`${baseUrl}/login`, { ...options, form: fields });
}

/** The session cookie line ("concord_session=…; Path=/; …") of an answer, if it sets one. */
export function sessionSetCookie(res: RawResponse): string | undefined {
  return res.setCookies.find((c) => c.startsWith("concord_session="));
}

/** The "concord_session=value" pair of an answer that signs in; null when it does not. */
export function sessionPair(res: RawResponse): string | null {
  const pair = sessionSetCookie(res)?.split(";")[0];
  return pair && pair !== "concord_session=" ? pair : null;
}

/** The attributes of a Set-Cookie line, keyed by lower-case name (flags map to ""). */
export function cookieAttributes(setCookie: string): Map<string, string> {
  const [, ...parts] = setCookie.split(";");
  return new Map(
    parts.map((p) => {
      const [k, ...v] = p.trim().split("=");
      return [k.toLowerCase(), v.join("=")] as const;
    }),
  );
}

/** Signs in through the form and returns the session cookie pair; fails the test otherwise. */
export async function signInPair(baseUrl: string, email: string, password: string): Promise<string> {
  const res = await postLogin(baseUrl, { email, password });
  const pair = sessionPair(res);
  if (res.status !== 302 || !pair) throw new Error(`sign-in of ${email} failed: HTTP ${res.status}\n${pageText(res.body).slice(0, 500)}`);
  return pair;
}

/**
 * The outer HTML of the element whose opening tag starts at `start`, up to its matching closing
 * tag (same-name elements nested inside are counted).
 */
function elementAt(html: string, start: number): string {
  const name = /^<([a-zA-Z][\w-]*)/.exec(html.slice(start))![1];
  const tags = new RegExp(`<(/?)${name}\\b[^>]*>`, "g");
  tags.lastIndex = start;
  let depth = 0;
  for (let m = tags.exec(html); m; m = tags.exec(html)) {
    depth += m[1] ? -1 : m[0].endsWith("/>") ? 0 : 1;
    if (depth === 0) return html.slice(start, m.index + m[0].length);
  }
  return html.slice(start);
}

/** The messages an element holds: its list items, or else its text. */
function messagesIn(element: string): string[] {
  const items = [...element.matchAll(/<li\b[^>]*>([\s\S]*?)<\/li>/g)].map((li) => textOf(li[1]));
  if (items.length > 0) return items;
  const text = textOf(element);
  return text ? [text] : [];
}

const textOf = (html: string) => decodeEntities(html.replace(/<[^>]+>/g, "")).replace(/\s+/g, " ").trim();

/** The messages of the page's alert regions (form and field errors), in order. */
export function alertsIn(html: string): string[] {
  const body = html.replace(/<script[\s\S]*?<\/script>/g, "");
  const messages: string[] = [];
  for (const m of body.matchAll(/<[a-zA-Z][\w-]*\b[^>]*\brole="alert"[^>]*>/g)) messages.push(...messagesIn(elementAt(body, m.index)));
  return messages;
}

/** The opening tag of the <input> with this name, as rendered. */
export function inputTag(html: string, name: string): string | null {
  return new RegExp(`<input\\b[^>]*\\bname="${name}"[^>]*>`).exec(html)?.[0] ?? null;
}

export function attribute(tag: string, name: string): string | null {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m ? decodeEntities(m[1]) : null;
}

/** The messages of the elements an input points to with aria-describedby (its errors, and any hint). */
export function fieldErrors(html: string, name: string): string[] {
  const tag = inputTag(html, name);
  if (!tag) throw new Error(`no input named ${name}`);
  const ids = (attribute(tag, "aria-describedby") ?? "").split(/\s+/).filter(Boolean);
  return ids.flatMap((id) => {
    const open = new RegExp(`<[a-zA-Z][\\w-]*\\b[^>]*\\bid="${escapeRegExp(id)}"[^>]*>`).exec(html);
    return open ? messagesIn(elementAt(html, open.index)) : [];
  });
}

/** The anti-forgery token in a page's hidden input name="csrf". */
export function csrfFromHtml(html: string): string {
  const tag = inputTag(html, "csrf");
  const value = tag ? attribute(tag, "value") : null;
  if (!value) throw new Error("the page has no form with an anti-forgery token");
  return value;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function decodeEntities(s: string): string {
  return s
    .replace(/<!-- -->/g, "")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/** A page's visible text, roughly: scripts and tags removed, entities decoded, spaces collapsed. */
export function pageText(html: string): string {
  return decodeEntities(html.replace(/<script[\s\S]*?<\/script>/g, " ").replace(/<[^>]+>/g, " ")).replace(/\s+/g, " ");
}

export const tag = () => randomBytes(4).toString("hex");

export interface Person {
  id: string;
  email: string;
  name: string;
  password: string;
}

/** An account with a real password (hashed as the app does), so it signs in through the form. */
export async function createPerson(sql: Sql, p: { email?: string; name?: string; password?: string; isAdmin?: boolean } = {}): Promise<Person> {
  const t = tag();
  const email = p.email ?? `person-${t}@example.org`;
  const name = p.name ?? `Person ${t}`;
  const password = p.password ?? `pw-${randomBytes(9).toString("base64url")}`;
  const user = await createUser(sql, { email, name, passwordHash: await hashPassword(password), isAdmin: p.isAdmin ?? false });
  return { id: user.id, email, name, password };
}

/** A conference with one person per role asked for; a delegate gets a delegation of their own. */
export async function createMember(
  sql: Sql,
  conferenceId: string,
  role: Role,
  p: { email?: string; name?: string; password?: string; delegation?: { code: string; name: string } } = {},
): Promise<Person & { delegationId: string | null }> {
  const person = await createPerson(sql, p);
  let delegationId: string | null = null;
  if (role === "delegate") {
    const t = tag().toUpperCase();
    const d = p.delegation ?? { code: `D${t}`.slice(0, 8), name: `Delegation ${t}` };
    delegationId = (await createDelegation(sql, { conferenceId, code: d.code, name: d.name, kind: "state" })).id;
  }
  await setMembership(sql, { conferenceId, userId: person.id, role, delegationId });
  return { ...person, delegationId };
}

export async function createConferenceRow(sql: Sql, title = `Conference ${tag()}`): Promise<ConferenceRow> {
  return createConference(sql, { slug: `c-${tag()}`, title, subtitle: "", venue: "Geneva" });
}

export interface Exited {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real entry point (`node --import tsx server/main.ts`) with exactly this environment
 * (plus PATH, HOME and TMPDIR) and waits for it to exit: for start-ups that must fail.
 */
export function runServerToExit(env: Record<string, string>, timeoutMs = 30_000): Promise<Exited> {
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    cwd: repoRoot,
    // Remix's types make NODE_ENV a required key of ProcessEnv; these starts may leave it out.
    env: { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: process.env.TMPDIR, ...env } as unknown as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  onCleanup(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`server/main.ts did not exit within ${timeoutMs} ms; output:\n${stdout}${stderr}`));
    }, timeoutMs);
    child.once("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
