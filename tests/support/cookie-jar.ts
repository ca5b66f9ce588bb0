/**
 * A browser's cookie handling for HTTP-level tests that cross sites (Concord and an OpenID
 * provider): cookies kept per host (not per port, as browsers do) and path, expired ones dropped,
 * and sent back where they apply. `browse` follows redirects as a browser does, through this jar.
 */
interface StoredCookie {
  name: string;
  value: string;
  host: string;
  path: string;
}

export class CookieJar {
  private cookies: StoredCookie[] = [];

  /** Takes the Set-Cookie lines of an answer from `url`. */
  store(url: string, setCookies: string[]): void {
    const { hostname, pathname } = new URL(url);
    for (const line of setCookies) {
      const [pair, ...attributes] = line.split(";").map((p) => p.trim());
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const attr = new Map(attributes.map((a) => [a.split("=")[0].toLowerCase(), a.slice(a.indexOf("=") + 1)] as const));
      const path = attr.get("path")?.startsWith("/") ? attr.get("path")! : pathname.slice(0, pathname.lastIndexOf("/")) || "/";
      const expired =
        attr.get("max-age") !== undefined
          ? Number(attr.get("max-age")) <= 0
          : attr.has("expires") && Date.parse(attr.get("expires")!) <= Date.now();
      this.cookies = this.cookies.filter((c) => !(c.name === name && c.host === hostname && c.path === path));
      if (!expired) this.cookies.push({ name, value, host: hostname, path });
    }
  }

  /** The Cookie header a browser sends to `url` ("" when none applies). */
  header(url: string): string {
    const { hostname, pathname } = new URL(url);
    const applies = (c: StoredCookie) =>
      c.host === hostname && (pathname === c.path || pathname.startsWith(c.path.endsWith("/") ? c.path : `${c.path}/`));
    return this.cookies
      .filter(applies)
      .map((c) => `${c.name}=${c.value}`)
      .join("; ");
  }

  /** The value of a cookie named `name` sent to `url`, if any. */
  get(url: string, name: string): string | undefined {
    const pair = this.header(url)
      .split("; ")
      .find((p) => p.startsWith(`${name}=`));
    return pair?.slice(name.length + 1);
  }
}

export interface Hop {
  url: string;
  status: number;
  location: string | null;
  /** The Cookie header sent with this request. */
  cookie: string;
  setCookies: string[];
  body: string;
}

/**
 * Requests `url` as a browser navigation and follows redirects (a POST answered by a redirect
 * continues as a GET), until an answer that is not a redirect or `until` says stop at a URL
 * before requesting it. Every hop is returned, the last being where it stopped.
 */
export async function browse(
  jar: CookieJar,
  url: string,
  { form, until }: { form?: Record<string, string>; until?: (url: string) => boolean } = {},
): Promise<Hop[]> {
  const hops: Hop[] = [];
  let next: string | null = url;
  let body: URLSearchParams | undefined = form ? new URLSearchParams(form) : undefined;
  while (next && hops.length < 20) {
    if (until?.(next) && hops.length > 0) break;
    const cookie = jar.header(next);
    const res: Response = await fetch(next, {
      method: body ? "POST" : "GET",
      headers: cookie ? { cookie } : {},
      body,
      redirect: "manual",
    });
    const setCookies = res.headers.getSetCookie();
    jar.store(next, setCookies);
    const location: string | null = res.status >= 300 && res.status < 400 ? res.headers.get("location") : null;
    hops.push({ url: next, status: res.status, location, cookie, setCookies, body: await res.text() });
    next = location ? new URL(location, next).href : null;
    body = undefined;
  }
  return hops;
}
