import { beforeAll, expect, it, onTestFailed } from "vitest";
import * as Y from "yjs";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { startTestServer, type TestServer } from "../support/server";
import { connectSyncedClient, waitFor, type TestClient } from "../support/clients";
import { encodeMessage, openRawSocket, rawRoundTrip, replicate, type RawSocket } from "../support/raw-socket";
import { createNegotiation, type NegotiationFixture } from "../support/negotiation";
import { seedFrom, seededRandom, type Random } from "../support/prng";
import { withTimeout } from "../support/wait";
import { clauseElements, statementFragment, storedDoc, statementText } from "../support/statement";
import { SchemaGuard } from "../../server/collab/schema-guard";
import { statementModel } from "../../server/collab/document-models";
import { closeCodes } from "../../app/statement/protocol";
import { createSignedInPerson } from "../support/factories";

/**
 * Writers who try to damage the statement with well-formed Yjs updates (unknown and misplaced
 * elements, odd attributes and marks, deep nesting, oversized text, agreed clauses changed,
 * moved, copied or impersonated, other participants' client ids), interleaved with honest edits,
 * while two honest participants type. Replay with HOSTILE_SEED=<seed>; HOSTILE_OPS sets how many
 * operations (default 2000).
 */

const seed = seedFrom("HOSTILE_SEED");
const totalOps = Number(process.env.HOSTILE_OPS ?? 2000);
const workers = 3;

let db: TestDatabase;
let server: TestServer;
let n: NegotiationFixture;
const guard = new SchemaGuard(statementModel);

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer({ databaseUrl: db.url });
  n = await createNegotiation(db.sql, server.url);
});

/** What the server must answer: keep the connection (and store the change), or close it with a code. */
interface Op {
  kind: string;
  /** "either": a forgery that an honest typist's own edit overtook is a duplicate Yjs ignores, harmless. */
  expect: "keep" | "either" | number;
  apply(doc: Y.Doc): void;
}

const parts = (doc: Y.Doc) =>
  statementFragment(doc)
    .toArray()
    .filter((e): e is Y.XmlElement => e instanceof Y.XmlElement && e.nodeName !== "title");
const textOf = (clause: Y.XmlElement) => {
  const p = clause.get(0) as Y.XmlElement;
  const t = p.get(0);
  if (t instanceof Y.XmlText) return t;
  const fresh = new Y.XmlText();
  p.insert(0, [fresh]);
  return fresh;
};
const byId = (doc: Y.Doc, id: string) => clauseElements(doc).find((c) => c.getAttribute("id") === id)!;

interface World {
  locked: string[];
  /** Clauses the honest typists write in: hostile writers leave them alone, to tell whose words went missing. */
  honest: string[];
  /** Clauses inserted by hostile writers' valid edits (they may delete those). */
  added: string[];
  honestClientIds: number[];
}

function generate(rnd: Random, world: World, doc: Y.Doc): Op {
  const clauses = clauseElements(doc);
  const free = clauses.filter((c) => ![...world.locked, ...world.honest].includes(c.getAttribute("id")!));
  // Never deleted, so that a refused change cannot land in a clause another writer removed meanwhile (where Yjs drops it).
  const stable = free.filter((c) => !world.added.includes(c.getAttribute("id")!));
  const anyClause = rnd.pick(clauses);
  const lockedClause = byId(doc, rnd.pick(world.locked));
  const container = (): Y.XmlElement | Y.XmlFragment => {
    const c = rnd.pick(stable);
    return rnd.pick([statementFragment(doc), rnd.pick(parts(doc)), c, c.get(0) as Y.XmlElement]);
  };
  const deepList = (levels: number) => {
    let inner = new Y.XmlElement("paragraph");
    for (let i = 0; i < levels; i++) {
      const item = new Y.XmlElement("listItem");
      item.insert(0, i === 0 ? [inner] : [new Y.XmlElement("paragraph"), inner]);
      const list = new Y.XmlElement("bulletList");
      list.insert(0, [item]);
      inner = list;
    }
    return inner;
  };
  const schema = closeCodes.schemaViolation;
  const locked = closeCodes.clauseLocked;
  const ops: [number, () => Op][] = [
    [
      3,
      () => ({
        kind: "unknown element",
        expect: schema,
        apply: () => {
          const c = container();
          c.insert(rnd.int(0, c.length), [new Y.XmlElement(rnd.pick(["script", "iframe", "div", "heading", "table", "img"]))]);
        },
      }),
    ],
    [
      3,
      () => {
        const [where, what] = rnd.pick([
          ["root", "clause"],
          ["root", "paragraph"],
          ["root", "title"],
          ["part", "paragraph"],
          ["part", "title"],
          ["part", "preamble"],
          ["clause", "clause"],
          ["clause", "title"],
          ["clause", "listItem"],
          ["paragraph", "paragraph"],
          ["paragraph", "clause"],
        ] as const);
        return {
          kind: `<${what}> in <${where}>`,
          expect: schema,
          apply: () => {
            const c = rnd.pick(stable);
            const parent = { root: statementFragment(doc), part: rnd.pick(parts(doc)), clause: c, paragraph: c.get(0) as Y.XmlElement }[
              where
            ];
            const el = new Y.XmlElement(what);
            if (what === "clause") el.setAttribute("id", `cx${rnd.int(0, 1e9)}`);
            parent.insert(rnd.int(0, parent.length), [el]);
          },
        };
      },
    ],
    [
      3,
      () => ({
        kind: "odd attribute",
        expect: schema,
        apply: () => {
          const c = rnd.pick(stable);
          if (rnd.chance(0.5)) c.setAttribute(rnd.pick(["onclick", "style", "href", "class", "data-x"]), "alert(1)");
          else c.setAttribute("id", rnd.pick(["<b>x</b>", "x".repeat(200), "a b", ""]));
        },
      }),
    ],
    [2, () => ({ kind: "deep nesting", expect: schema, apply: () => rnd.pick(stable).insert(0, [deepList(rnd.int(8, 40))]) })],
    [
      2,
      () => ({
        kind: "oversized text",
        expect: schema,
        apply: () => textOf(rnd.pick(stable)).insert(0, "x".repeat(20_001 + rnd.int(0, 5000))),
      }),
    ],
    [
      2,
      () => ({
        kind: "unknown mark",
        expect: schema,
        apply: () => {
          const t = textOf(rnd.pick(stable));
          t.insert(0, "marked", { [rnd.pick(["link", "script", "code", "highlight"])]: { href: "javascript:x" } });
        },
      }),
    ],
    [2, () => ({ kind: "edit an agreed clause", expect: locked, apply: () => textOf(lockedClause).insert(0, "changed ") })],
    [
      1,
      () => ({
        kind: "delete an agreed clause",
        expect: locked,
        apply: () => {
          const p = lockedClause.parent as Y.XmlElement;
          p.delete(p.toArray().indexOf(lockedClause), 1);
        },
      }),
    ],
    [
      2,
      () => ({
        kind: "move an agreed clause",
        expect: locked,
        apply: () => {
          const p = lockedClause.parent as Y.XmlElement;
          p.insert(rnd.int(0, p.length), [lockedClause.clone()]);
          p.delete(p.toArray().indexOf(lockedClause), 1);
        },
      }),
    ],
    [
      2,
      () => ({
        kind: "copy an agreed clause",
        expect: locked,
        apply: () => {
          const p = rnd.pick(parts(doc));
          p.insert(rnd.int(0, p.length), [lockedClause.clone()]);
        },
      }),
    ],
    [
      2,
      () => ({
        kind: "take an agreed clause's id",
        expect: locked,
        apply: () => rnd.pick(stable).setAttribute("id", lockedClause.getAttribute("id")!),
      }),
    ],
    [3, () => ({ kind: "type", expect: "keep", apply: () => textOf(rnd.pick(free)).insert(0, `[h${rnd.int(0, 1e6)}] `) })],
    [
      1,
      () => ({
        kind: "bold",
        expect: "keep",
        apply: () => {
          const t = textOf(rnd.pick(free));
          if (t.length > 2) t.format(0, 2, { bold: {} });
          else t.insert(0, "b", { bold: {} });
        },
      }),
    ],
    [
      2,
      () => ({
        kind: "new clause",
        expect: "keep",
        apply: () => {
          const p = anyClause.parent as Y.XmlElement;
          const id = `cadded${rnd.int(0, 1e9)}`;
          const clause = new Y.XmlElement("clause");
          clause.setAttribute("id", id);
          const para = new Y.XmlElement("paragraph");
          para.insert(0, [new Y.XmlText("An added clause")]);
          clause.insert(0, [para]);
          p.insert(rnd.int(0, p.length), [clause]);
          world.added.push(id);
        },
      }),
    ],
    [
      1,
      () => {
        const mine = world.added.map((id) => byId(doc, id)).filter(Boolean);
        if (mine.length === 0) return { kind: "type", expect: "keep", apply: () => textOf(rnd.pick(free)).insert(0, "t ") };
        const target = rnd.pick(mine);
        return {
          kind: "delete an added clause",
          expect: "keep",
          apply: () => {
            const p = target.parent as Y.XmlElement;
            p.delete(p.toArray().indexOf(target), 1);
          },
        };
      },
    ],
  ];
  let pick = rnd.next() * ops.reduce((s, [w]) => s + w, 0);
  for (const [w, make] of ops) {
    if (pick < w) return make();
    pick -= w;
  }
  return ops[0][1]();
}

const sync2 = (update: Uint8Array) => encodeMessage(0, 1, update);

/** A hostile writer's connection and its copy of the document. */
async function open(cookie: string): Promise<{ raw: RawSocket; doc: Y.Doc }> {
  const raw = openRawSocket(server.wsUrl, n.documentId, { cookie });
  await withTimeout(raw.opened, 10_000, "a hostile connection to open");
  return { raw, doc: await replicate(raw) };
}

it(
  `refuses ${totalOps} hostile structural writes while honest participants type, and the statement stays sound`,
  { timeout: 600_000 },
  async () => {
    onTestFailed(() => console.error(`hostile-writers failed with HOSTILE_SEED=${seed}`));
    const lockedIndexes = [1, n.clauses.length - 2];
    for (const i of lockedIndexes)
      expect((await n.chair.post(`/documents/${n.documentId}/states`, { clauseId: n.clauses[i].id, state: "agreed" })).status).toBe(200);
    const honestIndexes = [0, n.clauses.length - 1];
    const secretariat = await createSignedInPerson(db.sql, { conferenceId: n.conferenceId, role: "secretariat" });
    const typists: TestClient[] = [
      await connectSyncedClient(server.wsUrl, n.documentId, { cookie: n.chair.cookie }),
      await connectSyncedClient(server.wsUrl, n.documentId, { cookie: secretariat.cookie }),
    ];
    await waitFor(() => server.concord.collab.rooms.get(n.documentId)?.currentLocks.clauses.size === 2, {
      what: "the clauses to be locked",
    });
    const room = server.concord.collab.rooms.get(n.documentId)!;
    const original = await storedDoc(db.sql, n.documentId);
    const lockedIds = lockedIndexes.map((i) => n.clauses[i].id);
    const lockedSnapshot = lockedIds.map((id) => ({ id, item: byId(original, id)._item!.id, xml: byId(original, id).toJSON() }));
    const world: World = {
      locked: lockedIds,
      honest: honestIndexes.map((i) => n.clauses[i].id),
      added: [],
      honestClientIds: typists.map((t) => t.doc.clientID),
    };
    // By id, not by position: the hostile writers' new clauses move positions.
    const words: string[][] = typists.map(() => []);
    const typing = setInterval(() => {
      typists.forEach((t, i) => {
        const word = `[honest${i}-${words[i].length}]`;
        t.doc.transact(() => {
          const text = textOf(byId(t.doc, world.honest[i]));
          text.insert(text.length, ` ${word}`);
        });
        words[i].push(word);
      });
    }, 60);

    /** The invariants, on the room's copy (which holds only what is stored) or a copy loaded from PostgreSQL. */
    const sound = (doc: Y.Doc, when: string) => {
      expect(() => guard.checkDocument(doc), when).not.toThrow();
      for (const l of lockedSnapshot) {
        const copies = clauseElements(doc).filter((c) => c.getAttribute("id") === l.id);
        expect(copies, `${when}: ${l.id} exactly once`).toHaveLength(1);
        expect(Y.compareIDs(copies[0]._item!.id, l.item), `${when}: ${l.id} the same element`).toBe(true);
        expect(copies[0].toJSON(), `${when}: ${l.id} unchanged`).toBe(l.xml);
      }
    };
    const pagesOpen = async () => {
      for (const path of ["", "/compilation", "/export?format=docx", "/export?format=html", "/history"]) {
        expect((await n.chair.get(`/documents/${n.documentId}${path}`)).status, `GET ${path}`).toBe(200);
      }
    };

    let done = 0;
    const counts = new Map<string, number>();
    await Promise.all(
      Array.from({ length: workers }, async (_, w) => {
        const rnd = seededRandom((seed + w * 7919) >>> 0);
        const hostile = await createSignedInPerson(db.sql, { conferenceId: n.conferenceId, role: "secretariat" });
        let conn = await open(hostile.cookie);
        while (done < totalOps) {
          done++;
          const foreign = rnd.chance(0.08);
          const op: Op = foreign
            ? { kind: "foreign client id", expect: "either", apply: (d) => textOf(rnd.pick(clauseElements(d))).insert(0, "forged ") }
            : generate(rnd, world, conn.doc);
          counts.set(op.kind, (counts.get(op.kind) ?? 0) + 1);
          let doc = conn.doc;
          if (foreign) {
            // A copy of the document as it is now, writing under an honest typist's client id at the clock they use next.
            // (Set after applying: Yjs picks a new id for a document that receives structures under its own.)
            doc = new Y.Doc();
            Y.applyUpdate(doc, Y.encodeStateAsUpdate(room.doc));
            doc.clientID = rnd.pick(world.honestClientIds);
          }
          const before = Y.encodeStateVector(doc);
          doc.transact(() => op.apply(doc));
          conn.raw.ws.send(sync2(Y.encodeStateAsUpdate(doc, before)));
          const answered = await rawRoundTrip(conn.raw).then(
            () => true,
            () => false,
          );
          if (op.expect === "keep") {
            expect(answered, `a valid ${op.kind} was refused`).toBe(true);
          } else if (!answered || op.expect !== "either") {
            expect(answered, `${op.kind} was accepted`).toBe(false);
            const { code } = await withTimeout(conn.raw.closed, 10_000, "the refusal");
            expect(code, op.kind).toBe(op.expect === "either" ? closeCodes.malformed : op.expect);
            conn = await open(hostile.cookie);
          }
          expect(statementText(room.doc), "forged text").not.toContain("forged");
          sound(room.doc, `after ${op.kind} (#${done})`);
          if (done % 250 === 0) {
            await room.drain();
            sound(await storedDoc(db.sql, n.documentId), `stored, after #${done}`);
            await pagesOpen();
          }
        }
        conn.raw.ws.close();
      }),
    );

    clearInterval(typing);
    for (const t of typists) await waitFor(() => t.isSaved(), { what: "the honest typists' edits to be acknowledged" });
    await room.drain();
    const stored = await storedDoc(db.sql, n.documentId);
    sound(stored, "at the end");
    const text = statementText(stored);
    for (const word of words.flat()) expect(text, "an honest, acknowledged word").toContain(word);
    expect(text).not.toContain("forged");
    await pagesOpen();
    console.log(`hostile writers, seed ${seed}: ${done} operations; ${[...counts].map(([k, c]) => `${k}: ${c}`).join(", ")}`);
  },
);
