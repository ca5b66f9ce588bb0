import { randomBytes } from "node:crypto";
import { beforeAll, expect, it } from "vitest";
import * as Y from "yjs";
import * as awarenessProtocol from "y-protocols/awareness";
import { Redis } from "ioredis";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { startTestServer, type TestServer } from "../support/server";
import { redisEnv } from "../support/redis";
import { onCleanup } from "../support/cleanup";
import { connectSyncedClient, waitFor } from "../support/clients";
import { statementText, storedDoc, typeInClause } from "../support/statement";
import { appendUpdates } from "../../server/queries/document-state";
import { encodeRelayMessage, relayKinds } from "../../server/collab/redis-relay";
import { createStatement } from "../support/factories";

let db: TestDatabase;
let server: TestServer;
let env: ReturnType<typeof redisEnv>;

beforeAll(async () => {
  db = await createTestDatabase();
  env = redisEnv();
  server = await startTestServer({ databaseUrl: db.url, env });
});

it("when another instance goes silent, what it stored without publishing is reloaded and its clients' presence dropped", async () => {
  const { documentId, cookie } = await createStatement(db.sql);
  const client = await connectSyncedClient(server.wsUrl, documentId, { cookie });

  // A pretend instance: it says it is alive, and one of its clients is present in the document.
  const pub = new Redis(env.REDIS_URL);
  onCleanup(() => pub.disconnect());
  const ghost = randomBytes(8);
  const alive = () => void pub.publish(`${env.REDIS_PREFIX}instances`, encodeRelayMessage(relayKinds.alive, ghost));
  alive();
  const heartbeat = setInterval(alive, 200);
  onCleanup(() => clearInterval(heartbeat));
  const presence = new awarenessProtocol.Awareness(new Y.Doc());
  presence.setLocalState({ user: { name: "on the silent instance" } });
  const ghostClient = presence.clientID;
  await pub.publish(
    `${env.REDIS_PREFIX}doc:${documentId}`,
    encodeRelayMessage(relayKinds.awareness, ghost, awarenessProtocol.encodeAwarenessUpdate(presence, [ghostClient])),
  );
  presence.destroy();
  await waitFor(() => client.provider.awareness.getStates().has(ghostClient), { what: "the pretend instance's client's presence" });

  // It stores an edit and dies before publishing it.
  const its = await storedDoc(db.sql, documentId);
  const before = Y.encodeStateVector(its);
  typeInClause(its, 4, " [stored-never-published]");
  await appendUpdates(db.sql, documentId, [Y.encodeStateAsUpdate(its, before)]);
  clearInterval(heartbeat);
  const silentSince = Date.now();

  await waitFor(() => statementText(client.doc).includes("[stored-never-published]"), {
    what: "the stored edit to be reloaded",
    timeoutMs: 15_000,
  });
  await waitFor(() => !client.provider.awareness.getStates().has(ghostClient), { what: "the silent instance's client's presence to go" });
  // Taken for gone after five missed heartbeats, well before the 30 s awareness timeout.
  expect(Date.now() - silentSince).toBeLessThan(10_000);
});
