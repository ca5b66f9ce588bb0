import type { Socket } from "node:net";
import { beforeAll, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { startTestServer, type TestServer } from "../support/server";
import { connectSyncedClient, startTyping, waitFor, waitForConvergence, type TestClient } from "../support/clients";
import { clauseTexts, deleteInClause, typeInClause } from "../support/statement";
import { createSignedInPerson, createStatement } from "../support/factories";

/**
 * COLLAB_MAX_BUFFERED_BYTES: a client that stops reading (its socket paused, as a frozen tab or a
 * stalled network would) while others type large edits must not make the server buffer without
 * bound: once its unsent output passes the bound it is disconnected, and it resyncs when it reads again.
 */

const bound = 256 * 1024;
let db: TestDatabase;
let server: TestServer;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer({ databaseUrl: db.url, env: { COLLAB_MAX_BUFFERED_BYTES: String(bound) } });
});

const socketOf = (c: TestClient) => (c.provider.ws as unknown as { _socket: Socket })._socket;

it(
  "disconnects a client that stops reading once its unsent output passes the bound; the others go on, and it resyncs later",
  { timeout: 120_000 },
  async () => {
    const { documentId, conferenceId, cookie } = await createStatement(db.sql);
    const others = await Promise.all([1, 2].map(() => createSignedInPerson(db.sql, { conferenceId, role: "chair" })));
    const a = await connectSyncedClient(server.wsUrl, documentId, { cookie });
    const b = await connectSyncedClient(server.wsUrl, documentId, { cookie: others[0].cookie });
    const slow = await connectSyncedClient(server.wsUrl, documentId, { cookie: others[1].cookie });
    const drops = { a: 0, b: 0 };
    a.provider.on("status", ({ status }: { status: string }) => status === "disconnected" && drops.a++);
    b.provider.on("status", ({ status }: { status: string }) => status === "disconnected" && drops.b++);
    const room = server.concord.collab.rooms.get(documentId)!;
    expect(room.peers.size).toBe(3);

    // The slow client stops reading: what the server sends it piles up, first in the kernel's
    // socket buffers, then in the server's.
    socketOf(slow).pause();
    let maxBuffered = 0;
    const sampler = setInterval(() => (maxBuffered = Math.max(maxBuffered, server.concord.collab.stats().bufferedBytes)), 2);

    // A pastes 16 KB at a time over what it pasted before (a clause holds at most 20,000
    // characters); B types small words meanwhile.
    const chunk = "x".repeat(16 * 1024);
    let big = 0;
    let pasted = 0;
    const typing = setInterval(() => {
      if (big >= 2000) return;
      a.doc.transact(() => {
        const end = clauseTexts(a.doc)[3].length;
        if (pasted > 0) deleteInClause(a.doc, 3, end - pasted, pasted);
        const text = ` [big${big++}]${chunk}`;
        typeInClause(a.doc, 3, text);
        pasted = text.length;
      });
    }, 10);
    const typistB = startTyping(b.doc, { clause: 7, tag: "b", everyMs: 50 });
    try {
      await waitFor(() => room.peers.size === 2, { timeoutMs: 60_000, what: "the server to drop the slow client" });
    } finally {
      clearInterval(typing);
    }
    const sentBeforeDrop = big;
    await new Promise((r) => setTimeout(r, 300));
    const typedB = typistB.stop();
    await waitForConvergence([a, b], 30_000);
    clearInterval(sampler);

    // Bounded: at most the bound plus the one message that crossed it (and a little of the others' traffic).
    expect(maxBuffered).toBeGreaterThan(bound / 2);
    expect(maxBuffered).toBeLessThan(bound + 2 * (chunk.length + 1024));
    await waitFor(() => server.concord.collab.stats().bufferedBytes < 64 * 1024, { what: "the server's buffers to drain" });
    // The slow client's socket is gone on the server's side.
    await waitFor(() => server.concord.collab.stats().connections === 2, { what: "the slow connection to be closed" });

    // The others noticed nothing.
    expect(drops).toEqual({ a: 0, b: 0 });
    const textB = clauseTexts(b.doc)[7];
    for (const w of typedB) expect(textB).toContain(w);
    expect(clauseTexts(b.doc)[3]).toContain(`[big${big - 1}]`);

    // Reading again, the slow client finds the connection gone, reconnects and resyncs.
    expect(clauseTexts(slow.doc)[3]).not.toContain(`[big${big - 1}]`);
    socketOf(slow).resume();
    await waitFor(() => clauseTexts(slow.doc)[3].includes(`[big${big - 1}]`), { timeoutMs: 30_000, what: "the slow client to resync" });
    await waitForConvergence([a, b, slow], 30_000);
    console.log(
      `slow consumer dropped after ${sentBeforeDrop} edits of 16 KB; peak server-side buffered ${(maxBuffered / 1024).toFixed(
        0,
      )} KB (bound ${bound / 1024} KB)`,
    );
  },
);
