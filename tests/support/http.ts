import { decode } from "turbo-stream";
import http from "node:http";
import { testPassword, type TestPerson } from "./factories";

/**
 * Talking to a test server over HTTP as a browser without JavaScript would, and reading what it
 * answers. Two ways to send: `request` (node:http, every header exactly as given, no redirect
 * followed, a chosen client address: for the sign-in, session and anti-forgery tests) and `fetch`
 * with a session (`getPage`, `signIn`, `clientFor`: signing in through the form, then getting
 * pages and posting forms with the session's anti-forgery token). Then reading pages: their text,
 * alerts, field errors, inputs and tokens.
 */

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
          ...(body !== undefined
            ? { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": String(Buffer.byteLength(body)) }
            : {}),
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
export function postLogin(
  baseUrl: string,
  fields: Record<string, string>,
  options: Omit<RawRequest, "form" | "method"> = {},
): Promise<RawResponse> {
  return request(`${baseUrl}/login`, { ...options, form: fields });
}

/** The session cookie line ("concord_session=…; Path=/; …") of an answer (from `request` or `fetch`), if it sets one. */
export function sessionSetCookie(res: RawResponse | Response): string | undefined {
  const lines = res instanceof Response ? res.headers.getSetCookie() : res.setCookies;
  return lines.find((c) => c.startsWith("concord_session="));
}

/** The "concord_session=value" pair of an answer that signs in; null when it does not. */
export function sessionPair(res: RawResponse | Response): string | null {
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

const textOf = (html: string) =>
  decodeEntities(html.replace(/<[^>]+>/g, ""))
    .replace(/\s+/g, " ")
    .trim();

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

/** A server-rendered page as plain text: scripts, tags and React's text separators removed, entities decoded, spaces collapsed. */
export function pageText(html: string): string {
  return decodeEntities(
    html
      .replace(/<script[\s\S]*?<\/script>/g, " ")
      .replace(/<!-- -->/g, "")
      .replace(/<[^>]+>/g, " "),
  ).replace(/\s+/g, " ");
}

/** Signs in through the form and returns the session cookie pair ("concord_session=…"); fails the test otherwise. */
export async function signIn(baseUrl: string, email: string, password: string = testPassword): Promise<string> {
  const res = await postLogin(baseUrl, { email, password });
  const pair = sessionPair(res);
  if (res.status !== 302 || !pair) throw new Error(`sign-in of ${email} failed: HTTP ${res.status}\n${pageText(res.body).slice(0, 500)}`);
  return pair;
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
export async function clientFor(
  baseUrl: string,
  person: Pick<TestPerson, "email" | "password">,
  { csrfFrom }: { csrfFrom?: string } = {},
): Promise<FormClient> {
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

/** A page as the server renders it for a session, or its status when it refuses. */
export async function getPage(baseUrl: string, path: string, cookie: string | null): Promise<{ status: number; html: string }> {
  const res = await fetch(`${baseUrl}${path}`, { headers: cookie ? { cookie } : {}, redirect: "manual" });
  return { status: res.status, html: await res.text() };
}

/** A route's loader data, as Remix serves it to the browser's navigations and reloads (single fetch: a turbo-stream). */
export async function loaderData<T>(server: { url: string }, path: string, route: string, cookie: string): Promise<T> {
  // A path with a query keeps it: the data URL is the path's with ".data", its query and the route.
  const [pathname, query] = path.split("?");
  const search = new URLSearchParams(query);
  search.set("_routes", route);
  const res = await fetch(`${server.url}${pathname}.data?${search}`, { headers: { cookie } });
  if (!res.ok || !res.body) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  const decoded = await decode(res.body.pipeThrough(new TextDecoderStream()).pipeThrough(new TextEncoderStream()));
  await decoded.done;
  return (decoded.value as Record<string, { data: T }>)[route].data;
}
