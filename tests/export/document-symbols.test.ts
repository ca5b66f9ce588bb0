import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { extractText } from "unpdf";
import { describe, expect, it } from "../support/fixtures";
import { createSignedInPerson, createStatement, type SignedInPerson } from "../support/factories";
import { csrfTokenFor } from "../support/http";
import { entriesOf, lastSeq } from "../support/audit";
import JSZip from "jszip";
import { wordParagraphs, zipText } from "../support/zip";
import { findConference } from "../../server/queries/conferences";
import { findDocument } from "../../server/queries/documents";

/**
 * The secretariat sets the conference's symbol prefix, venue and dates and each statement's symbol
 * and distribution on the conference page (refused to others, checked, audited), and every export
 * of the statement carries them: its title block, its file name, "/Rev.1" once it is Rev.1.
 */
let f: { documentId: string; conferenceId: string; chair: string; secretariat: SignedInPerson; delegate: SignedInPerson };

it.beforeAll(async ({ db }) => {
  const s = await createStatement(db.sql);
  f = {
    documentId: s.documentId,
    conferenceId: s.conferenceId,
    chair: s.cookie,
    secretariat: await createSignedInPerson(db.sql, { conferenceId: s.conferenceId, role: "secretariat" }),
    delegate: await createSignedInPerson(db.sql, { conferenceId: s.conferenceId, role: "delegate" }),
  };
});

const conferencePath = () => `/conferences/${f.conferenceId}`;
const post = async (server: { url: string }, cookie: string, path: string, fields: Record<string, string>) =>
  fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { cookie },
    body: new URLSearchParams({ csrf: await csrfTokenFor(server.url, cookie, conferencePath()), ...fields }),
    redirect: "manual",
  });
const details = { intent: "details", venue: "Baku, Azerbaijan", startsOn: "2026-05-12", endsOn: "2026-05-15", symbolPrefix: "IMAC4/2026" };
/** The text of every header of a Word file (the first page's holds the title block; a draft's others its watermark). */
const headersText = async (docx: Buffer) => {
  const zip = await JSZip.loadAsync(docx);
  const names = Object.keys(zip.files).filter((n) => /^word\/header\d+\.xml$/.test(n));
  return (await Promise.all(names.map(async (n) => wordParagraphs(await zip.file(n)!.async("string")).join("\n")))).join("\n");
};
const download = async (server: { url: string }, query: string) => {
  const res = await fetch(`${server.url}/documents/${f.documentId}/export?${query}`, { headers: { cookie: f.delegate.cookie } });
  expect(res.status, query).toBe(200);
  const filename = /filename="([^"]+)"/.exec(res.headers.get("content-disposition") ?? "")?.[1];
  return { filename, body: Buffer.from(await res.arrayBuffer()) };
};

describe("document symbols", () => {
  it("gives a statement the next L.n of its conference", async ({ db, server }) => {
    expect((await findDocument(db.sql, f.documentId))!.symbol).toBe("L.1");
    const res = await post(server, f.secretariat.cookie, conferencePath(), { title: "Second statement" });
    expect(res.status).toBe(302);
    const second = await findDocument(db.sql, res.headers.get("location")!.split("/").pop()!);
    expect(second).toMatchObject({ symbol: "L.2", distribution: "limited", addendum: null });
  });

  it("are set by the secretariat on the conference page, audited; a change to what is records nothing", async ({ db, server }) => {
    const before = await lastSeq(db.sql, f.conferenceId);
    expect((await post(server, f.secretariat.cookie, conferencePath(), details)).status).toBe(302);
    expect(await findConference(db.sql, f.conferenceId)).toMatchObject({
      venue: "Baku, Azerbaijan",
      symbolPrefix: "IMAC4/2026",
      startsOn: "2026-05-12",
      endsOn: "2026-05-15",
    });
    const symbol = { intent: "symbol", documentId: f.documentId, symbol: "L.3", addendum: "", distribution: "general" };
    expect((await post(server, f.secretariat.cookie, conferencePath(), symbol)).status).toBe(302);
    expect(await findDocument(db.sql, f.documentId)).toMatchObject({ symbol: "L.3", addendum: null, distribution: "general" });

    const [conferenceEntry] = await entriesOf(db.sql, f.conferenceId, "conference.details_changed", before);
    expect(conferenceEntry).toMatchObject({ actorId: f.secretariat.id, actorRole: "secretariat", documentId: null });
    expect(conferenceEntry.subject).toEqual({
      from: { venue: "", symbolPrefix: "", startsOn: null, endsOn: null },
      to: { venue: "Baku, Azerbaijan", symbolPrefix: "IMAC4/2026", startsOn: "2026-05-12", endsOn: "2026-05-15" },
    });
    const [documentEntry] = await entriesOf(db.sql, f.conferenceId, "document.symbol_changed", before);
    expect(documentEntry).toMatchObject({ actorId: f.secretariat.id, documentId: f.documentId });
    expect(documentEntry.subject).toEqual({
      document: "Test statement",
      from: { symbol: "L.1", distribution: "limited" },
      to: { symbol: "L.3", distribution: "general" },
    });

    const after = await lastSeq(db.sql, f.conferenceId);
    expect((await post(server, f.secretariat.cookie, conferencePath(), details)).status).toBe(302);
    expect((await post(server, f.secretariat.cookie, conferencePath(), symbol)).status).toBe(302);
    expect(await lastSeq(db.sql, f.conferenceId)).toBe(after);
    // The audit page says what changed, in words.
    const audit = await (await fetch(`${server.url}${conferencePath()}/audit`, { headers: { cookie: f.secretariat.cookie } })).text();
    expect(audit).toContain("Symbol: L.1, Distribution: limited");
    expect(audit).toContain("Venue: Baku, Azerbaijan, Last day: 2026-05-15, First day: 2026-05-12, Symbol prefix: IMAC4/2026");
    // The page shows the whole symbol.
    const page = await (await fetch(`${server.url}${conferencePath()}`, { headers: { cookie: f.secretariat.cookie } })).text();
    expect(page).toContain("IMAC4/2026/L.3");
  });

  it("refuses the chair and delegates, and bad symbols, addenda and dates with a clear error, changing nothing", async ({ db, server }) => {
    const conference = await findConference(db.sql, f.conferenceId);
    const document = await findDocument(db.sql, f.documentId);
    const seq = await lastSeq(db.sql, f.conferenceId);
    const symbol = { intent: "symbol", documentId: f.documentId, symbol: "L.9", addendum: "", distribution: "limited" };
    for (const cookie of [f.chair, f.delegate.cookie]) {
      expect((await post(server, cookie, conferencePath(), { ...details, symbolPrefix: "X/1" })).status).toBe(403);
      expect((await post(server, cookie, conferencePath(), symbol)).status).toBe(403);
    }
    const refused = async (fields: Record<string, string>, message: RegExp) => {
      const res = await post(server, f.secretariat.cookie, conferencePath(), fields);
      expect(res.status, JSON.stringify(fields)).toBe(400);
      expect(await res.text()).toMatch(message);
    };
    await refused({ ...details, symbolPrefix: "IMAC4//2026" }, /Write the symbol prefix with letters, digits/);
    await refused({ ...details, symbolPrefix: "IMAC4/<b>" }, /Write the symbol prefix with letters, digits/);
    await refused({ ...details, symbolPrefix: "A/".repeat(25) + "B" }, /Keep the symbol prefix under 40 characters/);
    await refused({ ...details, endsOn: "2026-05-01" }, /The last day cannot come before the first/);
    await refused({ ...details, startsOn: "12 May" }, /Give the first day as a date/);
    await refused({ ...symbol, symbol: "" }, /Give the statement's part of the symbol/);
    await refused({ ...symbol, symbol: "L 1" }, /Write the statement's symbol with letters, digits/);
    await refused({ ...symbol, symbol: "L.".repeat(16) }, /Keep the statement's symbol under 30 characters/);
    await refused({ ...symbol, addendum: "0" }, /An addendum is numbered 1 to 99/);
    await refused({ ...symbol, distribution: "restricted" }, /Choose the distribution: general or limited/);
    // A statement of another conference is not this conference's to name.
    const other = await createStatement(db.sql);
    const res = await post(server, f.secretariat.cookie, conferencePath(), { ...symbol, documentId: other.documentId });
    expect(res.status).toBe(404);
    expect(await res.text()).toContain("There is no such statement in this conference.");
    expect((await findDocument(db.sql, other.documentId))!.symbol).toBe("L.1");

    expect(await findConference(db.sql, f.conferenceId)).toEqual(conference);
    expect(await findDocument(db.sql, f.documentId)).toEqual(document);
    expect(await lastSeq(db.sql, f.conferenceId)).toBe(seq);
  });

  it("print in the title block of Word, PDF and HTML, name the files, and gain /Rev.1 with the named revision", async ({ server }) => {
    const word = await download(server, "format=docx");
    expect(word.filename).toBe("IMAC4-2026-L.3_current_clean.docx");
    // The title block is the first page's header, so that the text an import reads stays the statement's.
    const header = await headersText(word.body);
    expect(header).toContain("Test conferenceBaku, Azerbaijan, 12–15 May 2026");
    expect(header).toMatch(/IMAC4\/2026\/L\.3Distr\.: General\d{1,2} \w+ \d{4}Original: English/);
    expect(await zipText(word.body, "word/document.xml")).toContain("<w:titlePg/>");
    expect(await zipText(word.body, "word/styles.xml")).toContain('<w:lang w:val="en"/>');

    // The chair saves Rev.1: the current text is that revision, and says so in its symbol and name.
    const history = `/documents/${f.documentId}/history`;
    const saved = await fetch(`${server.url}${history}`, {
      method: "POST",
      headers: { cookie: f.chair },
      body: new URLSearchParams({ csrf: await csrfTokenFor(server.url, f.chair, history), intent: "create", name: "Rev.1" }),
      redirect: "manual",
    });
    expect(saved.status).toBe(200);
    const rev = await download(server, "format=docx&draft=1");
    expect(rev.filename).toBe("IMAC4-2026-L.3-Rev.1_draft.docx");
    expect(await headersText(rev.body)).toContain("IMAC4/2026/L.3/Rev.1");

    const pdf = await download(server, "format=pdf");
    expect(pdf.filename).toBe("IMAC4-2026-L.3-Rev.1_clean.pdf");
    const { text } = await extractText(new Uint8Array(pdf.body), { mergePages: true });
    for (const line of [
      "Test conference",
      "Baku, Azerbaijan, 12–15 May 2026",
      "IMAC4/2026/L.3/Rev.1",
      "Distr.: General",
      "Original: English",
    ])
      expect(text).toContain(line);
    expect(text.indexOf("IMAC4/2026/L.3/Rev.1")).toBeLessThan(text.indexOf("Reaffirm"));

    const html = (await download(server, "format=html")).body.toString("utf8");
    expect(html).toContain('<html lang="en">');
    expect(html).toMatch(
      /<header class="title-block">[\s\S]*<p class="symbol">IMAC4\/2026\/L\.3\/Rev\.1<\/p>[\s\S]*Original: English[\s\S]*<\/header>/,
    );

    // Akoma Ntoso: the symbol numbers the Work (AKN4UN's "/" as "-"); its revisions are expressions of it.
    const akn = (await download(server, "format=akn")).body.toString("utf8");
    expect(akn).toMatch(/<FRBRWork><FRBRthis value="\/akn\/un\/statement\/deliberation\/[^"]+\/IMAC4-2026-L\.3\/!main"/);
    expect(akn).toMatch(/<FRBRnumber value="IMAC4-2026-L\.3" showAs="IMAC4\/2026\/L\.3"\/>/);
  });

  it("makes a Word file LibreOffice opens, showing the title block and lettered sub-items", async ({ server }) => {
    const { body } = await download(server, "format=docx&draft=1");
    const dir = await mkdtemp(join(tmpdir(), "concord-lo-"));
    try {
      await writeFile(join(dir, "statement.docx"), body);
      await promisify(execFile)(
        "soffice",
        [`-env:UserInstallation=file://${dir}/profile`, "--headless", "--convert-to", "pdf", "--outdir", dir, join(dir, "statement.docx")],
        { timeout: 120_000 },
      );
      const { text } = await extractText(new Uint8Array(await readFile(join(dir, "statement.pdf"))), { mergePages: true });
      expect(text).toContain("IMAC4/2026/L.3/Rev.1");
      expect(text).toContain("Original: English");
      expect(text).toMatch(/\(a\)\s+artificial intelligence/);
      expect(text).toMatch(/\(d\)\s+modern mechanical clearance assets/);
      expect(text).not.toContain("•");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
