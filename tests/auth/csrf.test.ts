import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { startTestServer, type TestServer } from "../support/server";
import { listDocuments } from "../../server/queries/documents";
import { createConference, createPerson, type TestPerson, uniqueTag } from "../support/factories";
import { csrfFromHtml, request, signIn } from "../support/http";

/**
 * Forms of signed-in people carry an anti-forgery token, and the server refuses writes a browser
 * says come from another site. The protected action here: the secretariat creating a document.
 */

let db: TestDatabase;
let server: TestServer;
let conferenceId: string;
let secretariat: TestPerson;
let cookie: string;
let csrf: string;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer({ databaseUrl: db.url });
  conferenceId = (await createConference(db.sql)).id;
  secretariat = await createPerson(db.sql, { conferenceId, role: "secretariat" });
  cookie = await signIn(server.url, secretariat.email, secretariat.password);
  const page = await request(`${server.url}/conferences/${conferenceId}`, { headers: { Cookie: cookie } });
  expect(page.status).toBe(200);
  csrf = csrfFromHtml(page.body);
});

const path = () => `/conferences/${conferenceId}`;
const titles = async () => (await listDocuments(db.sql, conferenceId)).map((d) => d.title);

/** Posts the new-document form as the secretariat; returns the answer and whether the document exists. */
async function createDocument(fields: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await request(`${server.url}${path()}`, { headers: { Cookie: cookie, ...headers }, form: fields });
  return { res, created: (await titles()).includes(fields.title) };
}

describe("the anti-forgery token", () => {
  it("is refused when missing: 403, nothing created", async () => {
    const title = `No token ${uniqueTag()}`;
    const { res, created } = await createDocument({ title });
    expect(res.status).toBe(403);
    expect(res.body).toContain("The form has expired. Reload the page and try again.");
    expect(created).toBe(false);
  });

  it("is refused when wrong or empty", async () => {
    for (const token of ["", "x", csrf.slice(0, -1), `${csrf}x`, csrf.slice(0, -2) + (csrf.endsWith("AA") ? "BB" : "AA")]) {
      const title = `Wrong token ${uniqueTag()}`;
      const { res, created } = await createDocument({ csrf: token, title });
      expect(res.status, JSON.stringify(token)).toBe(403);
      expect(created).toBe(false);
    }
  });

  it("is refused when it belongs to another session, even of the same person", async () => {
    const otherCookie = await signIn(server.url, secretariat.email, secretariat.password);
    const otherPage = await request(`${server.url}${path()}`, { headers: { Cookie: otherCookie } });
    const otherToken = csrfFromHtml(otherPage.body);
    expect(otherToken).not.toBe(csrf);
    const title = `Other session ${uniqueTag()}`;
    const { res, created } = await createDocument({ csrf: otherToken, title });
    expect(res.status).toBe(403);
    expect(created).toBe(false);
  });
});

describe("a write a browser says comes from another site is refused, even with the right token", () => {
  const crossSite: [string, Record<string, string>][] = [
    ["Origin: http://evil.example", { Origin: "http://evil.example" }],
    ["Origin of another port of this host", { Origin: "http://127.0.0.1:1" }],
    ["Origin: null (a sandboxed or privacy-sensitive context)", { Origin: "null" }],
    ["Sec-Fetch-Site: cross-site", { "Sec-Fetch-Site": "cross-site" }],
    ["Sec-Fetch-Site: same-site (a sibling subdomain)", { "Sec-Fetch-Site": "same-site" }],
    ["Sec-Fetch-Site: cross-site with this site's Origin", { "Sec-Fetch-Site": "cross-site", Origin: "" }],
  ];
  for (const [name, headers] of crossSite) {
    it(name, async () => {
      const h = { ...headers };
      if (h.Origin === "") h.Origin = server.url;
      const title = `Cross-site ${uniqueTag()}`;
      const { res, created } = await createDocument({ csrf, title }, h);
      expect(res.status).toBe(403);
      expect(created).toBe(false);
    });
  }
});

describe("the same form from this site", () => {
  it("with the page's token and no Origin creates the document", async () => {
    const title = `Zero draft ${uniqueTag()}`;
    const { res, created } = await createDocument({ csrf, title });
    expect(res.status).toBe(302);
    const document = (await listDocuments(db.sql, conferenceId)).find((d) => d.title === title);
    expect(created).toBe(true);
    expect(res.location).toBe(`/documents/${document!.id}`);
  });

  it("with the page's token, this site's Origin and Sec-Fetch-Site: same-origin, as a browser sends it", async () => {
    const title = `Revised draft ${uniqueTag()}`;
    const { res, created } = await createDocument({ csrf, title }, { Origin: server.url, "Sec-Fetch-Site": "same-origin" });
    expect(res.status).toBe(302);
    expect(created).toBe(true);
  });
});
