import { afterAll, beforeAll, describe, expect, it } from "vitest";
import JSZip from "jszip";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { startTestServer, type TestServer } from "../support/server";
import { storedDoc, clauseTexts } from "../support/statement";
import { zipText } from "../support/zip";
import { buildExportModel } from "../../server/export/model";
import { statementDocx } from "../../server/export/docx";
import { demoDoc } from "./fixtures";
import { validateAkn } from "./akn-schema";
import { readStatement } from "../../server/negotiation/numbering";
import { createSignedInPerson, createStatement } from "../support/factories";
import { csrfTokenFor } from "../support/http";

let db: TestDatabase;
let server: TestServer;
let ids: { documentId: string; conferenceId: string; chair: string; secretariat: string; delegate: string; outsider: string };

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer({ databaseUrl: db.url });
  const fixture = await createStatement(db.sql);
  const other = await createStatement(db.sql);
  ids = {
    documentId: fixture.documentId,
    conferenceId: fixture.conferenceId,
    chair: fixture.cookie,
    secretariat: (await createSignedInPerson(db.sql, { conferenceId: fixture.conferenceId, role: "secretariat" })).cookie,
    delegate: (await createSignedInPerson(db.sql, { conferenceId: fixture.conferenceId, role: "delegate" })).cookie,
    outsider: other.cookie,
  };
});

afterAll(async () => {
  await server?.close();
});

const get = (path: string, cookie: string) => fetch(`${server.url}${path}`, { headers: { cookie }, redirect: "manual" });

describe("export route", () => {
  it("gives the chair the current text as Word, named after conference, document and version", async () => {
    const res = await get(`/documents/${ids.documentId}/export?format=docx`, ids.chair);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("wordprocessingml");
    expect(res.headers.get("content-disposition")).toBe(
      `attachment; filename="test-conference_test-statement_current_clean.docx"; filename*=UTF-8''test-conference_test-statement_current_clean.docx`,
    );
    const xml = await zipText(Buffer.from(await res.arrayBuffer()), "word/document.xml");
    expect(xml).toContain("Reaffirm");
  });

  it("serves every format to the secretariat, a draft with its watermark, and refuses unknown formats", async () => {
    for (const [format, type] of [
      ["pdf", "application/pdf"],
      ["html", "text/html"],
      ["md", "text/markdown"],
      ["akn", "application/akn+xml"],
      ["compilation", "wordprocessingml"],
    ]) {
      const res = await get(`/documents/${ids.documentId}/export?format=${format}`, ids.secretariat);
      expect(res.status, format).toBe(200);
      expect(res.headers.get("content-type")).toContain(type);
    }
    // Akoma Ntoso names the Work after the statement's creation, the same in every version.
    const akn = await (await get(`/documents/${ids.documentId}/export?format=akn`, ids.secretariat)).text();
    const [{ created }] = await db.sql<{ created: Date }[]>`select created_at as created from documents where id = ${ids.documentId}`;
    const day = created.toISOString().slice(0, 10);
    expect(akn).toContain(`<FRBRuri value="/akn/un/statement/deliberation/test-conference/${day}/test-statement"/>`);
    expect((await validateAkn(akn)).ok).toBe(true);
    const draft = await get(`/documents/${ids.documentId}/export?format=docx&draft=1`, ids.chair);
    const zip = await JSZip.loadAsync(Buffer.from(await draft.arrayBuffer()));
    expect(await zip.file("word/header1.xml")!.async("string")).toContain("DRAFT");
    expect((await get(`/documents/${ids.documentId}/export?format=exe`, ids.chair)).status).toBe(400);
  });

  it("brackets a clause under negotiation in a draft, never in the final text", async () => {
    const { clauses } = await readStatement(db.sql, ids.documentId);
    const op1 = clauses.find((c) => c.label === "OP1")!;
    await db.sql`insert into clause_states (document_id, clause_id, state) values (${ids.documentId}, ${op1.id}, 'under_negotiation')`;
    const opening = op1.text.split(" ").slice(1, 4).join(" ");
    const draft = await (await get(`/documents/${ids.documentId}/export?format=md&draft=1`, ids.chair)).text();
    const final = await (await get(`/documents/${ids.documentId}/export?format=md`, ids.chair)).text();
    const lineOf = (md: string) => md.split("\n").find((l) => l.includes(opening))!;
    expect(lineOf(draft)).toMatch(/\[.*\]/);
    expect(lineOf(final)).not.toContain("[");
    const akn = await (await get(`/documents/${ids.documentId}/export?format=akn&draft=1`, ids.chair)).text();
    expect(akn).toMatch(/<paragraph eId="para_1" wId="para_[^"]+"><num>1\.<\/num><content><p><inline name="brackets">\[<i>/);
    expect((await validateAkn(akn)).ok).toBe(true);
  });

  it("serves a delegate (their delegation takes the draft home) and refuses someone from another conference (404)", async () => {
    expect((await get(`/documents/${ids.documentId}/export?format=docx`, ids.delegate)).status).toBe(200);
    expect((await get(`/documents/${ids.documentId}/export?format=docx`, ids.outsider)).status).toBe(404);
  });
});

describe("import route", () => {
  const path = () => `/conferences/${ids.conferenceId}/import`;
  const countDocuments = async () =>
    (await db.sql`select count(*)::int as n from documents where conference_id = ${ids.conferenceId}`)[0].n as number;

  async function upload(cookie: string, file: Blob, name: string) {
    const body = new FormData();
    body.append("csrf", await csrfTokenFor(server.url, cookie));
    body.append("intent", "preview");
    body.append("file", file, name);
    return fetch(`${server.url}${path()}`, { method: "POST", headers: { cookie }, body, redirect: "manual" });
  }

  const docx = async () => new Blob([new Uint8Array(await statementDocx(buildExportModel(demoDoc(), { final: true })))]);

  it("previews an uploaded Word draft without saving it, then creates the statement on confirmation", async () => {
    const before = await countDocuments();
    const res = await upload(ids.secretariat, await docx(), "zero-draft.docx");
    expect(res.status).toBe(200);
    // React separates text and values with comments in server-rendered HTML.
    const html = (await res.text()).replace(/<!-- -->/g, "");
    expect(html).toContain("Preambular part (7)");
    expect(html).toContain("Operative part (7)");
    expect(await countDocuments()).toBe(before);

    const payload = /name="statement" value="([^"]*)"/
      .exec(html)![1]
      .replace(/&quot;/g, '"')
      .replace(/&#x27;/g, "'")
      .replace(/&amp;/g, "&")
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">");
    const form = new URLSearchParams({
      csrf: await csrfTokenFor(server.url, ids.secretariat),
      intent: "create",
      title: "Imported statement",
      statement: payload,
    });
    const created = await fetch(`${server.url}${path()}`, {
      method: "POST",
      headers: { cookie: ids.secretariat },
      body: form,
      redirect: "manual",
    });
    expect(created.status).toBe(302);
    const documentId = /\/documents\/([0-9a-f-]+)$/.exec(created.headers.get("location") ?? "")![1];
    expect(await countDocuments()).toBe(before + 1);
    const texts = clauseTexts(await storedDoc(db.sql, documentId));
    expect(texts).toHaveLength(14);
    expect(texts[7]).toMatch(/^Reaffirm that humanitarian demining/);
  });

  it("refuses a forged preview, a file of the wrong type, garbage named .docx and an oversized file with a clear 400", async () => {
    const before = await countDocuments();
    const forged = new URLSearchParams({
      csrf: await csrfTokenFor(server.url, ids.secretariat),
      intent: "create",
      title: "Forged",
      statement: JSON.stringify({ title: "x", preamble: [{ runs: [{ text: "a", script: "<x>" }], items: [] }], operative: [] }),
    });
    const res = await fetch(`${server.url}${path()}`, {
      method: "POST",
      headers: { cookie: ids.secretariat },
      body: forged,
      redirect: "manual",
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("The preview could not be read");

    const pdf = await upload(ids.secretariat, new Blob(["%PDF-1.4"]), "draft.pdf");
    expect(pdf.status).toBe(400);
    expect(await pdf.text()).toContain("Only Word (.docx) and Markdown (.md) files can be imported.");
    const garbage = await upload(ids.secretariat, new Blob(["not a zip at all"]), "draft.docx");
    expect(garbage.status).toBe(400);
    expect(await garbage.text()).toContain("This is not a Word (.docx) document.");
    const zipGarbage = await upload(
      ids.secretariat,
      new Blob([new Uint8Array(await new JSZip().file("x.txt", "hi").generateAsync({ type: "uint8array" }))]),
      "draft.docx",
    );
    expect(zipGarbage.status).toBe(400);
    expect(await zipGarbage.text()).toContain("could not be read");
    expect(await countDocuments()).toBe(before);
  });

  it("is for the secretariat only: the chair gets 403", async () => {
    // (A small file: the refusal comes before the upload is read.)
    expect((await get(path(), ids.chair)).status).toBe(403);
    expect((await upload(ids.chair, new Blob(["# T\n\nRecalling x,\n\n1. Decide y."]), "zero-draft.md")).status).toBe(403);
  });

  // Last: the server stops reading an oversized upload, which ends that connection.
  it("refuses an upload over 5 MB with 413 and saves nothing", async () => {
    const before = await countDocuments();
    const huge = await upload(ids.secretariat, new Blob([new Uint8Array(6 * 1024 * 1024).fill(65)]), "draft.md");
    expect(huge.status).toBe(413);
    expect(await huge.text()).toContain("larger than 5 MB");
    expect(await countDocuments()).toBe(before);
  });
});
