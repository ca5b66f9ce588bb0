import { describe, expect, it, type FileFixtures } from "../support/fixtures";
import * as Y from "yjs";
import { clauseTexts, typeInClause } from "../support/statement";
import { connectSyncedClient } from "../support/clients";
import { waitFor } from "../support/wait";
import { publishNegotiationEvent } from "../../server/negotiation/events";
import { createDocument } from "../../server/queries/documents";
import { readStatement } from "../../server/negotiation/numbering";
import { createSignedInPerson, createStatement } from "../support/factories";

/**
 * Negotiation changes reach every page showing the statement through a Server-Sent Events
 * stream, authenticated like the routes; the server can change a document itself through the
 * same durable path as a client.
 */
let doc: Awaited<ReturnType<typeof createStatement>>;

it.beforeAll(async ({ db }) => {
  doc = await createStatement(db.sql);
});

/** Opens the stream and collects its events until `close`. */
async function openStream({ server }: Pick<FileFixtures, "server">, documentId: string, cookie?: string) {
  const controller = new AbortController();
  const res = await fetch(`${server.url}/documents/${documentId}/events`, { headers: cookie ? { cookie } : {}, signal: controller.signal });
  const events: { topic: string; notice: string | null; supersedes: string | null }[] = [];
  if (res.ok) {
    void (async () => {
      const decoder = new TextDecoder();
      let buffer = "";
      const reader = res.body!.getReader();
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buffer += decoder.decode(value, { stream: true });
          let end: number;
          while ((end = buffer.indexOf("\n\n")) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = block.split("\n").find((l) => l.startsWith("data: "));
            if (data) events.push(JSON.parse(data.slice(6)) as (typeof events)[number]);
          }
        }
      } catch {
        // aborted
      }
    })();
  }
  return { res, events, close: () => controller.abort() };
}

describe("the live event stream", () => {
  it("is refused without a session (401) and to people outside the conference (404)", async ({ db, server }) => {
    expect((await openStream({ server }, doc.documentId)).res.status).toBe(401);
    const other = await createStatement(db.sql);
    const outsider = await createSignedInPerson(db.sql, { conferenceId: other.conferenceId, role: "chair" });
    expect((await openStream({ server }, doc.documentId, outsider.cookie)).res.status).toBe(404);
    expect((await openStream({ server }, "not-a-uuid", outsider.cookie)).res.status).toBe(404);
  });

  it("is not offered for a proposal's drafting document", async ({ db, server }) => {
    const drafting = await createDocument(db.sql, doc.conferenceId, "P1", "proposal");
    expect((await openStream({ server }, drafting.id, doc.cookie)).res.status).toBe(404);
    const page = await fetch(`${server.url}/documents/${drafting.id}`, { headers: { cookie: doc.cookie }, redirect: "manual" });
    expect(page.status).toBe(404);
  });

  it("delivers an event published by any instance to every open stream of that statement, and only of it", async ({ db, server }) => {
    const delegate = await createSignedInPerson(db.sql, { conferenceId: doc.conferenceId, role: "delegate" });
    const a = await openStream({ server }, doc.documentId, delegate.cookie);
    const b = await openStream({ server }, doc.documentId, doc.cookie);
    const other = await createStatement(db.sql);
    const c = await openStream({ server }, other.documentId, other.cookie);
    expect([a.res.status, b.res.status, c.res.headers.get("content-type")]).toEqual([200, 200, "text/event-stream"]);
    await waitFor(() => server.concord.live.count() === 3);
    const event = { topic: "silence", notice: "Silence broken by Norway", supersedes: "silence" } as const;
    await publishNegotiationEvent(db.sql, { documentId: doc.documentId, ...event });
    await waitFor(() => a.events.length === 1 && b.events.length === 1);
    // What it supersedes too: the pages withdraw the notices it makes untrue.
    expect(a.events[0]).toEqual(event);
    expect(c.events).toEqual([]);
    for (const s of [a, b, c]) s.close();
    await waitFor(() => server.concord.live.count() === 0);
  });
});

describe("a change made by the server", () => {
  it("is stored, then reaches everyone connected, as one update", async ({ db, server }) => {
    const client = await connectSyncedClient(server.wsUrl, doc.documentId, { cookie: doc.cookie });
    const before = clauseTexts(client.doc);
    await server.concord.collab.changeDocument(doc.documentId, (ydoc) => typeInClause(ydoc, 0, " (accepted)"));
    // Durable first: PostgreSQL has it when the call returns.
    const stored = await readStatement(db.sql, doc.documentId);
    expect(stored.clauses[0].text).toBe(`${before[0]} (accepted)`);
    stored.ydoc.destroy();
    await waitFor(() => clauseTexts(client.doc)[0] === `${before[0]} (accepted)`);
    client.destroy();
  });

  it("works when nobody has the document open, and leaves no room behind", async ({ db, server }) => {
    const fresh = await createStatement(db.sql);
    await server.concord.collab.changeDocument(fresh.documentId, (ydoc) => typeInClause(ydoc, 1, " [server]"));
    await waitFor(() => !server.concord.collab.rooms.has(fresh.documentId));
    const stored = await readStatement(db.sql, fresh.documentId);
    expect(stored.clauses[1].text.endsWith(" [server]")).toBe(true);
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(stored.ydoc));
    expect(clauseTexts(copy)[1].endsWith(" [server]")).toBe(true);
    stored.ydoc.destroy();
  });
});
