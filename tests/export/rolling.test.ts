import { expect, test as it } from "../support/fixtures";
import { extractText, getDocumentProxy } from "unpdf";
import { zipText, wordParagraphs } from "../support/zip";
import { createPosition, createProposal } from "../support/factories";
import { createDelegatesFixture, type DelegatesFixture } from "../support/negotiation";
import type { Sql } from "../../server/db/sql";
import type { CompilationEntry } from "../../server/negotiation/compilation";
import { loaderData } from "../support/http";
import { setClauseState } from "../../server/queries/clause-states";

let f: DelegatesFixture;
let word: string;

it.beforeAll(async ({ db }) => {
  f = await createDelegatesFixture(db.sql);
  const { Norway, France, Germany } = f.delegates;
  // Norway, with France co-sponsoring, replaces OP2's third word; Germany proposes deleting PP1
  // and drafts, unsubmitted, a replacement of OP3 nobody else may see.
  const words = f.texts.OP2.split(" ");
  word = words[2];
  const replaced = await createProposal(db.sql, {
    documentId: f.documentId,
    createdBy: Norway.userId,
    delegationId: Norway.delegationId,
    clauseId: f.ids.OP2,
    baseText: f.texts.OP2,
    text: [...words.slice(0, 2), "REPLACED", ...words.slice(3)].join(" "),
  });
  await createPosition(db.sql, {
    proposalId: replaced.id,
    delegationId: France.delegationId,
    position: "cosponsor",
    userId: France.userId,
  });
  await createProposal(db.sql, {
    documentId: f.documentId,
    createdBy: Germany.userId,
    delegationId: Germany.delegationId,
    kind: "delete",
    clauseId: f.ids.PP1,
    part: "pp",
    baseText: f.texts.PP1,
  });
  await createProposal(db.sql, {
    documentId: f.documentId,
    createdBy: Germany.userId,
    delegationId: Germany.delegationId,
    clauseId: f.ids.OP3,
    status: "draft",
    baseText: f.texts.OP3,
    text: `${f.texts.OP3} SECRETDRAFT`,
  });
});

const download = (server: { url: string }, query: string) =>
  fetch(`${server.url}/documents/${f.documentId}/export?${query}`, { headers: { cookie: f.chair.cookie }, redirect: "manual" });

async function lastExportSubject(sql: Sql) {
  const [row] = await sql<{ subject: Record<string, unknown> }[]>`
    select subject from audit_log where document_id = ${f.documentId} and action = 'export.downloaded' order by seq desc limit 1`;
  return row.subject;
}

it("writes the rolling text into Word: brackets at the changed words with sponsors, clause markers, a watermark, no draft", async ({
  db,
  server,
}) => {
  const res = await download(server, "format=docx&rolling=1");
  expect(res.status).toBe(200);
  expect(res.headers.get("content-disposition")).toContain("_rolling.docx");
  const body = Buffer.from(await res.arrayBuffer());
  const text = wordParagraphs(await zipText(body, "word/document.xml")).join("\n");
  expect(text).toContain(`[${word}/REPLACED (NOR, FRA)]`);
  expect(text).toContain("[Delete PP1 (DEU)]");
  expect(text).not.toContain("SECRETDRAFT");
  expect(await zipText(body, "word/header1.xml")).toContain("DRAFT");
  expect(await lastExportSubject(db.sql)).toMatchObject({ format: "docx", rolling: true, attributions: true });
});

it("hides the attributions on request, and says so in the file name and the audit entry", async ({ db, server }) => {
  const res = await download(server, "format=docx&rolling=1&attributions=0");
  expect(res.headers.get("content-disposition")).toContain("_rolling-unattributed.docx");
  const text = wordParagraphs(await zipText(Buffer.from(await res.arrayBuffer()), "word/document.xml")).join("\n");
  expect(text).toContain(`[${word}/REPLACED]`);
  expect(text).toContain("[Delete PP1]");
  expect(text).not.toMatch(/\((NOR|FRA|DEU)/);
  expect(await lastExportSubject(db.sql)).toMatchObject({ rolling: true, attributions: false });
});

it("writes the rolling text as PDF, HTML and Markdown too, and refuses it in the other formats and of versions", async ({ server }) => {
  const pdf = await download(server, "format=pdf&rolling=1");
  expect(pdf.headers.get("content-disposition")).toContain("_rolling.pdf");
  const { text } = await extractText(await getDocumentProxy(new Uint8Array(await pdf.arrayBuffer())), { mergePages: true });
  const flat = text.replace(/\s+/g, " ");
  expect(flat).toContain(`REPLACED (NOR, FRA)]`);
  expect(flat).toContain("[Delete PP1 (DEU)]");
  expect(flat).toContain("DRAFT");
  expect(flat).not.toContain("SECRETDRAFT");
  for (const format of ["html", "md"]) {
    const res = await download(server, `format=${format}&rolling=1`);
    expect(await res.text(), format).toContain(`[${word}/REPLACED (NOR, FRA)]`);
  }
  expect((await download(server, "format=akn&rolling=1")).status).toBe(400);
  expect((await download(server, "format=compilation&rolling=1")).status).toBe(400);
  const version = await download(server, `format=docx&rolling=1&version=${crypto.randomUUID()}`);
  expect([version.status, await version.text()]).toEqual([400, "The rolling text is of the current text only."]);
  // The clean text is untouched by all this.
  expect(await (await download(server, "format=md")).text()).not.toContain("REPLACED");
});

it("writes the compilation as Word from what the compilation page shows: paragraph numbers, text, sponsors and status", async ({
  db,
  server,
}) => {
  await setClauseState(db.sql, {
    documentId: f.documentId,
    clauseId: f.ids.OP1,
    state: "agreed_ad_ref",
    reason: "",
    userId: f.chair.userId,
  });
  const res = await download(server, "format=compilation");
  expect(res.status).toBe(200);
  const xml = await zipText(Buffer.from(await res.arrayBuffer()), "word/document.xml");
  const cells = [...xml.matchAll(/<w:tc>[\s\S]*?<\/w:tc>/g)].map((m) => wordParagraphs(m[0]).join(" | "));
  const rows: string[][] = [];
  for (let i = 0; i < cells.length; i += 4) rows.push(cells.slice(i, i + 4));
  expect(rows[0]).toEqual(["Para.", "Text", "Sponsors", "Status"]);
  const row = (label: string) => rows.find((r) => r[0].split(" | ")[0] === label);
  expect(row("OP1")?.[3]).toBe("Agreed ad ref.");
  expect(row("OP2")?.[3]).toBe("Open");
  expect(row("OP2 alt")?.slice(2)).toEqual(["Norway; co-sponsors: France", "Under consideration"]);
  expect(row("OP2 alt")?.[1]).toContain("REPLACED");
  expect(row("Delete PP1")?.slice(2)).toEqual(["Germany", "Under consideration"]);
  expect(xml).not.toContain("SECRETDRAFT");
  // The same labels, in the same order, as the compilation page.
  const page = await loaderData<{ entries: CompilationEntry[] }>(
    server,
    `/documents/${f.documentId}/compilation`,
    "routes/documents.$documentId_.compilation",
    f.chair.cookie,
  );
  const labels = page.entries.flatMap((e) => (e.type === "clause" ? [e.label, ...e.proposals.map((p) => p.label)] : [e.label]));
  expect(rows.slice(1).map((r) => r[0].split(" | ")[0])).toEqual(labels);
});
