import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AlignmentType, Document, HeadingLevel, LevelFormat, Packer, Paragraph, TextRun } from "docx";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { startTestServer, type TestServer } from "../support/server";
import { createConference, createSignedInPerson } from "../support/factories";
import { csrfTokenFor } from "../support/http";
import { negotiationMarks } from "../../server/negotiation/marks";
import { compileStatement } from "../../server/negotiation/compilation";
import { withdrawProposal } from "../../server/negotiation/proposals";
import { findDocument } from "../../server/queries/documents";

/**
 * Zero drafts from more than one producer, imported through the page as the secretariat does:
 * Word files written by LibreOffice (from HTML, with typed numbers and with Word's automatic
 * numbering) and by the `docx` package (real numbering definitions), and Markdown. Each has part
 * headings, a "2 bis." clause, an alternative to clause 5 and lettered sub-items; the statement
 * created must have the right parts and labels, the alternative open on OP5 in the chair's name,
 * and no heading as a clause.
 */

let db: TestDatabase;
let server: TestServer;
let conferenceId: string;
let secretariat: { id: string; cookie: string };
let libreOffice: { typed: Buffer; automatic: Buffer };
let work: string;

/** The same draft, written as each producer would. */
const typedHtml = `<html><body>
<h1>Draft Joint Statement of the Conference</h1>
<h2>Preamble</h2>
<p><i>Recalling</i> the 2024 outcome,</p>
<p><i>Noting</i> the costs,</p>
<h2>Operative part</h2>
<p>1. <i>Decide</i> to act;</p>
<p>2. <i>Request</i> the secretariat:</p>
<p>(a) to report;</p>
<p>(b) to consult;</p>
<p>2 bis. <i>Invite</i> donors to contribute;</p>
<p>3. <i>Urge</i> all States;</p>
<p>4. <i>Welcome</i> progress;</p>
<p>5. <i>Encourage</i> cooperation;</p>
<p>5 alt. <i>Call upon</i> all parties to cooperate;</p>
<p>6. <i>Decide</i> to remain seized of the matter.</p>
</body></html>`;

// LibreOffice turns <ol> into Word list numbering; the typed 2 bis and [5 alt] split the list.
const automaticHtml = `<html><body>
<p><b>Draft Joint Statement of the Conference</b></p>
<p><b>PREAMBULAR PART</b></p>
<p><i>Recalling</i> the 2024 outcome,</p>
<p><i>Noting</i> the costs,</p>
<p><b>Operative paragraphs:</b></p>
<ol>
<li><i>Decide</i> to act;</li>
<li><i>Request</i> the secretariat:<ol type="a"><li>to report;</li><li>to consult;</li></ol></li>
</ol>
<p>2 bis. <i>Invite</i> donors to contribute;</p>
<ol start="3"><li><i>Urge</i> all States;</li><li><i>Welcome</i> progress;</li><li><i>Encourage</i> cooperation;</li></ol>
<p>[5 alt] <i>Call upon</i> all parties to cooperate;</p>
<ol start="6"><li><i>Decide</i> to remain seized of the matter.</li></ol>
</body></html>`;

function docxPackageDraft(): Promise<Buffer> {
  const numbered = (level: number, ...children: TextRun[]) => new Paragraph({ numbering: { reference: "ops", level }, children });
  const op = (verb: string, rest: string) => numbered(0, new TextRun({ text: verb, italics: true }), new TextRun(rest));
  const doc = new Document({
    numbering: {
      config: [
        {
          reference: "ops",
          levels: [
            { level: 0, format: LevelFormat.DECIMAL, text: "%1.", alignment: AlignmentType.START },
            { level: 1, format: LevelFormat.LOWER_LETTER, text: "(%2)", alignment: AlignmentType.START },
          ],
        },
      ],
    },
    sections: [
      {
        children: [
          new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun("Draft Joint Statement of the Conference")] }),
          new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun("I. Preamble")] }),
          new Paragraph({ children: [new TextRun({ text: "Recalling", italics: true }), new TextRun(" the 2024 outcome,")] }),
          new Paragraph({ children: [new TextRun({ text: "Noting", italics: true }), new TextRun(" the costs,")] }),
          new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun("II. OPERATIVE PART")] }),
          op("Decide", " to act;"),
          op("Request", " the secretariat:"),
          numbered(1, new TextRun("to report;")),
          numbered(1, new TextRun("to consult;")),
          new Paragraph({
            children: [new TextRun("2 bis.\t"), new TextRun({ text: "Invite", italics: true }), new TextRun(" donors to contribute;")],
          }),
          op("Urge", " all States;"),
          op("Welcome", " progress;"),
          op("Encourage", " cooperation;"),
          new Paragraph({
            children: [
              new TextRun("Alt 5:\t"),
              new TextRun({ text: "Call upon", italics: true }),
              new TextRun(" all parties to cooperate;"),
            ],
          }),
          op("Decide", " to remain seized of the matter."),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

const markdownDraft = [
  "# Draft Joint Statement of the Conference",
  "",
  "## Preamble",
  "",
  "*Recalling* the 2024 outcome,",
  "",
  "*Noting* the costs,",
  "",
  "## Operative part",
  "",
  "1. *Decide* to act;",
  "2. *Request* the secretariat:",
  "   (a) to report;",
  "   (b) to consult;",
  "2 bis. *Invite* donors to contribute;",
  "3. *Urge* all States;",
  "4. *Welcome* progress;",
  "5. *Encourage* cooperation;",
  "5 alt. *Call upon* all parties to cooperate;",
  "6. *Decide* to remain seized of the matter.",
].join("\n");

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer({ databaseUrl: db.url });
  // The secretariat imports before the conference has a chair; one is named for the last test.
  conferenceId = (await createConference(db.sql)).id;
  secretariat = await createSignedInPerson(db.sql, { conferenceId, role: "secretariat" });

  // LibreOffice is slow to start: every fixture is converted in one run, with a profile of its own.
  work = await mkdtemp(join(tmpdir(), "concord-import-"));
  await writeFile(join(work, "typed.html"), typedHtml);
  await writeFile(join(work, "automatic.html"), automaticHtml);
  await promisify(execFile)(
    "soffice",
    [
      `-env:UserInstallation=file://${join(work, "profile")}`,
      "--headless",
      "--convert-to",
      "docx:MS Word 2007 XML",
      "--outdir",
      work,
      join(work, "typed.html"),
      join(work, "automatic.html"),
    ],
    { timeout: 120_000 },
  );
  libreOffice = { typed: await readFile(join(work, "typed.docx")), automatic: await readFile(join(work, "automatic.docx")) };
}, 180_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
  await db?.drop();
});

const unescape = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");

/** Uploads a file for its preview, then creates the statement from it; the preview's text and the new statement's id. */
async function importDraft(file: Buffer | string, name: string): Promise<{ preview: string; documentId: string }> {
  const body = new FormData();
  body.append("csrf", await csrfTokenFor(server.url, secretariat.cookie));
  body.append("intent", "preview");
  body.append("file", new Blob([typeof file === "string" ? file : new Uint8Array(file)]), name);
  const path = `${server.url}/conferences/${conferenceId}/import`;
  const res = await fetch(path, { method: "POST", headers: { cookie: secretariat.cookie }, body, redirect: "manual" });
  expect(res.status).toBe(200);
  const html = (await res.text()).replace(/<!-- -->/g, "");
  const payload = /name="statement" value="([^"]*)"/.exec(html);
  expect(payload, "the preview offers to create the statement").not.toBeNull();
  const form = new URLSearchParams({
    csrf: await csrfTokenFor(server.url, secretariat.cookie),
    intent: "create",
    title: "Imported statement",
    statement: unescape(payload![1]),
  });
  const created = await fetch(path, { method: "POST", headers: { cookie: secretariat.cookie }, body: form, redirect: "manual" });
  expect(created.status).toBe(302);
  const documentId = /\/documents\/([0-9a-f-]+)$/.exec(created.headers.get("location") ?? "")![1];
  return { preview: unescape(html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ")), documentId };
}

const expectedClauses = [
  "PP1 Recalling the 2024 outcome,",
  "PP2 Noting the costs,",
  "OP1 Decide to act;",
  "OP2 Request the secretariat:to report;to consult;",
  "OP2 bis Invite donors to contribute;",
  "OP3 Urge all States;",
  "OP4 Welcome progress;",
  "OP5 Encourage cooperation;",
  "OP6 Decide to remain seized of the matter.",
];

/** What the created statement holds, read back from the database as every view reads it. */
async function statementOf(documentId: string) {
  const document = (await findDocument(db.sql, documentId))!;
  const marks = await negotiationMarks(db.sql, document);
  const { doc, clauses } = marks.statement;
  const compilation = await compileStatement(
    db.sql,
    marks,
    { delegationId: null, isChair: true },
    { delegationId: null, state: null, status: null },
  );
  const firstRun = (label: string) => {
    const c = clauses.find((x) => x.label === label)!;
    const text = doc.nodeAt(c.pos)!.firstChild!.firstChild!;
    return { text: text.text, italic: text.marks.some((m) => m.type.name === "italic") };
  };
  return { document, marks, doc, clauses, compilation, firstRun };
}

async function expectImported(documentId: string) {
  const s = await statementOf(documentId);
  expect(s.doc.firstChild!.textContent).toBe("Imported statement");
  expect(s.clauses.map((c) => `${c.label} ${c.text}`)).toEqual(expectedClauses);
  // Sub-items stay a lettered list of their clause.
  const op2 = s.doc.nodeAt(s.clauses.find((c) => c.label === "OP2")!.pos)!;
  expect(op2.child(1).type.name).toBe("orderedList");
  expect(op2.child(1).childCount).toBe(2);
  expect(s.firstRun("OP2 bis")).toEqual({ text: "Invite", italic: true });
  expect(s.firstRun("PP1")).toEqual({ text: "Recalling", italic: true });
  // No heading became a clause, nor left its text in one.
  for (const c of s.clauses) expect(c.text).not.toMatch(/preamb|operative|\b(?:bis|alt)\b|^\[|^\d/i);

  const entry = (label: string) => s.compilation.entries.find((e) => e.type === "clause" && e.label === label);
  const op5 = entry("OP5");
  expect(op5).toMatchObject({ bracketed: true, state: "open" });
  expect(
    op5?.type === "clause" && op5.proposals.map((p) => ({ label: p.label, kind: p.kind, status: p.status, sponsor: p.sponsor })),
  ).toEqual([{ label: "OP5 alt", kind: "replace", status: "submitted", sponsor: "The Chair" }]);
  const alternativeText = op5?.type === "clause" ? op5.proposals[0].diff.map((d) => (d.type === "delete" ? "" : d.text)).join("") : "";
  expect(alternativeText).toBe("Call upon all parties to cooperate;");
  const bis = entry("OP2 bis");
  expect(bis).toMatchObject({ provisional: true, bracketed: true });
  expect(bis?.type === "clause" && bis.proposals.map((p) => ({ label: p.label, status: p.status, sponsor: p.sponsor }))).toEqual([
    { label: "OP2 bis", status: "accepted", sponsor: "The Chair" },
  ]);
  // Nothing else is bracketed or open.
  expect(s.compilation.entries.filter((e) => e.type === "clause" && e.bracketed).map((e) => e.label)).toEqual(["OP2 bis", "OP5"]);
  expect(s.compilation.entries.filter((e) => e.type === "proposed")).toEqual([]);
  return s;
}

describe("importing a zero draft with part headings, 2 bis and an alternative", () => {
  it("reads a Word file LibreOffice wrote with typed numbers", async () => {
    const { preview, documentId } = await importDraft(libreOffice.typed, "typed.docx");
    expect(preview).toContain("Recognised the headings “Preamble” and “Operative part” as the two parts; they are not clauses.");
    expect(preview).toContain("Recognised “2 bis.” as a clause added after OP2: it is OP2 bis, provisional until agreed.");
    expect(preview).toContain("Recognised “5 alt.” as an alternative to OP5, to be tabled in the chair's name.");
    expect(preview).not.toContain("Guessed");
    expect(preview).toContain("Preambular part (2)");
    expect(preview).toContain("Operative part (7)");
    expect(preview).toContain("OP2 bis (added clause, provisional) Invite donors to contribute;");
    expect(preview).toContain("OP5 alt (alternative, to be tabled in the chair's name) Call upon all parties to cooperate;");
    await expectImported(documentId);
  });

  it("reads a Word file LibreOffice wrote with automatic numbering and bold headings", async () => {
    const { preview, documentId } = await importDraft(libreOffice.automatic, "automatic.docx");
    expect(preview).toContain(
      "Recognised the headings “PREAMBULAR PART” and “Operative paragraphs:” as the two parts; they are not clauses.",
    );
    expect(preview).toContain("Recognised 6 numbered clauses (6 by Word's automatic numbering); Concord numbers them itself.");
    expect(preview).toContain("Recognised “[5 alt]” as an alternative to OP5, to be tabled in the chair's name.");
    await expectImported(documentId);
  });

  it("reads a Word file the docx package wrote with numbering definitions, heading styles and 'Alt 5:'", async () => {
    const { preview, documentId } = await importDraft(await docxPackageDraft(), "docx-package.docx");
    expect(preview).toContain("Recognised the headings “I. Preamble” and “II. OPERATIVE PART” as the two parts; they are not clauses.");
    expect(preview).toContain("Recognised “Alt 5:” as an alternative to OP5, to be tabled in the chair's name.");
    await expectImported(documentId);
  });

  it("reads the same draft in Markdown, prints it in a draft export with OP2 bis and OP5 bracketed, and records it in the audit trail", async () => {
    const { documentId } = await importDraft(markdownDraft, "zero-draft.md");
    await expectImported(documentId);

    const audit = await db.sql<{ action: string; subject: { proposal: string; kind: string; clause?: string; imported?: boolean } }[]>`
      select action, subject from audit_log where document_id = ${documentId} order by seq`;
    expect(
      audit.map((a) => [
        a.action,
        a.subject.proposal ?? null,
        a.subject.kind ?? null,
        a.subject.clause ?? null,
        a.subject.imported ?? null,
      ]),
    ).toEqual([
      ["version.created", null, null, null, null],
      ["proposal.created", "P1", "add", "OP2", true],
      ["proposal.submitted", "P1", "add", "OP2", true],
      ["proposal.accepted", "P1", "add", "OP2", true],
      ["proposal.created", "P2", "replace", "OP5", true],
      ["proposal.submitted", "P2", "replace", "OP5", true],
    ]);
    const draft = await (
      await fetch(`${server.url}/documents/${documentId}/export?format=md&draft=1`, { headers: { cookie: secretariat.cookie } })
    ).text();
    const lineOf = (words: string) => draft.split("\n").find((l) => l.includes(words)) ?? "";
    expect(lineOf("donors")).toMatch(/^2 bis\. \[/);
    expect(lineOf("Encourage")).toMatch(/^5\. \[/);
    expect(lineOf("Urge")).toMatch(/^3\. \*Urge\*/);
    expect(draft).not.toMatch(/Preamble|Operative part|alt\./);

    // Recorded as the person who imported it: the secretariat officer, with the chair's name on the proposals.
    const proposals = await db.sql<{ createdBy: string; delegationId: string | null; decidedBy: string | null }[]>`
      select created_by as "createdBy", delegation_id as "delegationId", decided_by as "decidedBy" from proposals where document_id = ${documentId} order by number`;
    expect(proposals).toEqual([
      { createdBy: secretariat.id, delegationId: null, decidedBy: secretariat.id },
      { createdBy: secretariat.id, delegationId: null, decidedBy: null },
    ]);
  });

  it("leaves the alternative to the chair named after the import, who may withdraw it: OP5 is then no longer bracketed", async () => {
    const { documentId } = await importDraft(markdownDraft, "zero-draft.md");
    const chair = await createSignedInPerson(db.sql, { conferenceId, role: "chair" });
    const s = await statementOf(documentId);
    const op5 = s.compilation.entries.find((e) => e.type === "clause" && e.label === "OP5");
    const alternative = op5?.type === "clause" ? op5.proposals[0] : null;
    expect(alternative?.label).toBe("OP5 alt");
    await withdrawProposal(
      db.sql,
      { userId: chair.id, role: "chair", delegationId: null, isChair: true, negotiates: false, mayPropose: false },
      documentId,
      alternative!.id,
    );
    const after = await statementOf(documentId);
    expect(after.compilation.entries.filter((e) => e.type === "clause" && e.bracketed).map((e) => e.label)).toEqual(["OP2 bis"]);
  });

  it("refuses a preview sent back with an alternative to a clause the draft does not have, creating nothing", async () => {
    const documents = async () =>
      (await db.sql`select count(*)::int as n from documents where conference_id = ${conferenceId}`)[0].n as number;
    const before = await documents();
    const statement = JSON.stringify({
      title: "T",
      preamble: [{ runs: [{ text: "Recalling x," }], items: [] }],
      operative: [{ runs: [{ text: "Decide y." }], items: [] }],
      alternatives: [{ part: "op", clause: 1, runs: [{ text: "Decide z." }], items: [] }],
    });
    const form = new URLSearchParams({ csrf: await csrfTokenFor(server.url, secretariat.cookie), intent: "create", title: "T", statement });
    const res = await fetch(`${server.url}/conferences/${conferenceId}/import`, {
      method: "POST",
      headers: { cookie: secretariat.cookie },
      body: form,
      redirect: "manual",
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("The preview could not be read. Upload the file again.");
    expect(await documents()).toBe(before);
  });
});
