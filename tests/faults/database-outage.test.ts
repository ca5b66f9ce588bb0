import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import WebSocket from "ws";
import * as decoding from "lib0/decoding";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "../../server/db/embedded";
import { createSql, type Sql } from "../../server/db/sql";
import { migrate } from "../../server/db/migrate";
import { concordSaving, messageConcord, messageSync } from "../../app/statement/protocol";
import { connectStatement, type CollabStatus } from "../../app/editor/collab-client";
import { ConnectionBadge } from "../../app/editor/ConnectionBadge";
import { onCleanup } from "../support/cleanup";
import { startTestServer, type TestServer } from "../support/server";
import { connectSyncedClient, startTyping, waitFor, waitForConvergence, type TestClient } from "../support/clients";
import { upgradeStatus } from "../support/raw-socket";
import { clauseTexts, sameContent, statementText, storedDoc } from "../support/statement";
import { createSignedInPerson, createStatement } from "../support/factories";

/**
 * PostgreSQL goes away under a server whose clients are typing, and comes back at the same
 * address. The cluster is this file's own (embedded, on a fixed port), so stopping it disturbs no
 * other test.
 */

let root: string;
let dataDir: string;
let pg: EmbeddedDatabase;
let sql: Sql;

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "concord-outage-"));
  // As root, the cluster runs as the "postgres" user, which must be able to enter this directory.
  fs.chmodSync(root, 0o755);
  dataDir = path.join(root, "data");
  pg = await startEmbeddedPostgres(dataDir);
  sql = createSql(pg.url, { max: 2 });
  await migrate(sql);
});

afterAll(async () => {
  await sql?.end({ timeout: 5 });
  await pg?.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const wordPattern = /\[w\d+-\d+\]/g;
const wordsIn = (text: string) => text.match(wordPattern) ?? [];

/** The order in which a client received "saving paused" (1), "saving resumed" (0) and document updates. */
function recordMessages(client: TestClient): string[] {
  const log: string[] = [];
  const handlers = client.provider.messageHandlers;
  const concord = handlers[messageConcord];
  handlers[messageConcord] = (encoder, decoder, ...rest) => {
    const d = decoding.clone(decoder);
    if (decoding.readVarUint(d) === concordSaving) log.push(decoding.readVarUint(d) === 1 ? "paused" : "resumed");
    concord(encoder, decoder, ...rest);
  };
  const sync = handlers[messageSync];
  handlers[messageSync] = (encoder, decoder, ...rest) => {
    // Sync step 2 (1) or update (2): document content from the server.
    if (decoding.readVarUint(decoding.clone(decoder)) !== 0) log.push("update");
    sync(encoder, decoder, ...rest);
  };
  return log;
}

/** The browser's own connection code (app/editor/collab-client.ts), run in Node against the server. */
function browserConnection(server: TestServer, documentId: string, cookie: string) {
  vi.stubGlobal("window", {
    location: { protocol: "http:", host: `127.0.0.1:${server.port}` },
    setInterval,
    clearInterval,
    addEventListener() {},
    removeEventListener() {},
  });
  vi.stubGlobal(
    "WebSocket",
    class extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { headers: { cookie } });
      }
    },
  );
  const connection = connectStatement(documentId);
  const seen: CollabStatus[] = [];
  connection.onStatus((s) => seen.push(s));
  onCleanup(() => {
    connection.destroy();
    vi.unstubAllGlobals();
  });
  const badge = () => renderToStaticMarkup(createElement(ConnectionBadge, { status: connection.status() }));
  return { connection, seen, badge };
}

it(
  "while PostgreSQL is down nothing is relayed and everyone is told; once it is back everything is saved once, relayed, and converges",
  { timeout: 180_000 },
  async () => {
    const { documentId, conferenceId, cookie } = await createStatement(sql);
    const cookies = [
      cookie,
      ...(await Promise.all([1, 2, 3].map(() => createSignedInPerson(sql, { conferenceId, role: "chair" }).then((u) => u.cookie)))),
    ];
    let server = await startTestServer({ databaseUrl: pg.url });
    const clients = await Promise.all(cookies.map((c) => connectSyncedClient(server.wsUrl, documentId, { cookie: c })));
    const logs = clients.map(recordMessages);
    const browser = browserConnection(server, documentId, cookies[0]);
    await waitFor(() => browser.connection.status().connection === "connected", { what: "the browser connection" });
    expect(browser.badge()).toContain("All changes saved");
    const clauses = clauseTexts(clients[0].doc).length;

    // Everyone types: client i writes "[w<i>-<n>]" into its own clause; it works normally at first.
    const typists = clients.map((c, i) => startTyping(c.doc, { clause: (i * 3) % clauses, tag: `w${i}-`, everyMs: 50 }));
    const othersWords = (c: TestClient, i: number) => wordsIn(statementText(c.doc)).filter((w) => !w.startsWith(`[w${i}-`));
    await waitFor(() => clients.every((c, i) => othersWords(c, i).length >= 15), { what: "clients to see each other's words" });
    expect(clients.every((c) => !c.savingPaused)).toBe(true);

    await pg.stop();
    // Words typed from now on cannot be in PostgreSQL until it is back.
    const cut = typists.map((t) => t.words.length);
    const typedDuringOutage = (j: number) => typists[j].words.slice(cut[j]);

    await waitFor(() => clients.every((c) => c.savingPaused), { timeoutMs: 10_000, what: "every client to be told that saving is paused" });
    await waitFor(() => browser.connection.status().savingPaused, { what: "the browser connection to show saving paused" });
    expect(browser.badge()).toContain("Saving paused");

    // A new connection gets a clear refusal, and the server runs on.
    expect(await upgradeStatus(`${server.wsUrl}/${documentId}`, { cookie })).toBe(503);

    // They keep typing into the outage.
    await waitFor(() => cut.every((c, j) => typists[j].words.length >= c + 20), { what: "20 more words each during the outage" });
    // No client has any of the others' words typed since the stop: nothing unsaved was relayed.
    for (const [i, c] of clients.entries()) {
      const text = statementText(c.doc);
      for (const j of clients.keys())
        if (j !== i) for (const w of typedDuringOutage(j)) expect(text, `client ${i} has ${w}`).not.toContain(w);
    }

    // PostgreSQL comes back at the same address; the server's pool reconnects by itself.
    pg = await startEmbeddedPostgres(dataDir, () => {}, { port: pg.port });
    await sleep(300);
    const typed = typists.map((t) => t.stop());

    await waitFor(() => clients.every((c) => !c.savingPaused), { timeoutMs: 20_000, what: "every client to be told that saving resumed" });
    await waitForConvergence(clients, 30_000);
    await waitFor(() => !browser.connection.status().savingPaused && !browser.connection.status().unsaved, {
      what: "the badge to leave 'saving paused'",
    });
    expect(browser.badge()).toContain("All changes saved");
    expect(browser.seen.some((s) => s.savingPaused)).toBe(true);

    // Between "paused" and "resumed", no client received any document content.
    for (const [i, log] of logs.entries()) {
      const paused = log.indexOf("paused");
      const resumed = log.indexOf("resumed", paused);
      expect(paused, `client ${i}: ${log.join(" ")}`).toBeGreaterThanOrEqual(0);
      expect(resumed, `client ${i}`).toBeGreaterThan(paused);
      expect(log.slice(paused, resumed)).not.toContain("update");
      expect(log.slice(resumed)).toContain("update");
    }

    // Every word once: none lost, none doubled, in the clients and in PostgreSQL.
    const all = typed.flat().sort();
    for (const c of clients) expect(wordsIn(statementText(c.doc)).sort()).toEqual(all);
    const stored = await storedDoc(sql, documentId);
    expect(wordsIn(statementText(stored)).sort()).toEqual(all);
    expect(sameContent(stored, clients[0].doc)).toBe(true);

    // A new server process on the same database, and a client that was not there, see it all.
    await server.close();
    server = await startTestServer({ databaseUrl: pg.url });
    const fresh = await connectSyncedClient(server.wsUrl, documentId, { cookie });
    expect(wordsIn(statementText(fresh.doc)).sort()).toEqual(all);
    expect(sameContent(fresh.doc, clients[0].doc)).toBe(true);
  },
);
