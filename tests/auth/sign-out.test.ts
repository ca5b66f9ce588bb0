import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { startTestServer, type TestServer } from "../support/server";
import { listDocuments } from "../../server/queries/documents";
import { createPerson, createStatement, type TestPerson } from "../support/factories";
import { cookieAttributes, csrfFromHtml, request, sessionSetCookie, signIn } from "../support/http";

// That sign-out also closes the session's open collaboration sockets is shown in tests/collab/access.test.ts.

let db: TestDatabase;
let server: TestServer;
let conferenceId: string;
let documentId: string;
let secretariat: TestPerson;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer({ databaseUrl: db.url });
  ({ conferenceId, documentId } = await createStatement(db.sql));
  secretariat = await createPerson(db.sql, { conferenceId, role: "secretariat" });
});

const get = (path: string, cookie: string) => request(`${server.url}${path}`, { headers: { Cookie: cookie } });
const signOut = (cookie?: string) => request(`${server.url}/logout`, { method: "POST", headers: cookie ? { Cookie: cookie } : {} });
const sessionsOf = async (userId: string) =>
  (await db.sql<{ n: number }[]>`select count(*)::int as n from sessions where user_id = ${userId}`)[0].n;

describe("signing out", () => {
  it("clears the cookie, and the old cookie opens nothing any more", async () => {
    const cookie = await signIn(server.url, secretariat.email, secretariat.password);
    const conferencePage = await get(`/conferences/${conferenceId}`, cookie);
    expect(conferencePage.status).toBe(200);
    const csrf = csrfFromHtml(conferencePage.body);
    expect((await get("/", cookie)).status).toBe(200);
    expect((await get(`/documents/${documentId}`, cookie)).status).toBe(200);
    const before = await sessionsOf(secretariat.id);

    const res = await signOut(cookie);
    expect(res.status).toBe(302);
    expect(res.location).toBe("/login");
    const cleared = sessionSetCookie(res);
    expect(cleared, "a Set-Cookie that clears concord_session").toBeDefined();
    expect(cleared!.split(";")[0]).toBe("concord_session=");
    const attrs = cookieAttributes(cleared!);
    expect(attrs.get("max-age") === "0" || new Date(attrs.get("expires") ?? "").getTime() <= Date.now()).toBe(true);
    expect(attrs.get("path")).toBe("/");
    expect(await sessionsOf(secretariat.id)).toBe(before - 1);

    // A copy of the old cookie, replayed, is sent to sign in everywhere.
    for (const path of ["/", `/conferences/${conferenceId}`, `/documents/${documentId}`]) {
      const page = await get(path, cookie);
      expect(page.status, path).toBe(302);
      expect(page.location, path).toBe(`/login?${new URLSearchParams({ redirectTo: path })}`);
    }
    // Its forms, with the token it had, change nothing.
    const documents = (await listDocuments(db.sql, conferenceId)).length;
    const post = await request(`${server.url}/conferences/${conferenceId}`, {
      headers: { Cookie: cookie },
      form: { csrf, title: "After sign-out" },
    });
    expect(post.status).toBe(302);
    expect(post.location).toMatch(/^\/login\?/);
    expect((await listDocuments(db.sql, conferenceId)).length).toBe(documents);
    // And the sign-in page treats it as signed out.
    expect((await get("/login", cookie)).status).toBe(200);
  });

  it("ends only that session: the same person signed in elsewhere stays signed in", async () => {
    const laptop = await signIn(server.url, secretariat.email, secretariat.password);
    const phone = await signIn(server.url, secretariat.email, secretariat.password);
    expect((await signOut(laptop)).status).toBe(302);
    expect((await get("/", laptop)).status).toBe(302);
    expect((await get("/", phone)).status).toBe(200);
    expect((await get(`/documents/${documentId}`, phone)).status).toBe(200);
  });

  it("without a session just leads to the sign-in page", async () => {
    const res = await signOut();
    expect(res.status).toBe(302);
    expect(res.location).toBe("/login");
  });

  it("is a POST: opening /logout signs nobody out", async () => {
    const cookie = await signIn(server.url, secretariat.email, secretariat.password);
    const res = await get("/logout", cookie);
    expect(res.status).toBe(302);
    expect(sessionSetCookie(res)).toBeUndefined();
    expect((await get("/", cookie)).status).toBe(200);
  });
});
