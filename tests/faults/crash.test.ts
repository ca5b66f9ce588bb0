import { beforeAll, expect, it } from "vitest";
import * as Y from "yjs";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { spawnServer } from "../support/server";
import {
  connectSyncedClient,
  covers,
  describeStateVector,
  startTyping,
  waitFor,
  waitForConvergence,
  type TestClient,
} from "../support/clients";
import { clauseTexts, sameContent, statementText, storedDoc } from "../support/statement";
import { createSignedInPerson, createStatement } from "../support/factories";

/**
 * The crash case of tests/collab/crash-recovery.test.ts at plenary scale: twenty people type, the
 * server process is SIGKILLed, and a new process takes over on the same port. The open clients
 * are not replaced: their providers reconnect to the new process on their own, as browsers would.
 */

const people = 20;
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});

const wordPattern = /\[p\d+-\d+\]/g;
const wordsIn = (text: string) => text.match(wordPattern) ?? [];

it(
  "SIGKILL while 20 clients type: every edit a client had received survives, and the open clients converge with the new process",
  { timeout: 150_000 },
  async () => {
    // Each y-websocket provider adds a process "exit" listener in Node.
    process.setMaxListeners(people + 20);
    const { documentId, conferenceId } = await createStatement(db.sql);
    const cookies = await Promise.all(
      Array.from({ length: people }, () => createSignedInPerson(db.sql, { conferenceId, role: "chair" }).then((u) => u.cookie)),
    );
    const first = await spawnServer({ databaseUrl: db.url });
    const clients: TestClient[] = await Promise.all(cookies.map((cookie) => connectSyncedClient(first.wsUrl, documentId, { cookie })));
    const clauses = clauseTexts(clients[0].doc).length;

    // Everyone types: person i writes "[p<i>-<n>]" into clause i (mod the number of clauses).
    const typists = clients.map((c, i) => startTyping(c.doc, { clause: i % clauses, tag: `p${i}-`, everyMs: 80 }));

    // The kill comes once every client has received at least 10 words of others, mid-burst.
    const othersWords = (c: TestClient, i: number) => wordsIn(statementText(c.doc)).filter((w) => !w.startsWith(`[p${i}-`));
    await waitFor(() => clients.every((c, i) => othersWords(c, i).length >= 10), {
      timeoutMs: 30_000,
      intervalMs: 50,
      what: "every client to receive 10 words of others",
    });
    expect(await first.kill("SIGKILL")).toMatchObject({ signal: "SIGKILL" });

    // What had reached each client by the time it noticed; it keeps typing offline meanwhile.
    await waitFor(() => clients.every((c) => !c.provider.wsconnected), { what: "every client to see the connection drop" });
    const received = clients.map((c, i) => {
      const othersSeen = Y.decodeStateVector(Y.encodeStateVector(c.doc));
      othersSeen.delete(c.doc.clientID);
      const ownSaved = new Map([[c.doc.clientID, Y.decodeStateVector(c.saved.at(-1) ?? new Uint8Array([0])).get(c.doc.clientID) ?? 0]]);
      return { othersSeen, ownSaved, words: othersWords(c, i) };
    });

    // Before any client is back, PostgreSQL alone must hold all of it.
    const stored = await storedDoc(db.sql, documentId);
    const storedState = Y.encodeStateVector(stored);
    const storedText = statementText(stored);
    for (const [i, r] of received.entries()) {
      expect(
        covers(storedState, r.othersSeen),
        `client ${i} saw ${describeStateVector(r.othersSeen)}, stored ${describeStateVector(storedState)}`,
      ).toBe(true);
      expect(covers(storedState, r.ownSaved), `client ${i}'s acknowledged edits`).toBe(true);
      for (const word of r.words) expect(storedText).toContain(word);
    }

    // A new process on the same port: the providers retry that URL and find it.
    const second = await spawnServer({ databaseUrl: db.url, env: { PORT: String(first.port) } });
    expect(second.port).toBe(first.port);
    await waitFor(() => clients.every((c) => c.provider.synced), {
      timeoutMs: 30_000,
      what: "every client to reconnect and sync with the new process",
    });
    // They type on a little against the new process, then stop.
    await new Promise((r) => setTimeout(r, 500));
    const typed = typists.map((t) => t.stop());

    await waitForConvergence(clients, 60_000);
    const fresh = await connectSyncedClient(second.wsUrl, documentId, { cookie: cookies[0] });
    await waitForConvergence([...clients, fresh], 20_000);
    expect(sameContent(await storedDoc(db.sql, documentId), fresh.doc)).toBe(true);

    // Every word anyone typed, before, during and after the crash, is there exactly once.
    const finalWords = wordsIn(statementText(fresh.doc));
    const all = typed.flat();
    expect(all.length).toBeGreaterThan(people * 10);
    expect(new Set(finalWords).size).toBe(finalWords.length);
    expect([...finalWords].sort()).toEqual([...all].sort());
  },
);
