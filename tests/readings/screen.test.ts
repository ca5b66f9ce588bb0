import { createHash } from "node:crypto";
import * as Y from "yjs";
import * as syncProtocol from "y-protocols/sync";
import { describe, expect, it, type FileFixtures } from "../support/fixtures";
import { waitFor } from "../support/wait";
import { openEventStream } from "../support/event-stream";
import { connectSyncedClient, roundTrip } from "../support/clients";
import { encodeMessage, openRawSocket, upgradeStatus } from "../support/raw-socket";
import { statementFragment, statementText, storedDoc, typeInClause } from "../support/statement";
import { createProposal, createSignedInPerson, createStatement, type SignedInPerson } from "../support/factories";
import { csrfTokenFor, getPage, loaderData, pageText } from "../support/http";
import { entriesOf, lastSeq } from "../support/audit";
import { currentStatement } from "../../server/negotiation/numbering";
import { messageSync } from "../../app/statement/protocol";
import type { ScreenData } from "../../app/statement/screen";
import { changeConfidentiality } from "../../server/auth/confidentiality";

/**
 * The plenary screen through the real server: a projection token, made and revoked by the chair
 * or the secretariat, opens the screen's page, event stream and collaboration connection with no
 * session, read-only, showing no more than an observer sees; nothing else gets in.
 */
let doc: Awaited<ReturnType<typeof createStatement>>;
let secretariat: SignedInPerson;
let delegate: SignedInPerson;
let observer: SignedInPerson;
let clauseIds: string[];

it.beforeAll(async ({ db }) => {
  doc = await createStatement(db.sql);
  secretariat = await createSignedInPerson(db.sql, { conferenceId: doc.conferenceId, role: "secretariat" });
  delegate = await createSignedInPerson(db.sql, { conferenceId: doc.conferenceId, role: "delegate", delegation: { code: "NOR" } });
  observer = await createSignedInPerson(db.sql, { conferenceId: doc.conferenceId, role: "observer" });
  clauseIds = (await currentStatement(db.sql, doc.documentId)).clauses.map((c) => c.id!);
});

const screensPath = () => `/documents/${doc.documentId}/screens`;
const screenRoute = "routes/documents.$documentId_.screen";

async function postScreens({ server }: Pick<FileFixtures, "server">, cookie: string, fields: Record<string, string>) {
  const csrf = await csrfTokenFor(server.url, cookie, `/documents/${doc.documentId}`);
  const res = await fetch(`${server.url}${screensPath()}`, {
    method: "POST",
    headers: { cookie },
    body: new URLSearchParams({ csrf, ...fields }),
  });
  return { status: res.status, html: await res.text() };
}

/** Makes a screen link as this person, and returns its token, read from the link the page shows once. */
async function makeToken(fixtures: Pick<FileFixtures, "server">, cookie: string, label: string): Promise<string> {
  const { status, html } = await postScreens(fixtures, cookie, { intent: "create", label });
  expect(status).toBe(200);
  const link = /value="(http[^"]+\/documents\/[^"/]+\/screen\?token=([A-Za-z0-9_-]+))"/.exec(html);
  expect(link?.[1]).toContain(`/documents/${doc.documentId}/screen?token=`);
  return link![2];
}

const screenPath = (token: string) => `/documents/${doc.documentId}/screen?token=${token}`;
const screenData = (server: { url: string }, token: string) =>
  loaderData<{ screen: ScreenData }>(server, screenPath(token), screenRoute, "");
/** The stock y-websocket client, connecting as a screen does: the token in the query, no cookie. */
const screenClient = (server: { wsUrl: string }, token: string) => connectSyncedClient(server.wsUrl, `${doc.documentId}?screen=${token}`);

describe("projection tokens", () => {
  it("are made by the chair and the secretariat only, stored hashed and audited", async ({ db, server }) => {
    const seq = await lastSeq(db.sql, doc.conferenceId);
    for (const person of [delegate, observer]) {
      expect((await getPage(server.url, screensPath(), person.cookie)).status).toBe(403);
      expect((await postScreens({ server }, person.cookie, { intent: "create", label: "Hall" })).status).toBe(403);
    }
    expect(await db.sql`select id from screen_tokens where document_id = ${doc.documentId}`).toHaveLength(0);
    const token = await makeToken({ server }, doc.cookie, "Plenary hall");
    await makeToken({ server }, secretariat.cookie, "Overflow room");
    const rows = await db.sql<{ tokenHash: string; label: string }[]>`
      select token_hash as "tokenHash", label from screen_tokens where document_id = ${doc.documentId} order by created_at`;
    expect(rows.map((r) => r.label)).toEqual(["Plenary hall", "Overflow room"]);
    expect(rows[0].tokenHash).toBe(createHash("sha256").update(token).digest("hex"));
    expect(JSON.stringify(rows)).not.toContain(token);
    expect((await entriesOf(db.sql, doc.conferenceId, "screen.token_created", seq)).map((e) => e.subject.label)).toEqual([
      "Plenary hall",
      "Overflow room",
    ]);
    // The page lists them without their links, which were shown once.
    const page = await getPage(server.url, screensPath(), doc.cookie);
    expect(pageText(page.html)).toContain("Revoke Plenary hall");
    expect(page.html).not.toContain(token);
  });

  it("open the screen without a session; a wrong, missing or other statement's token gets 404", async ({ db, server }) => {
    const token = await makeToken({ server }, doc.cookie, "Podium");
    const page = await getPage(server.url, screenPath(token), null);
    expect(page.status).toBe(200);
    expect(pageText(page.html)).toContain("Test statement");
    const other = await createStatement(db.sql);
    for (const path of [
      screenPath(`${token}x`),
      `/documents/${doc.documentId}/screen`,
      `/documents/${other.documentId}/screen?token=${token}`,
    ]) {
      expect((await getPage(server.url, path, null)).status).toBe(404);
    }
    expect(await upgradeStatus(`${server.wsUrl}/${doc.documentId}?screen=${token}x`)).toBe(404);
    expect(await upgradeStatus(`${server.wsUrl}/${other.documentId}?screen=${token}`)).toBe(404);
    const stream = await fetch(`${server.url}/documents/${doc.documentId}/events?screen=${token}x`);
    expect(stream.status).toBe(404);
    await stream.body?.cancel();
  });

  it("read the live text over the collaboration server and can write nothing, through the stock client or raw", async ({ db, server }) => {
    const token = await makeToken({ server }, doc.cookie, "Read-only");
    const chair = await connectSyncedClient(server.wsUrl, doc.documentId, { cookie: doc.cookie });
    const screen = await screenClient(server, token);
    expect(screen.readOnly).toBe(true);
    expect(statementText(screen.doc)).toBe(statementText(chair.doc));
    // Live: the chair types, the screen has it.
    typeInClause(chair.doc, 1, " [typed live]");
    await waitFor(() => statementText(screen.doc).includes("[typed live]"), { what: "the chair's typing on the screen" });
    const before = statementText(chair.doc);

    const fragment = statementFragment(screen.doc);
    fragment.delete(0, fragment.length);
    const raw = openRawSocket(server.wsUrl, `${doc.documentId}?screen=${token}`);
    await raw.opened;
    const deletion = Y.encodeStateAsUpdate(screen.doc);
    raw.ws.send(encodeMessage(messageSync, syncProtocol.messageYjsUpdate, deletion));
    await Promise.all([roundTrip(chair), roundTrip(screen)]);
    expect(statementText(chair.doc)).toBe(before);
    expect(statementText(server.concord.collab.rooms.get(doc.documentId)!.doc)).toBe(before);
    expect(statementText(await storedDoc(db.sql, doc.documentId))).toBe(before);
    chair.destroy();
    screen.destroy();
  });

  it("show what an observer sees: proposals only where observers see them, never drafts, sponsors when the chair shows them", async ({
    db,
    server,
  }) => {
    const token = await makeToken({ server }, doc.cookie, "Alternatives");
    const submitted = await createProposal(db.sql, {
      documentId: doc.documentId,
      clauseId: clauseIds[2],
      createdBy: delegate.id,
      delegationId: delegate.delegationId,
      text: "A submitted alternative",
    });
    await createProposal(db.sql, {
      documentId: doc.documentId,
      clauseId: clauseIds[2],
      createdBy: delegate.id,
      delegationId: delegate.delegationId,
      status: "draft",
      text: "A draft nobody else has seen",
    });
    // Standard confidentiality: observers see the base text only, and so does the screen.
    expect((await screenData(server, token)).screen.alternatives).toEqual([]);
    await db.sql`update conferences set confidentiality = 'open' where id = ${doc.conferenceId}`;
    const open = (await screenData(server, token)).screen;
    expect(open.alternatives.map((a) => [a.id, a.text, a.sponsors])).toEqual([[submitted.id, "A submitted alternative", null]]);
    expect(JSON.stringify(open)).not.toContain("NOR");
    expect(JSON.stringify(open)).not.toContain("A draft nobody else has seen");

    const seq = await lastSeq(db.sql, doc.conferenceId);
    expect((await postScreens({ server }, secretariat.cookie, { intent: "attributions", shown: "1" })).status).toBe(403);
    expect((await postScreens({ server }, doc.cookie, { intent: "attributions", shown: "1" })).status).toBe(200);
    expect((await screenData(server, token)).screen.alternatives.map((a) => a.sponsors)).toEqual([["NOR"]]);
    expect((await entriesOf(db.sql, doc.conferenceId, "screen.attributions_changed", seq)).map((e) => e.subject.shown)).toEqual([true]);
    await postScreens({ server }, doc.cookie, { intent: "attributions", shown: "0" });

    // Closed session: an observer sees nothing, and the screen neither; an open one goes blank at once.
    const raw = openRawSocket(server.wsUrl, `${doc.documentId}?screen=${token}`);
    await raw.opened;
    const stream = await openEventStream(server.url, doc.documentId, "", `?screen=${token}`);
    await changeConfidentiality(db.sql, { conferenceId: doc.conferenceId, actorId: secretariat.id, mode: "closed" });
    expect(await raw.closed).toEqual({ code: 4401, reason: "signed out" });
    await waitFor(() => stream.isEnded(), { what: "the screen's stream ended" });
    expect((await getPage(server.url, screenPath(token), null)).status).toBe(403);
    expect(await upgradeStatus(`${server.wsUrl}/${doc.documentId}?screen=${token}`)).toBe(403);
    await db.sql`update conferences set confidentiality = 'standard' where id = ${doc.conferenceId}`;
    await db.sql`delete from proposal_revisions where proposal_id in (select id from proposals where document_id = ${doc.documentId})`;
    await db.sql`delete from proposals where document_id = ${doc.documentId}`;
  });

  it("follow the reading on their event stream, and are closed everywhere at once when revoked", async ({ db, server }) => {
    const token = await makeToken({ server }, doc.cookie, "To revoke");
    const stream = await openEventStream(server.url, doc.documentId, "", `?screen=${token}`);
    const screen = await screenClient(server, token);
    const raw = openRawSocket(server.wsUrl, `${doc.documentId}?screen=${token}`);
    await raw.opened;
    const csrf = await csrfTokenFor(server.url, doc.cookie, `/documents/${doc.documentId}`);
    const start = await fetch(`${server.url}/documents/${doc.documentId}/reading`, {
      method: "POST",
      headers: { cookie: doc.cookie },
      body: new URLSearchParams({ csrf, intent: "start", number: "1" }),
    });
    expect(start.status).toBe(200);
    await waitFor(
      () =>
        stream.events.some(
          (e) => e.topic === "readings" && (e as unknown as { reading: { current: string } }).reading?.current === clauseIds[0],
        ),
      { what: "the pointer on the screen's stream" },
    );
    expect((await screenData(server, token)).screen.reading?.current).toBe(clauseIds[0]);

    const seq = await lastSeq(db.sql, doc.conferenceId);
    const [{ id }] = await db.sql<{ id: string }[]>`select id from screen_tokens where label = 'To revoke'`;
    expect((await postScreens({ server }, delegate.cookie, { intent: "revoke", tokenId: id })).status).toBe(403);
    expect((await getPage(server.url, screenPath(token), null)).status).toBe(200);
    const revoked = await postScreens({ server }, doc.cookie, { intent: "revoke", tokenId: id });
    expect(revoked.status).toBe(200);
    await waitFor(() => stream.isEnded(), { what: "the screen's stream ended" });
    expect(await raw.closed).toEqual({ code: 4401, reason: "signed out" });
    await waitFor(() => screen.provider.wsconnected === false, { what: "the stock client's connection closed" });
    expect((await getPage(server.url, screenPath(token), null)).status).toBe(404);
    expect(await upgradeStatus(`${server.wsUrl}/${doc.documentId}?screen=${token}`)).toBe(404);
    expect((await entriesOf(db.sql, doc.conferenceId, "screen.token_revoked", seq)).map((e) => e.subject.label)).toEqual(["To revoke"]);
    // Revoking it again finds no live link.
    expect((await postScreens({ server }, doc.cookie, { intent: "revoke", tokenId: id })).status).toBe(404);
    screen.destroy();
    stream.close();
  });
});
