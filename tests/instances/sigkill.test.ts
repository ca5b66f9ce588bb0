import { beforeAll, expect, it } from "vitest";
import * as Y from "yjs";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { spawnServer } from "../support/server";
import { redisEnv } from "../support/redis";
import {
  connectClient,
  connectSyncedClient,
  covers,
  describeStateVector,
  startTyping,
  waitFor,
  waitForConvergence,
  withTimeout,
  type TestClient,
} from "../support/clients";
import { sameContent, statementText, storedDoc } from "../support/statement";
import { createStatement } from "../support/factories";

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});

it("when one of two instances is SIGKILLed while clients on both type, its clients move to the other and nothing is lost", async () => {
  const { documentId, cookie } = await createStatement(db.sql);
  const env = redisEnv();
  const [doomed, survivor] = await Promise.all([spawnServer({ databaseUrl: db.url, env }), spawnServer({ databaseUrl: db.url, env })]);
  const onDoomed = await Promise.all([0, 1, 2].map(() => connectSyncedClient(doomed.wsUrl, documentId, { cookie })));
  const onSurvivor = await Promise.all([0, 1, 2].map(() => connectSyncedClient(survivor.wsUrl, documentId, { cookie })));
  const everyone = [...onDoomed, ...onSurvivor];
  everyone.forEach((c, i) => c.provider.awareness.setLocalStateField("user", { name: `delegate ${i}` }));
  await waitForConvergence(everyone);
  const watcher = onSurvivor[0];
  await waitFor(() => onDoomed.every((c) => watcher.provider.awareness.getStates().has(c.doc.clientID)), {
    what: "the doomed instance's clients' presence on the survivor",
  });

  // Everyone types; the doomed instance is killed once the survivor's clients have 25 of its clients' words.
  const typists = everyone.map((c, i) => startTyping(c.doc, { clause: i, tag: `t${i}-`, everyMs: 4 }));
  let killed: ReturnType<typeof doomed.kill> | undefined;
  watcher.doc.on("update", () => {
    if (!killed && statementText(watcher.doc).includes("[t0-24]")) killed = doomed.kill("SIGKILL");
  });
  await waitFor(() => killed !== undefined, { what: "25 words typed on the doomed instance to reach the survivor" });
  expect(await killed).toMatchObject({ signal: "SIGKILL" });
  await waitFor(() => onDoomed.every((c) => !c.provider.wsconnected), { what: "the doomed instance's clients to see the connection drop" });

  // What the doomed instance's clients had received from it (and their own edits it acknowledged).
  const received = onDoomed.map((c) => ({
    othersSeen: withoutClient(Y.encodeStateVector(c.doc), c.doc.clientID),
    ownSaved: onlyClient(c.saved.at(-1) ?? new Uint8Array([0]), c.doc.clientID),
  }));

  // Before they come back, the survivor already has all of it: what the doomed instance stored but
  // never published is reloaded from PostgreSQL once its heartbeat stops. Its clients' presence goes too.
  const survivorHasAll = async () => {
    const fresh = await connectSyncedClient(survivor.wsUrl, documentId, { cookie });
    const sv = Y.encodeStateVector(fresh.doc);
    fresh.destroy();
    return received.every((r) => covers(sv, r.othersSeen) && covers(sv, r.ownSaved));
  };
  await waitFor(survivorHasAll, {
    what: "the survivor to have every edit the doomed instance's clients had received",
    timeoutMs: 15_000,
    intervalMs: 200,
  });
  await waitFor(() => onDoomed.every((c) => !watcher.provider.awareness.getStates().has(c.doc.clientID)), {
    what: "the doomed instance's clients' presence to go",
    timeoutMs: 15_000,
  });

  // They reconnect to the survivor with the same documents (still typing; unsaved edits included).
  const moved: TestClient[] = onDoomed.map((c) => {
    c.provider.destroy();
    return connectClient(survivor.wsUrl, documentId, { doc: c.doc, cookie });
  });
  await Promise.all(moved.map((c) => withTimeout(c.synced, 15_000, "a moved client's sync")));
  await waitFor(() => statementText(watcher.doc).includes(`[t0-${typists[0].words.length - 1}]`), {
    what: "a moved client's new words to reach the others",
  });
  const words = typists.map((t) => t.stop());
  const all = [...moved, ...onSurvivor];
  await waitForConvergence(all, 30_000);

  const text = statementText(watcher.doc);
  for (const word of words.flat()) expect(text).toContain(word);
  const fresh = await connectSyncedClient(survivor.wsUrl, documentId, { cookie });
  expect(Buffer.from(Y.encodeStateVector(fresh.doc))).toEqual(Buffer.from(Y.encodeStateVector(watcher.doc)));
  for (const r of received) {
    const sv = Y.encodeStateVector(fresh.doc);
    expect(covers(sv, r.othersSeen), `fresh ${describeStateVector(sv)} ⊉ seen ${describeStateVector(r.othersSeen)}`).toBe(true);
  }
  expect(sameContent(await storedDoc(db.sql, documentId), watcher.doc)).toBe(true);
  expect(statementText(fresh.doc)).toBe(text);
});

function withoutClient(sv: Uint8Array, clientID: number): Map<number, number> {
  const m = Y.decodeStateVector(sv);
  m.delete(clientID);
  return m;
}

function onlyClient(sv: Uint8Array, clientID: number): Map<number, number> {
  return new Map([[clientID, Y.decodeStateVector(sv).get(clientID) ?? 0]]);
}
