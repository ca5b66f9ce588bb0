import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { startTestServer, type TestServer } from "../support/server";
import { request } from "../support/http";

/** Security headers on every response, and a CSP nonce that every inline script carries. */

let db: TestDatabase;
let server: TestServer;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer({ databaseUrl: db.url, env: { NODE_ENV: "development" } });
});

/** The directives of a Content-Security-Policy header, by name. */
function directives(header: string | string[] | undefined): Map<string, string[]> {
  expect(typeof header).toBe("string");
  return new Map(
    (header as string)
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name, values]),
  );
}

describe("security headers", () => {
  it("gives a page a policy that runs only its own scripts and those with this response's nonce", async () => {
    const res = await request(`${server.url}/login`);
    expect(res.status).toBe(200);
    const csp = directives(res.headers["content-security-policy"]);
    const nonce = csp
      .get("script-src")!
      .find((v) => v.startsWith("'nonce-"))!
      .slice("'nonce-".length, -1);
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(csp.get("script-src")).toEqual(["'self'", `'nonce-${nonce}'`]);
    expect(csp.get("default-src")).toEqual(["'self'"]);
    expect(csp.get("object-src")).toEqual(["'none'"]);
    expect(csp.get("base-uri")).toEqual(["'self'"]);
    expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
    expect(csp.get("connect-src")).toEqual(["'self'", `ws://127.0.0.1:${server.port}`, `wss://127.0.0.1:${server.port}`]);

    // Every script of the page carries the nonce, and there is at least Remix's own.
    const scripts = [...res.body.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);

    // A fresh nonce for every response.
    const again = directives((await request(`${server.url}/login`)).headers["content-security-policy"]);
    expect(again.get("script-src")).not.toContain(`'nonce-${nonce}'`);
  });

  it("forbids framing and sniffing and keeps the Referer on this site, on pages, files and refusals alike", async () => {
    for (const path of ["/login", "/favicon.svg", "/no-such-page"]) {
      const res = await request(`${server.url}${path}`);
      expect(res.headers["x-frame-options"], path).toBe("DENY");
      expect(res.headers["x-content-type-options"], path).toBe("nosniff");
      expect(res.headers["referrer-policy"], path).toBe("same-origin");
      expect(res.headers["content-security-policy"], path).toContain("frame-ancestors 'none'");
    }
    const crossSite = await request(`${server.url}/login`, {
      method: "POST",
      headers: { Origin: "https://evil.example" },
      form: { email: "a@b.c", password: "x" },
    });
    expect(crossSite.status).toBe(403);
    expect(crossSite.headers["x-frame-options"]).toBe("DENY");
  });

  it("does not name a Host header that is not a plain host in the policy", async () => {
    const res = await request(`${server.url}/login`, { headers: { Host: "evil.example; script-src *" } });
    const csp = directives(res.headers["content-security-policy"]);
    expect(csp.get("connect-src")).toEqual(["'self'"]);
    expect(csp.get("script-src")).toHaveLength(2);
  });

  it("sends HSTS (and upgrades insecure requests) only when served over HTTPS: in production or with COOKIE_SECURE", async () => {
    const plain = await request(`${server.url}/login`);
    expect(plain.headers["strict-transport-security"]).toBeUndefined();
    expect(directives(plain.headers["content-security-policy"]).has("upgrade-insecure-requests")).toBe(false);
    for (const env of [{ NODE_ENV: "production" }, { COOKIE_SECURE: "true" }] as Record<string, string>[]) {
      const secure = await startTestServer({ databaseUrl: db.url, env });
      const res = await request(`${secure.url}/login`);
      expect(res.headers["strict-transport-security"], JSON.stringify(env)).toBe("max-age=31536000; includeSubDomains");
      expect(directives(res.headers["content-security-policy"]).has("upgrade-insecure-requests")).toBe(true);
      await secure.close();
    }
  });
});
