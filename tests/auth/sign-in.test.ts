import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { startTestServer, type TestServer } from "../support/server";
import { createPerson, createStatement, type TestPerson, uniqueTag } from "../support/factories";
import {
  alertsIn,
  attribute,
  cookieAttributes,
  fieldErrors,
  inputTag,
  pageText,
  postLogin,
  type RawResponse,
  request,
  sessionPair,
  sessionSetCookie,
  signIn,
} from "../support/http";

let db: TestDatabase;
let server: TestServer;
let conferenceId: string;
let documentId: string;
let chair: TestPerson;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer({ databaseUrl: db.url });
  ({ conferenceId, documentId } = await createStatement(db.sql));
  await db.sql`update conferences set title = 'Conference on Safe Settlements' where id = ${conferenceId}`;
  chair = await createPerson(db.sql, { conferenceId, role: "chair", name: "Amb. Sign-In Chair" });
});

describe("signing in with the form", () => {
  it("sets an httpOnly, SameSite=Lax session cookie for the whole site, not Secure by default", async () => {
    const res = await postLogin(server.url, { email: chair.email, password: chair.password });
    expect(res.status).toBe(302);
    expect(res.location).toBe("/");
    const line = sessionSetCookie(res);
    expect(line, "a concord_session cookie").toBeDefined();
    const attrs = cookieAttributes(line!);
    expect(attrs.has("httponly")).toBe(true);
    expect(attrs.get("samesite")?.toLowerCase()).toBe("lax");
    expect(attrs.get("path")).toBe("/");
    expect(attrs.has("secure")).toBe(false);
    expect(sessionPair(res)).toMatch(/^concord_session=.{20,}$/);
  });

  it("accepts the e-mail address whatever its case and surrounding spaces", async () => {
    const res = await postLogin(server.url, { email: `  ${chair.email.toUpperCase()} `, password: chair.password });
    expect(res.status).toBe(302);
    expect(sessionPair(res)).not.toBeNull();
  });

  it("the cookie opens the person's conferences and a document of theirs", async () => {
    const cookie = await signIn(server.url, chair.email, chair.password);

    const home = await request(`${server.url}/`, { headers: { Cookie: cookie } });
    expect(home.status).toBe(200);
    const text = pageText(home.body);
    expect(text).toContain("Your conferences");
    expect(text).toContain("Conference on Safe Settlements");
    expect(text).toContain("Your role: Chair");
    expect(text).toContain("Amb. Sign-In Chair");
    expect(home.body).toContain(`href="/conferences/${conferenceId}"`);

    const page = await request(`${server.url}/documents/${documentId}`, { headers: { Cookie: cookie } });
    expect(page.status).toBe(200);
    expect(pageText(page.body)).toContain("Test statement");

    // Without the cookie the same pages send the visitor to sign in.
    const anonymous = await request(`${server.url}/documents/${documentId}`);
    expect(anonymous.status).toBe(302);
    expect(anonymous.location).toBe(`/login?redirectTo=${encodeURIComponent(`/documents/${documentId}`)}`);
  });

  it("marks the cookie Secure when COOKIE_SECURE=true, and in production by default", async () => {
    for (const env of [{ COOKIE_SECURE: "true" }, { NODE_ENV: "production" }] as Record<string, string>[]) {
      const secure = await startTestServer({ databaseUrl: db.url, env });
      const res = await postLogin(secure.url, { email: chair.email, password: chair.password });
      expect(res.status).toBe(302);
      const attrs = cookieAttributes(sessionSetCookie(res)!);
      expect(attrs.has("secure"), JSON.stringify(env)).toBe(true);
      expect(attrs.has("httponly")).toBe(true);
      expect(attrs.get("samesite")?.toLowerCase()).toBe("lax");
      await secure.close();
    }
  });
});

describe("a failed sign-in does not tell whether the e-mail address has an account", () => {
  /** The answer with the e-mail address (echoed back into the form) and the CSP nonce (new for every response) replaced, and without the Date header. */
  const normalized = (res: RawResponse, email: string) => {
    // Each answer has its own date and request id.
    const { date: _date, "x-request-id": _id, ...headers } = res.headers;
    const nonce = /'nonce-([^']+)'/.exec(String(headers["content-security-policy"]))![1];
    const csp = String(headers["content-security-policy"]).split(nonce).join("<NONCE>");
    return {
      status: res.status,
      headers: { ...headers, "content-security-policy": csp },
      body: res.body.split(email).join("<EMAIL>").split(nonce).join("<NONCE>"),
    };
  };

  it("answers a wrong password and an unknown address identically", async () => {
    const t = uniqueTag();
    // Addresses of the same length, so that even the Content-Length cannot differ.
    const known = await createPerson(db.sql, { email: `k${t}@example.org` });
    const unknownEmail = `u${t}@example.org`;

    const wrongPassword = await postLogin(server.url, { email: known.email, password: "not-the-password" });
    const noAccount = await postLogin(server.url, { email: unknownEmail, password: "not-the-password" });

    expect(wrongPassword.status).toBe(400);
    expect(noAccount.status).toBe(400);
    expect(alertsIn(wrongPassword.body)).toEqual(["The e-mail address or password is incorrect."]);
    expect(alertsIn(noAccount.body)).toEqual(["The e-mail address or password is incorrect."]);
    expect(sessionSetCookie(wrongPassword)).toBeUndefined();
    expect(sessionSetCookie(noAccount)).toBeUndefined();
    expect(normalized(noAccount, unknownEmail)).toEqual(normalized(wrongPassword, known.email));
  });

  it("keeps what was typed in the e-mail field, never the password", async () => {
    const res = await postLogin(server.url, { email: chair.email, password: "wrong-Secret-123" });
    expect(res.status).toBe(400);
    expect(attribute(inputTag(res.body, "email")!, "value")).toBe(chair.email);
    expect(res.body).not.toContain("wrong-Secret-123");
  });
});

describe("the form is validated, with each error next to its field", () => {
  const cases: { name: string; fields: Record<string, string>; field: string; message: string }[] = [
    { name: "a missing e-mail address", fields: { password: "whatever" }, field: "email", message: "Enter your e-mail address." },
    {
      name: "an invalid e-mail address",
      fields: { email: "not-an-address", password: "whatever" },
      field: "email",
      message: "Enter a valid e-mail address.",
    },
    {
      name: "an empty e-mail address",
      fields: { email: "", password: "whatever" },
      field: "email",
      message: "Enter a valid e-mail address.",
    },
    { name: "a missing password", fields: { email: "someone@example.org" }, field: "password", message: "Enter your password." },
    {
      name: "an empty password",
      fields: { email: "someone@example.org", password: "" },
      field: "password",
      message: "Enter your password.",
    },
  ];
  for (const c of cases) {
    it(`answers ${c.name} with 400 and the message next to the field`, async () => {
      const res = await postLogin(server.url, c.fields);
      expect(res.status).toBe(400);
      expect(sessionSetCookie(res)).toBeUndefined();
      const input = inputTag(res.body, c.field)!;
      expect(input).not.toBeNull();
      expect(attribute(input, "aria-invalid")).toBe("true");
      expect(fieldErrors(res.body, c.field)).toEqual([c.message]);
      // The other field is not marked.
      const other = c.field === "email" ? "password" : "email";
      expect(attribute(inputTag(res.body, other)!, "aria-invalid")).toBeNull();
    });
  }

  it("shows no field as invalid on the empty form", async () => {
    const res = await request(`${server.url}/login`);
    expect(res.status).toBe(200);
    expect(res.body).not.toContain("aria-invalid");
    expect(alertsIn(res.body)).toEqual([]);
  });
});

describe("after signing in, only paths of this site are followed", () => {
  it("follows a path of this site", async () => {
    const to = `/conferences/${conferenceId}?tab=documents`;
    const res = await postLogin(server.url, { email: chair.email, password: chair.password, redirectTo: to });
    expect(res.status).toBe(302);
    expect(res.location).toBe(to);
  });

  // Browsers drop tabs and line breaks inside a URL, so "/<tab>/evil.example" is "//evil.example" to them.
  const elsewhere = [
    "//evil.example",
    "https://evil.example",
    "https://evil.example/login",
    "/\\evil.example",
    "http:evil.example",
    "javascript:alert(1)",
  ];
  const hidden = [
    "/\t/evil.example/login",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "\t//evil.example",
    "/\t\\evil.example",
    "/.//evil.example",
  ];
  for (const to of [...elsewhere, ...hidden]) {
    it(`ignores redirectTo=${JSON.stringify(to)}`, async () => {
      const res = await postLogin(server.url, { email: chair.email, password: chair.password, redirectTo: to });
      expect(res.status).toBe(302);
      expect(res.location).toBe("/");
      expect(sessionPair(res)).not.toBeNull();

      // A signed-in person who opens the sign-in page with it is not sent there either.
      const again = await request(`${server.url}/login?${new URLSearchParams({ redirectTo: to })}`, {
        headers: { Cookie: sessionPair(res)! },
      });
      expect(again.status).toBe(302);
      expect(again.location).toBe("/");
    });
  }
});
