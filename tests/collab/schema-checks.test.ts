import { beforeAll, expect, it } from "vitest";
import * as Y from "yjs";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { startTestServer, type TestServer } from "../support/server";
import { connectSyncedClient, roundTrip, withTimeout, type TestClient } from "../support/clients";
import { clauseElements, sameContent, statementFragment, storedDoc } from "../support/statement";
import { closeCodes } from "../../app/statement/protocol";
import { SchemaGuard } from "../../server/collab/schema-guard";
import { statementModel } from "../../server/collab/document-models";
import { createStatement } from "../support/factories";

let db: TestDatabase;
let server: TestServer;
let documentId: string;
let cookie: string;
let watcher: TestClient;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer({ databaseUrl: db.url });
  ({ documentId, cookie } = await createStatement(db.sql));
  watcher = await connectSyncedClient(server.wsUrl, documentId, { cookie });
});

const firstClause = (doc: Y.Doc) => clauseElements(doc)[0];
const firstParagraph = (doc: Y.Doc) => firstClause(doc).get(0) as Y.XmlElement;

/**
 * A writer's change that breaks the statement's schema: its connection is closed with 4422 and a
 * reason, nothing of it is stored or relayed, and every page of the statement still opens.
 */
async function refused(change: (doc: Y.Doc) => void, why: RegExp) {
  const before = await storedDoc(db.sql, documentId);
  const writer = await connectSyncedClient(server.wsUrl, documentId, { cookie });
  const closed = withTimeout(
    new Promise<{ code: number; reason: string }>((resolve) => writer.provider.on("closed", resolve)),
    10_000,
    "the server to refuse the change",
  );
  writer.doc.transact(() => change(writer.doc));
  const { code, reason } = await closed;
  expect(code).toBe(closeCodes.schemaViolation);
  expect(reason).toMatch(why);
  await roundTrip(watcher);
  const stored = await storedDoc(db.sql, documentId);
  expect(sameContent(stored, before)).toBe(true);
  expect(sameContent(watcher.doc, before)).toBe(true);
  expect(() => new SchemaGuard(statementModel).checkDocument(stored)).not.toThrow();
  for (const path of [`/documents/${documentId}`, `/documents/${documentId}/compilation`, `/documents/${documentId}/export?format=docx`]) {
    expect((await fetch(`${server.url}${path}`, { headers: { cookie } })).status, path).toBe(200);
  }
}

it("refuses an unknown element under the root", () =>
  refused((doc) => statementFragment(doc).insert(1, [new Y.XmlElement("script")]), /unknown element <script>/));

it("refuses a clause outside the parts", () =>
  refused((doc) => statementFragment(doc).insert(3, [firstClause(doc).clone()]), /<clause> is not allowed in <doc>/));

it("refuses paragraphs nested thousands deep", () =>
  refused((doc) => {
    let at = firstClause(doc);
    for (let i = 0; i < 2000; i++) {
      const p = new Y.XmlElement("paragraph");
      at.insert(0, [p]);
      at = p;
    }
  }, /nested too deeply|not allowed/));

it("refuses an attribute the schema does not have, and an id of the wrong shape", async () => {
  await refused((doc) => firstClause(doc).setAttribute("onclick", "alert(1)"), /attribute "onclick" is not allowed/);
  await refused((doc) => firstClause(doc).setAttribute("id", "<img src=x>"), /attribute "id" of <clause> has an invalid value/);
});

it("refuses an unknown mark, and embedded content, in a clause's text", async () => {
  await refused((doc) => (firstParagraph(doc).get(0) as Y.XmlText).format(0, 3, { link: { href: "javascript:alert(1)" } }), /mark "link"/);
  await refused((doc) => (firstParagraph(doc).get(0) as Y.XmlText).insertEmbed(0, { image: "x" }), /embedded content/);
});

it("refuses a clause longer than the bound, and content outside the statement", async () => {
  await refused((doc) => (firstParagraph(doc).get(0) as Y.XmlText).insert(0, "x".repeat(20_001)), /clause is too long/);
  await refused((doc) => doc.getMap("elsewhere").set("payload", "x".repeat(1000)), /content outside the document/);
});

it("refuses emptying a part (a part holds at least one clause)", () =>
  refused((doc) => {
    const operative = statementFragment(doc).get(2) as Y.XmlElement;
    operative.delete(0, operative.length);
  }, /<operative> is incomplete/));
