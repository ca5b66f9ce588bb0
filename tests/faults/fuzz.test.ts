import { beforeAll, expect, it, onTestFailed } from "vitest";
import * as Y from "yjs";
import * as encoding from "lib0/encoding";
import { statementField } from "../../app/statement/schema";
import { loadUpdates } from "../../server/queries/document-state";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { startTestServer, type TestServer } from "../support/server";
import { connectSyncedClient, startTyping, waitFor, waitForConvergence, type TestClient } from "../support/clients";
import { awarenessUpdate, encodeMessage, openRawSocket, rawRoundTrip, replicate, type RawSocket } from "../support/raw-socket";
import { seedFrom, seededRandom, type Random } from "../support/prng";
import { withTimeout } from "../support/wait";
import { clauseElements, clauseTexts, sameContent, typeInClause } from "../support/statement";
import { createSignedInPerson, createStatement } from "../support/factories";

/**
 * Thousands of random and mutated y-protocol messages, over many connections, while two good
 * clients edit. Replay a failure with FUZZ_SEED=<seed> (printed when the test fails);
 * FUZZ_MESSAGES sets how many messages are sent (default 4000).
 */

const seed = seedFrom("FUZZ_SEED");
const totalMessages = Number(process.env.FUZZ_MESSAGES ?? 4000);
const parallel = 6;
const maxMessageBytes = 64 * 1024;

let db: TestDatabase;
let server: TestServer;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer({ databaseUrl: db.url, env: { COLLAB_MAX_MESSAGE_BYTES: String(maxMessageBytes) } });
});

/** What the server must do with a message: keep the connection, close it (4400 / 1009), or either. */
type Expect = "keep" | "close" | "either";
interface Fuzzed {
  kind: string;
  data: Uint8Array | string;
  expect: Expect;
}

const sync = (step: number, payload: Uint8Array) => encodeMessage(0, step, payload);
const decodes = (f: () => unknown) => {
  try {
    f();
    return true;
  } catch {
    return false;
  }
};

function varUint(n: number): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, n);
  return encoding.toUint8Array(e);
}

const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));

function mutate(rnd: Random, message: Uint8Array): Uint8Array {
  let m = [...message];
  for (let n = rnd.int(1, 4); n > 0; n--) {
    const at = rnd.int(0, Math.max(0, m.length - 1));
    const how = rnd.int(0, 3);
    if (how === 0 && m.length > 0) m[at] = rnd.int(0, 255);
    else if (how === 1) m.splice(at, 0, rnd.int(0, 255));
    else if (how === 2) m.splice(at, 1);
    else m = m.slice(0, at);
  }
  return Uint8Array.from(m);
}

/** An update of a client the server has never seen whose first half is withheld: it can never be applied. */
function orphanUpdate(rnd: Random): Uint8Array {
  const d = new Y.Doc();
  d.clientID = rnd.int(1, 2 ** 31);
  const text = new Y.XmlText();
  d.getXmlFragment(statementField).insert(0, [text]);
  text.insert(0, "ORPHAN");
  const sv = Y.encodeStateVector(d);
  text.insert(rnd.int(0, 6), `ORPHAN-${rnd.int(0, 1e6)}`);
  return Y.encodeStateAsUpdate(d, sv);
}

interface Context {
  rnd: Random;
  writer: boolean;
  /** The document as this connection got it, to make valid (and then mutated) updates from. */
  local: Y.Doc | null;
  goodClientIds: number[];
}

function validEdit(ctx: Context): Uint8Array | null {
  if (!ctx.local) return null;
  const sv = Y.encodeStateVector(ctx.local);
  // Not in the clauses the good clients type in (0 and 5): typed from a stale copy, a word could land inside one of theirs.
  const clauses = clauseElements(ctx.local).length;
  typeInClause(ctx.local, ctx.rnd.pick([...Array(clauses).keys()].filter((i) => i !== 0 && i !== 5)), ` fuzz${ctx.rnd.int(0, 1e6)}`);
  return Y.encodeStateAsUpdate(ctx.local, sv);
}

/** One fuzzed message, with what the server must do about it. */
function generate(ctx: Context): Fuzzed {
  const { rnd } = ctx;
  const forUpdate = (kind: string, u: Uint8Array, ok: Expect): Fuzzed => ({
    kind,
    data: sync(rnd.pick([1, 2]), u),
    expect: ctx.writer ? ok : "keep",
  });
  // Mostly messages a connection survives (so connections live long enough for state to build
  // up), mutated updates the most; now and then one that must end it.
  const weights = [6, 6, 4, 3, 3, 3, 3, 6, 6, 2, 8, 12, 25, 6, 4, 4];
  let pick = rnd.next() * weights.reduce((x, y) => x + y);
  let category = 0;
  while (pick >= weights[category]) pick -= weights[category++];
  switch (category) {
    case 0:
      return { kind: "random bytes", data: rnd.bytes(rnd.int(0, 300)), expect: "either" };
    case 1: {
      // Valid framing, garbage inside. Read-only connections' updates are dropped unread.
      const step = rnd.int(0, 2);
      const payload = rnd.bytes(rnd.int(0, 200));
      if (step === 0)
        return {
          kind: "garbage state vector",
          data: sync(0, payload),
          expect: decodes(() => Y.decodeStateVector(payload)) ? "either" : "close",
        };
      return forUpdate("garbage update", payload, decodes(() => Y.decodeUpdate(payload)) ? "either" : "close");
    }
    case 2:
      return { kind: "garbage awareness", data: encodeMessage(1, rnd.bytes(rnd.int(1, 100))), expect: "either" };
    case 3:
      // Only continuation bits: the varint never ends.
      return { kind: "truncated varint", data: Uint8Array.from({ length: rnd.int(1, 9) }, () => rnd.int(0x80, 0xff)), expect: "close" };
    case 4: {
      const head = rnd.pick([[0, 0], [0, 1], [0, 2], [1]]);
      const length = rnd.pick([2 ** 31, 2 ** 40, 2 ** 52, 1e6, 70_000]);
      return {
        kind: "huge declared length",
        data: concat(Uint8Array.from(head), varUint(length), rnd.bytes(rnd.int(0, 50))),
        expect: "close",
      };
    }
    case 5:
      return {
        kind: "unknown message type",
        data: concat(varUint(rnd.pick([4, 5, 64, 127, 128, 300, 2 ** 20])), rnd.bytes(rnd.int(0, 30))),
        expect: "close",
      };
    case 6:
      return { kind: "text frame", data: rnd.pick(["hello", "\u0000\u0002\u0001", '{"type":"sync"}']), expect: "close" };
    case 7: {
      // Someone else's presence: dropped, the connection stays.
      const id = rnd.pick(ctx.goodClientIds);
      const state = rnd.chance(0.5) ? "null" : JSON.stringify({ user: { name: "IMPOSTOR" } });
      return {
        kind: "awareness for another client",
        data: encodeMessage(1, awarenessUpdate([{ id, clock: rnd.int(0, 2 ** 30), state }])),
        expect: "keep",
      };
    }
    case 8: {
      const id = rnd.int(1, 2 ** 31);
      return {
        kind: "awareness of its own",
        data: encodeMessage(1, awarenessUpdate([{ id, clock: rnd.int(0, 100), state: JSON.stringify({ cursor: rnd.int(0, 99) }) }])),
        expect: "either",
      };
    }
    case 9: {
      const entries = Array.from({ length: rnd.int(17, 40) }, () => ({ id: rnd.int(1, 2 ** 31), clock: 1, state: "{}" }));
      return { kind: "awareness flood", data: encodeMessage(1, awarenessUpdate(entries)), expect: "close" };
    }
    case 10:
      return forUpdate("update with missing dependencies", orphanUpdate(rnd), "either");
    case 11: {
      const edit = validEdit(ctx);
      if (!edit) return { kind: "query awareness", data: encodeMessage(3), expect: "keep" };
      return forUpdate("valid edit", edit, "keep");
    }
    case 12: {
      const edit = validEdit(ctx) ?? orphanUpdate(rnd);
      return { kind: "mutated update", data: mutate(rnd, sync(2, edit)), expect: "either" };
    }
    case 13:
      return {
        kind: "mutated awareness",
        data: mutate(rnd, encodeMessage(1, awarenessUpdate([{ id: rnd.int(1, 2 ** 31), clock: 1, state: '{"a":1}' }]))),
        expect: "either",
      };
    case 14:
      return { kind: "state vector", data: sync(0, Y.encodeStateVector(ctx.local ?? new Y.Doc())), expect: "keep" };
    default:
      return { kind: "query awareness", data: encodeMessage(3), expect: "keep" };
  }
}

/** The name `viewer` sees in `clientId`'s presence (awareness state); anyone can publish anything there. */
const presenceName = (viewer: TestClient, clientId: number): unknown =>
  (viewer.provider.awareness.getStates().get(clientId) as { user?: { name?: unknown } } | undefined)?.user?.name;

/** Malformed, breaking the statement's schema, too large. */
const refusals = [4400, 4422, 1009];

interface Outcome {
  connections: number;
  messages: number;
  byKind: Map<string, number>;
  closes: Map<number, number>;
}

async function fuzzConnection(ctx: Omit<Context, "local">, documentId: string, cookie: string, outcome: Outcome, budget: () => boolean) {
  const raw: RawSocket = openRawSocket(server.wsUrl, documentId, { cookie });
  await withTimeout(raw.opened, 10_000, "a fuzz connection to open");
  const local = ctx.rnd.chance(0.5) ? await replicate(raw) : null;
  const full: Context = { ...ctx, local };
  const sent: Fuzzed[] = [];
  let mustClose = false;
  for (let n = ctx.rnd.int(1, 15); n > 0 && budget(); n--) {
    const m = generate(full);
    sent.push(m);
    outcome.messages++;
    outcome.byKind.set(m.kind, (outcome.byKind.get(m.kind) ?? 0) + 1);
    if (raw.ws.readyState !== raw.ws.OPEN) break;
    raw.ws.send(m.data, { binary: typeof m.data !== "string" });
    if (m.expect === "close") {
      mustClose = true;
      break;
    }
    if (ctx.rnd.chance(0.3)) await new Promise((r) => setImmediate(r));
  }
  const described = () => sent.map((m) => `${m.kind}(${m.expect})`).join(", ");
  if (mustClose) {
    const { code } = await withTimeout(raw.closed, 10_000, `the server to close a connection that sent: ${described()}`);
    expect(refusals, `close code after: ${described()}`).toContain(code);
    outcome.closes.set(code, (outcome.closes.get(code) ?? 0) + 1);
  } else {
    // The server must still answer, unless a message that may be refused was refused.
    const answered = await rawRoundTrip(raw).then(
      () => true,
      () => false,
    );
    if (!answered) {
      const { code } = await withTimeout(raw.closed, 10_000, "the connection to close");
      expect(
        sent.some((m) => m.expect !== "keep"),
        `closed (${code}) after only acceptable messages: ${described()}`,
      ).toBe(true);
      expect(refusals, `close code after: ${described()}`).toContain(code);
      outcome.closes.set(code, (outcome.closes.get(code) ?? 0) + 1);
    }
    raw.ws.close();
    await withTimeout(raw.closed, 10_000, "our close to complete");
  }
  outcome.connections++;
}

it(
  `survives ${totalMessages} fuzzed messages: never crashes or stalls, never corrupts the document, closes offenders`,
  { timeout: 240_000 },
  async () => {
    onTestFailed(() => {
      console.error(`fuzz failed with FUZZ_SEED=${seed} (rerun: FUZZ_SEED=${seed} npx vitest run tests/faults/fuzz.test.ts)`);
    });
    const { documentId, conferenceId } = await createStatement(db.sql);
    const [aUser, bUser, writer, reader] = await Promise.all([
      createSignedInPerson(db.sql, { conferenceId, role: "chair", name: "A" }),
      createSignedInPerson(db.sql, { conferenceId, role: "chair", name: "B" }),
      createSignedInPerson(db.sql, { conferenceId, role: "chair" }),
      createSignedInPerson(db.sql, { conferenceId, role: "delegate" }),
    ]);
    const a: TestClient = await connectSyncedClient(server.wsUrl, documentId, { cookie: aUser.cookie });
    const b: TestClient = await connectSyncedClient(server.wsUrl, documentId, { cookie: bUser.cookie });
    // Names come from the sessions; whatever a client says of itself is replaced.
    a.provider.awareness.setLocalStateField("user", { name: "a" });
    b.provider.awareness.setLocalStateField("user", { name: "b" });
    await waitFor(() => presenceName(b, a.doc.clientID) === "A", { what: "B to see A's presence" });
    const goodClientIds = [a.doc.clientID, b.doc.clientID];

    // The good clients type throughout; A's probes measure how long an edit takes to reach B.
    const typistB = startTyping(b.doc, { clause: 5, tag: "b", everyMs: 40 });
    const latencies: number[] = [];
    const probes = new Map<string, number>();
    let probeCount = 0;
    b.doc.on("update", () => {
      if (probes.size === 0) return;
      const text = clauseTexts(b.doc)[0];
      for (const [probe, sentAt] of probes) {
        if (text.includes(probe)) {
          latencies.push(performance.now() - sentAt);
          probes.delete(probe);
        }
      }
    });
    const probeTimer = setInterval(() => {
      const probe = `[probe${probeCount++}]`;
      probes.set(probe, performance.now());
      typeInClause(a.doc, 0, ` ${probe}`);
    }, 100);

    const outcome: Outcome = { connections: 0, messages: 0, byKind: new Map(), closes: new Map() };
    const budget = () => outcome.messages < totalMessages;
    const started = performance.now();
    try {
      await Promise.all(
        Array.from({ length: parallel }, async (_, worker) => {
          const workerRnd = seededRandom((seed + worker * 7919) >>> 0);
          while (budget()) {
            const isWriter = workerRnd.chance(0.85);
            await fuzzConnection(
              { rnd: workerRnd, writer: isWriter, goodClientIds },
              documentId,
              isWriter ? writer.cookie : reader.cookie,
              outcome,
              budget,
            );
          }
        }),
      );
    } finally {
      clearInterval(probeTimer);
    }
    const fuzzSeconds = (performance.now() - started) / 1000;
    const typed = typistB.stop();

    // No stall: every probe arrived, quickly.
    await waitFor(() => probes.size === 0, { timeoutMs: 10_000, what: "every probe to reach B" });
    latencies.sort((x, y) => x - y);
    const p = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
    console.log(
      `fuzz seed ${seed}: ${outcome.messages} messages over ${outcome.connections} connections in ${fuzzSeconds.toFixed(1)} s; ` +
        `closes ${JSON.stringify(Object.fromEntries(outcome.closes))}; probe latency p50 ${p(0.5).toFixed(0)} ms, p99 ${p(0.99).toFixed(
          0,
        )} ms, max ${p(1).toFixed(0)} ms (${latencies.length} probes)\n` +
        `  ${[...outcome.byKind].map(([k, n]) => `${k}: ${n}`).join(", ")}`,
    );
    expect(outcome.messages).toBeGreaterThanOrEqual(totalMessages);
    expect(outcome.closes.get(4400) ?? 0).toBeGreaterThan(0);
    expect(latencies.length).toBeGreaterThan(5);
    expect(p(0.5)).toBeLessThan(250);
    expect(p(1)).toBeLessThan(3000);

    // Nobody spoke for the good clients.
    expect(presenceName(b, a.doc.clientID)).toBe("A");
    expect(presenceName(a, b.doc.clientID)).toBe("B");
    // The fuzz connections' presence left with them.
    await waitFor(() => b.provider.awareness.getStates().size === 2, { what: "only A and B to be present" });
    const room = server.concord.collab.rooms.get(documentId)!;
    expect(room.awareness.getStates().size).toBe(2);

    // The document is sound: the good clients converge with a new one, with nothing pending anywhere.
    const c = await connectSyncedClient(server.wsUrl, documentId, { cookie: bUser.cookie });
    await waitForConvergence([a, b, c], 30_000);
    const textB = clauseTexts(c.doc)[5];
    for (const word of typed) expect(textB).toContain(word);
    for (let i = 0; i < probeCount; i++) expect(clauseTexts(c.doc)[0]).toContain(`[probe${i}]`);
    expect(room.doc.store.pendingStructs).toBeNull();
    expect(room.doc.store.pendingDs).toBeNull();
    expect(c.doc.store.pendingStructs).toBeNull();
    expect(clauseTexts(c.doc).join(" ")).not.toContain("ORPHAN");

    // PostgreSQL has the same, and its log applies row by row to a fresh document.
    await room.drain();
    const stored = new Y.Doc();
    for (const row of await loadUpdates(db.sql, documentId)) Y.applyUpdate(stored, row);
    expect(stored.store.pendingStructs).toBeNull();
    expect(stored.store.pendingDs).toBeNull();
    expect(sameContent(stored, c.doc)).toBe(true);
    expect(Buffer.from(Y.encodeStateVector(stored)).equals(Buffer.from(Y.encodeStateVector(c.doc)))).toBe(true);
  },
);
