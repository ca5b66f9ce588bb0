import { beforeAll, expect, it, onTestFailed } from "vitest";
import * as Y from "yjs";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { startTestServer, type TestServer } from "../support/server";
import { connectSyncedClient, startTyping, waitFor, type TestClient } from "../support/clients";
import { awarenessUpdate, encodeMessage, openRawSocket, rawRoundTrip, type RawSocket } from "../support/raw-socket";
import { seedFrom, seededRandom, type Random } from "../support/prng";
import { withTimeout } from "../support/wait";
import { caretAt, clauseTexts, storedDoc } from "../support/statement";
import { colorFor } from "../../app/statement/presence-colors";
import { messageAwareness } from "../../app/statement/protocol";
import { createSignedInPerson, createStatement } from "../support/factories";

/**
 * Hostile presence: connections that send random awareness states (impersonating names and
 * colours, malformed and foreign carets, other people's client ids, removals, add-remove cycles,
 * floods, oversized states), while two honest participants with carets type. Replay with
 * PRESENCE_SEED=<seed>; PRESENCE_MESSAGES sets how many messages (default 1500).
 */

const seed = seedFrom("PRESENCE_SEED");
const totalMessages = Number(process.env.PRESENCE_MESSAGES ?? 1500);
const parallel = 4;

let db: TestDatabase;
let server: TestServer;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer({ databaseUrl: db.url });
});

function randomState(rnd: Random, honestDoc: Y.Doc): unknown {
  const junk = () =>
    rnd.pick<unknown>([
      {},
      "x",
      42,
      null,
      [],
      { client: -1, clock: 0 },
      { type: {}, item: null },
      { tname: "evil" },
      { item: { client: "a", clock: 1 } },
      { assoc: 1e9, tname: "default" },
    ]);
  switch (rnd.int(0, 7)) {
    case 0:
      return null;
    case 1:
      return { cursor: caretAt(honestDoc, rnd.int(0, 3)) };
    case 2:
      return {
        user: {
          name: rnd.pick(["Chair of the Conference", "<img src=x onerror=alert(1)>", "Secretariat"]),
          color: rnd.pick(["red; background:url(x)", "#00ff00", "expression(alert(1))"]),
        },
        cursor: null,
      };
    case 3:
      return { cursor: { anchor: junk(), head: junk() } };
    case 4:
      return { user: { name: "x".repeat(rnd.int(1000, 5000)) } };
    case 5:
      return rnd.pick([42, "a string", [1, 2, 3], true]);
    case 6:
      return { cursor: caretAt(honestDoc, 0), role: "chair", delegation: "UN", extra: { deep: [1, { a: 2 }] } };
    default:
      return { cursor: null };
  }
}

it(
  `withstands ${totalMessages} hostile presence messages: identities hold, carets stay well-formed, nobody's edits stall`,
  { timeout: 300_000 },
  async () => {
    onTestFailed(() => console.error(`presence fuzz failed with PRESENCE_SEED=${seed}`));
    const { documentId, conferenceId, cookie } = await createStatement(db.sql);
    const officer = await createSignedInPerson(db.sql, { conferenceId, role: "secretariat", name: "Honest secretariat" });
    const [{ chairId, chairName }] = await db.sql<{ chairId: string; chairName: string }[]>`
    select u.id as "chairId", u.name as "chairName" from users u join memberships m on m.user_id = u.id
    where m.conference_id = ${conferenceId} and m.role = 'chair'`;
    const chair = await connectSyncedClient(server.wsUrl, documentId, { cookie });
    const other = await connectSyncedClient(server.wsUrl, documentId, { cookie: officer.cookie });
    const honest: [TestClient, { name: string; color: string }][] = [
      [chair, { name: chairName, color: colorFor(chairId) }],
      [other, { name: "Honest secretariat", color: colorFor(officer.id) }],
    ];
    for (const [c, i] of honest) c.provider.awareness.setLocalState({ user: { name: i.name, color: i.color }, cursor: caretAt(c.doc, 1) });
    const hostileUsers = await Promise.all(
      Array.from({ length: parallel }, (_, i) =>
        createSignedInPerson(db.sql, { conferenceId, role: i % 2 ? "observer" : "delegate", name: `Hostile ${i}` }),
      ),
    );
    const typists = [
      startTyping(chair.doc, { clause: 2, tag: "chair", everyMs: 50 }),
      startTyping(other.doc, { clause: 4, tag: "del", everyMs: 50 }),
    ];

    // A delegate's name carries their delegation's code.
    const legitimate = (name: string) =>
      name === chairName || name === "Honest secretariat" || /^Hostile \d( \(D[0-9A-Fa-f]+\))?$/.test(name);
    /** What everyone sees of everyone must be well-formed and true, and the honest two as themselves. */
    const sound = (when: string) => {
      for (const [viewer] of honest) {
        for (const [id, state] of viewer.provider.awareness.getStates()) {
          if (id === viewer.doc.clientID) continue;
          const s = state as { user?: { name: unknown; color: unknown }; cursor?: unknown };
          expect(legitimate(String(s.user?.name)), `${when}: a presence named ${JSON.stringify(s.user?.name)}`).toBe(true);
          expect(String(s.user?.color), when).toMatch(/^#[0-9a-f]{6}$/);
          expect(Object.keys(s).sort(), when).toEqual(["cursor", "user"]);
        }
        for (const [c, identity] of honest) {
          if (c === viewer) continue;
          expect(
            (viewer.provider.awareness.getStates().get(c.doc.clientID) as { user: unknown })?.user,
            `${when}: the honest participant as themselves`,
          ).toMatchObject(identity);
        }
      }
    };
    await waitFor(() => honest.every(([v]) => v.provider.awareness.getStates().size >= 2), {
      what: "the honest participants to see each other",
    });

    let sent = 0;
    const closes = new Map<number, number>();
    await Promise.all(
      hostileUsers.map(async (user, w) => {
        const wr = seededRandom((seed + 104729 * (w + 1)) >>> 0);
        const ids = [wr.int(1, 2 ** 31)];
        while (sent < totalMessages) {
          const raw: RawSocket = openRawSocket(server.wsUrl, documentId, { cookie: user.cookie });
          await withTimeout(raw.opened, 10_000, "a hostile connection to open");
          for (let k = wr.int(1, 30); k > 0 && sent < totalMessages && raw.ws.readyState === raw.ws.OPEN; k--) {
            sent++;
            const entries = Array.from({ length: wr.chance(0.05) ? wr.int(17, 30) : wr.int(1, 3) }, () => {
              const id = wr.chance(0.25)
                ? wr.pick([chair.doc.clientID, other.doc.clientID])
                : wr.chance(0.3)
                  ? wr.int(1, 2 ** 31)
                  : wr.pick(ids);
              if (!ids.includes(id)) ids.push(id);
              return { id, clock: wr.int(0, 2 ** 20), state: JSON.stringify(randomState(wr, chair.doc)) };
            });
            raw.ws.send(encodeMessage(messageAwareness, awarenessUpdate(entries)));
            if (wr.chance(0.2)) await rawRoundTrip(raw).catch(() => {});
          }
          await rawRoundTrip(raw).catch(() => {});
          if (raw.ws.readyState !== raw.ws.OPEN) {
            const { code } = await withTimeout(raw.closed, 10_000, "a close");
            closes.set(code, (closes.get(code) ?? 0) + 1);
          }
          raw.ws.terminate();
          sound(`after ${sent} messages`);
        }
      }),
    );

    // The hostile connections are gone, and so is everything they set. A terminated socket's close
    // reaches the server a moment later, and what the clients see may lag the room by a presence
    // interval (see presenceIntervalMs): so the room is asked once it has seen every close, and
    // from then on nothing they set may be left in it.
    const room = server.concord.collab.rooms.get(documentId)!;
    await waitFor(() => room.peers.size === honest.length, { what: "the server to see the hostile connections close", timeoutMs: 10_000 });
    expect([...room.awareness.getStates().keys()].sort()).toEqual([chair.doc.clientID, other.doc.clientID].sort());
    await waitFor(() => honest.every(([v]) => v.provider.awareness.getStates().size === 2), {
      what: "only the honest two to be present",
      timeoutMs: 10_000,
    });
    sound("at the end");
    expect(closes.get(4400) ?? 0).toBeGreaterThan(0);

    // Editing went on: every word of both typists is stored and seen by the other.
    const words = typists.map((t) => t.stop());
    for (const [c] of honest) await waitFor(() => c.isSaved(), { what: "the typists' edits to be acknowledged" });
    await room.drain();
    const stored = clauseTexts(await storedDoc(db.sql, documentId));
    for (const w of words[0]) expect(stored[2]).toContain(w);
    for (const w of words[1]) expect(stored[4]).toContain(w);
    await waitFor(() => words[0].every((w) => clauseTexts(other.doc)[2].includes(w)), {
      what: "the chair's words to reach the secretariat",
    });
    console.log(`presence fuzz, seed ${seed}: ${sent} messages; closes ${JSON.stringify(Object.fromEntries(closes))}`);
  },
);
