import { randomBytes } from "node:crypto";
import WebSocket from "ws";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { spawnServer, startTestServer, type SpawnedServer } from "../support/server";
import { createPerson, createStatement } from "../support/factories";
import { postLogin, request, signIn } from "../support/http";
import { connectSyncedClient, waitFor } from "../support/clients";
import { openEventStream } from "../support/event-stream";
import { typeInClause } from "../support/statement";
import { logLines, type LogLine } from "../support/log-lines";
import { createScreenToken } from "../../server/screen/screen";
import { issueInvitation } from "../../server/people/invitations";

/**
 * The server's log, from the real entry point (build/server.js) as production runs it: JSON lines
 * on stdout, each request's lines under the id its response carries, one access line per request
 * with its route and status, and none of what passes through it in confidence (the session
 * cookie, a password, a screen's or an invitation's token, the statement's text).
 */

/** The access lines (msg "request") of a request id, once it has been written. */
async function accessLine(server: SpawnedServer, reqId: string): Promise<LogLine> {
  let line: LogLine | undefined;
  await waitFor(() => (line = logLines(server.output()).find((l) => l.msg === "request" && l.reqId === reqId)) !== undefined, {
    what: `the access line of ${reqId}`,
  });
  return line!;
}

/** The X-Request-Id a WebSocket handshake is answered with, and the socket. */
function openSocket(url: string, headers: Record<string, string>): Promise<{ ws: WebSocket; requestId: string | undefined }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once("upgrade", (res) => resolve({ ws, requestId: res.headers["x-request-id"] as string | undefined }));
    ws.once("unexpected-response", (_req, res) => reject(new Error(`upgrade refused with ${res.statusCode}`)));
    ws.once("error", reject);
  });
}

describe("the log", () => {
  let db: TestDatabase;
  let server: SpawnedServer;

  beforeAll(async () => {
    db = await createTestDatabase();
    server = await spawnServer({ databaseUrl: db.url });
  });

  it("is JSON lines, each request's under the id its response carries, with an access line naming its route and status", async () => {
    const lines = logLines(server.output());
    expect(lines.find((l) => l.msg.startsWith("Concord listening on"))).toMatchObject({ level: "info" });
    for (const l of lines) expect(Number.isNaN(Date.parse(l.time)), l.time).toBe(false);

    const res = await request(`${server.url}/login?next=%2Fsomewhere`);
    expect(res.status).toBe(200);
    const id = res.headers["x-request-id"] as string;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const line = await accessLine(server, id);
    expect(line).toMatchObject({ level: "info", method: "GET", route: "/login", path: "/login", status: 200 });
    expect(typeof line.ms).toBe("number");

    // Without TRUST_PROXY the client's own id is not taken: anyone could forge the log's.
    const forged = await request(`${server.url}/login`, { headers: { "X-Request-Id": "forged-by-the-client" } });
    expect(forged.headers["x-request-id"]).not.toBe("forged-by-the-client");
    expect(logLines(server.output()).some((l) => l.reqId === "forged-by-the-client")).toBe(false);
    // A path no route serves is named "unmatched", so that scans make no new names.
    const missing = await request(`${server.url}/no/such/page-${randomBytes(3).toString("hex")}`);
    expect(missing.status).toBe(404);
    expect(await accessLine(server, missing.headers["x-request-id"] as string)).toMatchObject({ route: "unmatched", status: 404 });
  });

  it("holds no session cookie, password, screen or invitation token, nor the text typed, over a whole session", async () => {
    const { documentId, conferenceId, chairId } = await createStatement(db.sql);
    const password = `pw-${randomBytes(12).toString("hex")}`;
    const person = await createPerson(db.sql, { conferenceId, role: "chair", password });
    const cookie = await signIn(server.url, person.email, password);
    const sessionValue = cookie.slice(cookie.indexOf("=") + 1);
    expect(sessionValue.length).toBeGreaterThan(20);

    // The statement page, and its event stream, with the session.
    const page = await request(`${server.url}/documents/${documentId}`, { headers: { Cookie: cookie } });
    expect(page.status).toBe(200);
    expect(await accessLine(server, page.headers["x-request-id"] as string)).toMatchObject({
      route: "/documents/:documentId",
      path: `/documents/${documentId}`,
      status: 200,
    });
    const stream = await openEventStream(server.url, documentId, cookie);

    // Typing in the statement over the stock y-websocket client, through to the database.
    const typed = `Zanzibar quietly agreed ${randomBytes(6).toString("hex")}`;
    const client = await connectSyncedClient(server.wsUrl, documentId, { cookie });
    typeInClause(client.doc, 0, typed);
    await waitFor(() => client.isSaved(), { what: "the edit to be saved" });
    const [saved] = await db.sql<{ n: number }[]>`select count(*)::int as n from document_updates where document_id = ${documentId}`;
    expect(saved.n).toBeGreaterThan(0);

    // A WebSocket upgrade has its request id too, in its handshake and on its access line.
    const socket = await openSocket(`${server.wsUrl}/${documentId}`, { cookie });
    expect(socket.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await accessLine(server, socket.requestId!)).toMatchObject({
      method: "GET",
      route: "/collab/:documentId",
      path: `/collab/${documentId}`,
      status: 101,
    });
    socket.ws.terminate();

    // A plenary screen opened with its token: the page, its stream and its connection.
    const screen = await createScreenToken(db.sql, chairId, { documentId, label: "Hall" });
    const screenPage = await request(`${server.url}/documents/${documentId}/screen?token=${screen.token}`);
    expect(screenPage.status).toBe(200);
    expect(await accessLine(server, screenPage.headers["x-request-id"] as string)).toMatchObject({
      route: "/documents/:documentId/screen",
      path: `/documents/${documentId}/screen`,
    });
    const screenStream = await openEventStream(server.url, documentId, "", `?screen=${screen.token}`);
    const screenClient = await connectSyncedClient(server.wsUrl, `${documentId}?screen=${screen.token}`);

    // An invitation link: its token is the path's last segment.
    const invitation = await issueInvitation(db.sql, {
      conferenceId,
      email: `invitee-${randomBytes(3).toString("hex")}@example.org`,
      role: "observer",
      delegationId: null,
      language: null,
      createdBy: person.id,
      origin: server.url,
    });
    const invitationToken = invitation.link.slice(invitation.link.lastIndexOf("/") + 1);
    const invitationPage = await request(invitation.link);
    expect(invitationPage.status).toBe(200);
    expect(await accessLine(server, invitationPage.headers["x-request-id"] as string)).toMatchObject({
      route: "/invitations/:token",
      path: "/invitations/:token",
      status: 200,
    });

    // A wrong password, also through the form.
    const wrong = `wrong-${randomBytes(12).toString("hex")}`;
    expect((await postLogin(server.url, { email: person.email, password: wrong })).status).toBe(400);

    stream.close();
    screenStream.close();
    client.destroy();
    screenClient.destroy();
    // An event stream's access line comes when it closes.
    await waitFor(
      () =>
        logLines(server.output()).filter((l) => l.route === "/documents/:documentId/events" && l.path === `/documents/${documentId}/events`)
          .length === 2,
      { what: "the access lines of both event streams" },
    );
    // Stopping writes out whatever the log still holds.
    expect(await server.kill("SIGTERM")).toEqual({ code: 0, signal: null });
    const output = server.output();
    for (const secret of [sessionValue, password, wrong, screen.token, invitationToken, typed, typed.slice(0, 16)]) {
      expect(output, `the log holds ${secret}`).not.toContain(secret);
    }
  });
});

describe("the request id", () => {
  it("is taken from a trusted proxy (TRUST_PROXY) when it looks like one, and made otherwise", async () => {
    const db = await createTestDatabase();
    const server = await startTestServer({ databaseUrl: db.url, env: { TRUST_PROXY: "true" } });
    const given = (id: string) => request(`${server.url}/healthz`, { headers: { "X-Request-Id": id } });
    expect((await given("7f3a9c0e1b2d4e5f8a6b7c8d9e0f1a2b")).headers["x-request-id"]).toBe("7f3a9c0e1b2d4e5f8a6b7c8d9e0f1a2b");
    for (const odd of ["two words", "x".repeat(129), "<script>"]) {
      const answered = (await given(odd)).headers["x-request-id"];
      expect(answered).not.toBe(odd);
      expect(answered).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});
