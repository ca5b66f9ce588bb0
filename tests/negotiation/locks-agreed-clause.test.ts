import { describe, expect, it, type FileFixtures } from "../support/fixtures";
import * as Y from "yjs";
import { connectSyncedClient, roundTrip, waitFor, withTimeout, type TestClient } from "../support/clients";
import { createNegotiation, type NegotiationFixture } from "../support/negotiation";
import { clauseElements, clauseTexts, statementText, storedDoc, typeInClause } from "../support/statement";
import { closeCodes } from "../../app/statement/protocol";

let n: NegotiationFixture;
/** Connected throughout: sees what the server relays. */
let watcher: TestClient;

it.beforeAll(async ({ db, server }) => {
  n = await createNegotiation(db.sql, server.url);
  watcher = await connect({ server });
});

const connect = ({ server }: Pick<FileFixtures, "server">) => connectSyncedClient(server.wsUrl, n.documentId, { cookie: n.chair.cookie });
const setState = async (clause: number, state: string) => {
  expect((await n.chair.post(`/documents/${n.documentId}/states`, { clauseId: n.clauses[clause].id, state })).status).toBe(200);
};
/** Waits until this instance's room has applied the lock change (it hears of it through PostgreSQL). */
const roomLocked = ({ server }: Pick<FileFixtures, "server">, clause: number, locked: boolean) =>
  waitFor(() => server.concord.collab.rooms.get(n.documentId)?.currentLocks.clauses.has(n.clauses[clause].id) === locked, {
    what: `clause ${clause} ${locked ? "locked" : "unlocked"} in the room`,
  });
const closedWith = (client: TestClient) =>
  withTimeout(
    new Promise<{ code: number; reason: string }>((resolve) => client.provider.on("closed", resolve)),
    10_000,
    "the server to close the connection",
  );
const storedText = async ({ db }: Pick<FileFixtures, "db">) => statementText(await storedDoc(db.sql, n.documentId));
const clauseIndex = (doc: Y.Doc, id: string) => clauseElements(doc).findIndex((c) => c.getAttribute("id") === id);

describe("an agreed clause's text is locked on the collaboration server", () => {
  it("refuses an edit to the agreed clause: never stored, never relayed, and the writer is told why", async ({ db, server }) => {
    const writer = await connect({ server });
    await setState(0, "agreed");
    await roomLocked({ server }, 0, true);

    const closed = closedWith(writer);
    typeInClause(writer.doc, 0, " [forbidden edit]");
    const { code, reason } = await closed;
    expect(code).toBe(closeCodes.clauseLocked);
    expect(reason).toContain("agreed");

    await roundTrip(watcher);
    expect(statementText(watcher.doc)).not.toContain("[forbidden edit]");
    expect(await storedText({ db })).not.toContain("[forbidden edit]");
  });

  it("lets a fresh connection edit another clause, relayed to everyone and stored", async ({ db, server }) => {
    const writer = await connect({ server });
    typeInClause(writer.doc, 1, " [allowed edit]");
    await waitFor(() => writer.isSaved(), { what: "the edit to be saved" });
    await waitFor(() => clauseTexts(watcher.doc)[1].includes("[allowed edit]"), { what: "the edit to reach the watcher" });
    expect(await storedText({ db })).toContain("[allowed edit]");
  });

  it("refuses deleting the agreed clause", async ({ db, server }) => {
    const writer = await connect({ server });
    const closed = closedWith(writer);
    writer.doc.transact(() => {
      const clause = clauseElements(writer.doc)[0];
      (clause.parent as Y.XmlElement).delete(0, 1);
    });
    expect((await closed).code).toBe(closeCodes.clauseLocked);
    await roundTrip(watcher);
    expect(clauseIndex(watcher.doc, n.clauses[0].id)).toBe(0);
    expect(clauseIndex(await storedDoc(db.sql, n.documentId), n.clauses[0].id)).toBe(0);
  });

  /** The text of a clause's first paragraph. */
  const textOf = (clause: Y.XmlElement) => (clause.get(0) as Y.XmlElement).get(0) as Y.XmlText;

  /** A writer's change that the server must refuse as touching the agreed clause (clause 0). */
  const refusedChange = async (
    { db, server }: Pick<FileFixtures, "db" | "server">,
    change: (doc: Y.Doc, part: Y.XmlElement, agreed: Y.XmlElement) => void,
  ) => {
    const writer = await connect({ server });
    const closed = closedWith(writer);
    writer.doc.transact(() => {
      const agreed = clauseElements(writer.doc)[0];
      change(writer.doc, agreed.parent as Y.XmlElement, agreed);
    });
    expect((await closed).code).toBe(closeCodes.clauseLocked);
    await roundTrip(watcher);
    for (const doc of [watcher.doc, await storedDoc(db.sql, n.documentId)]) {
      expect(clauseElements(doc).filter((c) => c.getAttribute("id") === n.clauses[0].id)).toHaveLength(1);
      expect(clauseIndex(doc, n.clauses[0].id)).toBe(0);
      expect(clauseTexts(doc)[0]).toBe(n.clauses[0].text);
    }
  };

  it("refuses the agreed clause moved, even intact: it is the same element in the same place or nothing", ({ db, server }) =>
    refusedChange({ db, server }, (_doc, part, agreed) => {
      part.insert(2, [agreed.clone()]);
      part.delete(0, 1);
    }));

  it("refuses a look-alike: the agreed clause replaced by new words under its id, the original parked elsewhere", ({ db, server }) =>
    refusedChange({ db, server }, (_doc, part, agreed) => {
      part.insert(1, [agreed.clone()]);
      textOf(part.get(1) as Y.XmlElement).insert(0, "Rewritten: ");
      part.delete(0, 1);
      part.insert(part.length, [agreed.clone()]);
    }));

  it("refuses a copy of the agreed clause's id anywhere else in the document", ({ db, server }) =>
    refusedChange({ db, server }, (_doc, part, agreed) => {
      part.insert(part.length, [agreed.clone()]);
      textOf(part.get(part.length - 1) as Y.XmlElement).insert(0, "Impostor ");
    }));

  it("refuses changing another clause's id to the agreed clause's", ({ db, server }) =>
    refusedChange({ db, server }, (_doc, part) => (part.get(1) as Y.XmlElement).setAttribute("id", n.clauses[0].id)));

  it("still accepts a new clause right after the agreed one", async ({ db, server }) => {
    const writer = await connect({ server });
    writer.doc.transact(() => {
      const agreed = clauseElements(writer.doc)[0];
      const part = agreed.parent as Y.XmlElement;
      part.insert(1, [agreed.clone()]);
      const fresh = part.get(1) as Y.XmlElement;
      fresh.setAttribute("id", "cnewclause0001");
      textOf(fresh).insert(0, "[new neighbour] ");
    });
    await waitFor(() => writer.isSaved(), { what: "the new clause to be saved" });
    expect(writer.provider.wsconnected).toBe(true);
    expect(clauseTexts(await storedDoc(db.sql, n.documentId))[1]).toContain("[new neighbour]");
  });

  it("keeps the server's own changes (a chair's decision) working while clauses are locked", async ({ db, server }) => {
    await server.concord.collab.changeDocument(n.documentId, (doc) => typeInClause(doc, 2, " [server change]"));
    await waitFor(() => statementText(watcher.doc).includes("[server change]"), { what: "the server's change to reach the watcher" });
    expect(await storedText({ db })).toContain("[server change]");
  });

  it("allows edits to the clause again once the chair reopens it", async ({ db, server }) => {
    await setState(0, "open");
    await roomLocked({ server }, 0, false);
    const writer = await connect({ server });
    const at = clauseIndex(writer.doc, n.clauses[0].id);
    typeInClause(writer.doc, at, " [after reopening]");
    await waitFor(() => writer.isSaved(), { what: "the edit to be saved" });
    await waitFor(() => statementText(watcher.doc).includes("[after reopening]"), { what: "the edit to reach the watcher" });
    expect(await storedText({ db })).toContain("[after reopening]");
  });

  it("loads the locks with the room: a clause agreed while nobody had the statement open is locked", async ({ db, server }) => {
    await setState(3, "agreed");
    // Everyone leaves: the room is released, and the next connection loads it afresh.
    for (const room of server.concord.collab.rooms.values()) for (const peer of [...room.peers]) peer.close(1000, "test");
    await waitFor(() => !server.concord.collab.rooms.has(n.documentId), { what: "the room to be released" });
    const writer = await connect({ server });
    expect(server.concord.collab.rooms.get(n.documentId)?.currentLocks.clauses.has(n.clauses[3].id)).toBe(true);
    const closed = closedWith(writer);
    typeInClause(writer.doc, clauseIndex(writer.doc, n.clauses[3].id), " [after reload]");
    expect((await closed).code).toBe(closeCodes.clauseLocked);
    expect(await storedText({ db })).not.toContain("[after reload]");
  });
});
