import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { startTestServer, type TestServer } from "../support/server";
import { craftZip, zipEntries, type CraftedEntry } from "../support/zip";
import { buildExportModel } from "../../server/export/model";
import { statementDocx } from "../../server/export/docx";
import { demoDoc } from "./fixtures";
import { createSignedInPerson, createStatement } from "../support/factories";
import { csrfTokenFor, fieldErrors } from "../support/http";

/**
 * A .docx is a zip archive, and a small one can unpack to hundreds of megabytes. The import
 * refuses, with the reason next to the file field, an archive whose parts are too many, whose
 * declared sizes are over 40 MB together, or whose parts unpack to more than they declare.
 */

let db: TestDatabase;
let server: TestServer;
let conferenceId: string;
let secretariat: string;
let word: CraftedEntry[];

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer({ databaseUrl: db.url });
  const fixture = await createStatement(db.sql);
  conferenceId = fixture.conferenceId;
  secretariat = (await createSignedInPerson(db.sql, { conferenceId, role: "secretariat" })).cookie;
  word = await zipEntries(await statementDocx(buildExportModel(demoDoc(), { final: true })));
});

const countDocuments = async () =>
  (await db.sql`select count(*)::int as n from documents where conference_id = ${conferenceId}`)[0].n as number;

async function upload(archive: Buffer | string, fileName = "zero-draft.docx"): Promise<{ status: number; html: string }> {
  const body = new FormData();
  body.append("csrf", await csrfTokenFor(server.url, secretariat));
  body.append("intent", "preview");
  body.append("file", new Blob([typeof archive === "string" ? archive : new Uint8Array(archive)]), fileName);
  const res = await fetch(`${server.url}/conferences/${conferenceId}/import`, {
    method: "POST",
    headers: { cookie: secretariat },
    body,
    redirect: "manual",
  });
  return { status: res.status, html: await res.text() };
}

/** The Word document with 64 MB of spaces after its body's XML: valid, and under 100 KB packed. */
function padded(declaredSize?: (real: number) => number): CraftedEntry[] {
  return word.map((e) => {
    if (e.name !== "word/document.xml") return e;
    const data = Buffer.concat([e.data, Buffer.alloc(64 * 1024 * 1024, " ")]);
    return { ...e, data, declaredSize: declaredSize?.(data.length) };
  });
}

describe("importing a Word document that unpacks to too much", () => {
  it("still imports an ordinary document made the same way", async () => {
    const { status, html } = await upload(craftZip(word));
    expect(status).toBe(200);
    expect(html.replace(/<!-- -->/g, "")).toContain("Operative part (7)");
  });

  it("refuses a zip bomb that declares its size, before unpacking it, with the reason next to the file field", async () => {
    const bomb = craftZip(padded());
    expect(bomb.length).toBeLessThan(200 * 1024);
    const before = await countDocuments();
    const { status, html } = await upload(bomb);
    expect(status).toBe(400);
    expect(fieldErrors(html, "file")).toEqual([
      "The Word document unpacks to more than 40 MB, more than a statement can be. It was not imported.",
    ]);
    expect(await countDocuments()).toBe(before);
  });

  it("refuses a zip bomb that declares a small size, by stopping the unpacking at that size", async () => {
    const { status, html } = await upload(craftZip(padded(() => 200_000)));
    expect(status).toBe(400);
    expect(fieldErrors(html, "file")).toEqual([
      "The Word document unpacks to more than it declares, as zip bombs do. It was not imported.",
    ]);
  });

  it("refuses an archive of more than 1,000 parts", async () => {
    const many = [...word, ...Array.from({ length: 1000 }, (_, i) => ({ name: `customXml/item${i}.xml`, data: Buffer.from("<a/>") }))];
    const { status, html } = await upload(craftZip(many));
    expect(status).toBe(400);
    expect(fieldErrors(html, "file")).toEqual([
      `The Word document holds ${many.length} parts, more than the 1000 a document may have. It was not imported.`,
    ]);
  });
});

describe("importing a draft beyond a statement's bounds", () => {
  it("refuses a clause longer than a clause may be, which could not be edited once stored", async () => {
    // Each run of text within the import's own limits; together, longer than a clause may be.
    const draft = `Recalling the work done,\n\n1. Decides ${`*to act* ${"without delay ".repeat(8)}`.repeat(220)}.\n`;
    const before = await countDocuments();
    const { status, html } = await upload(draft, "zero-draft.md");
    expect(status).toBe(400);
    expect(fieldErrors(html, "file")).toEqual(["The draft cannot be imported: a clause is too long."]);
    expect(await countDocuments()).toBe(before);
  });
});
