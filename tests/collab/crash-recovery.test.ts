import { beforeAll, expect, it } from "vitest";
import * as Y from "yjs";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { spawnServer } from "../support/server";
import { connectSyncedClient, covers, describeStateVector, startTyping, waitFor, waitForConvergence } from "../support/clients";
import { statementText } from "../support/statement";
import { createStatement } from "../support/factories";

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});

it("after a SIGKILL in the middle of a burst, a restarted server still has every edit any client had received", async () => {
  const { documentId, cookie } = await createStatement(db.sql);
  const first = await spawnServer({ databaseUrl: db.url });
  const a = await connectSyncedClient(first.wsUrl, documentId, { cookie });
  const b = await connectSyncedClient(first.wsUrl, documentId, { cookie });
  await waitForConvergence([a, b]);

  // Both type without pause; the server is killed the moment B has received 25 of A's words,
  // with more of both still in flight.
  const typeA = startTyping(a.doc, { clause: 1, tag: "a", everyMs: 2 });
  const typeB = startTyping(b.doc, { clause: 9, tag: "b", everyMs: 3 });
  let killed: ReturnType<typeof first.kill> | undefined;
  b.doc.on("update", () => {
    if (!killed && statementText(b.doc).includes("[a24]")) killed = first.kill("SIGKILL");
  });
  await waitFor(() => killed !== undefined, { what: "B to receive 25 of A's words" });
  typeA.stop();
  typeB.stop();
  expect(await killed).toMatchObject({ signal: "SIGKILL" });

  // Whatever was in flight when the server died has reached the clients by the time they notice.
  await waitFor(() => !a.provider.wsconnected && !b.provider.wsconnected, { what: "both clients to see the connection drop" });
  const received = [a, b].map((c) => ({
    // From the server, a client received everything except its own edits, which count once acknowledged.
    othersSeen: withoutClient(Y.encodeStateVector(c.doc), c.doc.clientID),
    ownSaved: c.saved.at(-1) ?? new Uint8Array([0]),
    text: statementText(c.doc),
    clientID: c.doc.clientID,
  }));
  // They must not reconnect to the new server and push unsaved edits: this is about what survived.
  a.destroy();
  b.destroy();

  const second = await spawnServer({ databaseUrl: db.url });
  const fresh = await connectSyncedClient(second.wsUrl, documentId, { cookie });
  const recovered = Y.encodeStateVector(fresh.doc);
  const recoveredText = statementText(fresh.doc);
  for (const r of received) {
    expect(covers(recovered, r.othersSeen), `recovered ${describeStateVector(recovered)} ⊉ seen ${describeStateVector(r.othersSeen)}`).toBe(
      true,
    );
    expect(covers(recovered, onlyClient(r.ownSaved, r.clientID))).toBe(true);
  }
  const seenByB = received[1].text.match(/\[a\d+\]/g)!;
  expect(seenByB.length).toBeGreaterThanOrEqual(25);
  for (const word of seenByB) expect(recoveredText).toContain(word);
  for (const word of received[0].text.match(/\[b\d+\]/g) ?? []) expect(recoveredText).toContain(word);
});

function withoutClient(sv: Uint8Array, clientID: number): Map<number, number> {
  const m = Y.decodeStateVector(sv);
  m.delete(clientID);
  return m;
}

function onlyClient(sv: Uint8Array, clientID: number): Map<number, number> {
  return new Map([[clientID, Y.decodeStateVector(sv).get(clientID) ?? 0]]);
}
