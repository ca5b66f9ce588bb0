import { createHash } from "node:crypto";
import JSZip from "jszip";
import type { Db } from "../db/sql";
import type { ConferenceRow } from "../queries/conferences";
import { listDocuments, type DocumentRow } from "../queries/documents";
import { listVersions } from "../queries/versions";
import { listProposalEvents, listProposals, listRevisionTexts } from "../queries/proposals";
import { allExplanations } from "../queries/explanations";
import { auditChain } from "../queries/audit-log";
import { jsonlLine } from "../audit/download";
import { readSide } from "../versions/compare";
import { negotiationMarks } from "../negotiation/marks";
import { compileStatement } from "../negotiation/compilation";
import { readAdoptionAnnex } from "../export/adoption-annex";
import { renderExport, type ExportFormat } from "../export/render";
import { slug } from "../export/filename";
import { symbolOf } from "../export/title-block";

/** The formats each revision is kept in: what the records office files, what prints, what machines read. */
const revisionFormats: readonly ExportFormat[] = ["docx", "pdf", "akn"];

export interface ArchiveFile {
  path: string;
  bytes: number;
  sha256: string;
}

interface ArchiveInput {
  conference: ConferenceRow;
  /** Who asked for it, named in the manifest. */
  generatedBy: string;
}

const sha256 = (body: Buffer) => createHash("sha256").update(body).digest("hex");

/** A statement's folder: its symbol when the conference has a prefix, else its title. */
function folderOf(conference: ConferenceRow, document: DocumentRow, taken: Set<string>): string {
  const base = slug(conference.symbolPrefix ? symbolOf({ conference, document, version: "" }) : document.title) || "statement";
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}-${n}`;
  taken.add(name);
  return `statements/${name}`;
}

/**
 * The conference's records in one .zip, for the secretariat: per statement every named revision
 * (and the adopted text) in Word, PDF and Akoma Ntoso, the compilation as it stood at adoption (or
 * as it stands, if not adopted), every tabled proposal with its revisions, positions and history,
 * and the explanations of position with every revision; the conference's audit log as JSON Lines;
 * and a manifest with the SHA-256 of every file (also as SHA256SUMS, for `sha256sum -c`).
 * Proposals never tabled are their delegations' drafts and stay out.
 */
export async function conferenceArchive(sql: Db, { conference, generatedBy }: ArchiveInput): Promise<Buffer> {
  const zip = new JSZip();
  const files: ArchiveFile[] = [];
  const add = (path: string, body: Buffer | string) => {
    const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : body;
    zip.file(path, bytes, { date: new Date(0) });
    files.push({ path, bytes: bytes.length, sha256: sha256(bytes) });
  };
  const titleBlock = (document: DocumentRow) => ({ conference, document });
  const folders = new Set<string>();
  const statements: { title: string; folder: string; adoptedAt: Date | null }[] = [];

  for (const document of await listDocuments(sql, conference.id)) {
    const folder = folderOf(conference, document, folders);
    statements.push({ title: document.title, folder, adoptedAt: document.adoptedAt });
    const adoption = await readAdoptionAnnex(sql, document.id);
    const named = (await listVersions(sql, document.id)).filter((v) => v.kind === "named").reverse();
    const sides = await Promise.all(named.map((v) => readSide(sql, document, v.id)));
    // The adopted text is the current one, whether or not a revision was named after adoption.
    if (document.adoptedAt) sides.push(await readSide(sql, document, "current"));
    for (const side of sides) {
      if (!side) continue;
      const adopted = document.adoptedAt !== null && (side.id === null || side.at >= document.adoptedAt);
      for (const format of revisionFormats) {
        const file = await renderExport({
          format,
          doc: side.doc,
          conferenceTitle: conference.title,
          documentTitle: document.title,
          version: side.id === null ? "Adopted text" : side.label,
          at: side.id === null ? document.adoptedAt! : side.at,
          created: document.createdAt,
          numbering: side.clauses,
          draft: null,
          titleBlock: titleBlock(document),
          adoption: adopted ? adoption : null,
        });
        add(`${folder}/revisions/${file.filename}`, file.body);
      }
    }

    const marks = await negotiationMarks(sql, document);
    // As the secretariat sees it: every tabled proposal, no delegation's draft.
    const viewer = { delegationId: null, isChair: false };
    const compilation = await compileStatement(sql, marks, viewer, { delegationId: null, state: null, status: null });
    const at = document.adoptedAt ?? new Date();
    const compiled = await renderExport({
      format: "compilation",
      doc: marks.statement.doc,
      conferenceTitle: conference.title,
      documentTitle: document.title,
      version: document.adoptedAt ? "At adoption" : "As it stands",
      at,
      created: document.createdAt,
      numbering: marks.statement.clauses,
      draft: { bracketed: marks.bracketed },
      compilation: compilation.entries,
      titleBlock: titleBlock(document),
      adoption,
    });
    add(`${folder}/${document.adoptedAt ? "compilation-at-adoption" : "compilation-as-it-stands"}.docx`, compiled.body);

    const proposals = [];
    for (const p of (await listProposals(sql, document.id)).filter((p) => p.revision !== null)) {
      proposals.push({
        number: `P${p.number}`,
        kind: p.kind,
        clauseId: p.clauseId,
        sponsor: p.delegationName ?? "Chair",
        status: p.status,
        decidedBy: p.decidedByName,
        decidedAt: p.decidedAt,
        decisionReason: p.decisionReason,
        revisions: await listRevisionTexts(sql, p.id),
        positions: p.positions.map(({ delegationName, position, reason, updatedAt }) => ({
          delegation: delegationName,
          position,
          reason,
          updatedAt,
        })),
        history: (await listProposalEvents(sql, p.id)).map(({ kind, userName, delegationCode, reason, createdAt }) => ({
          kind,
          by: userName,
          delegation: delegationCode,
          reason,
          at: createdAt,
        })),
      });
    }
    add(`${folder}/proposals.json`, `${JSON.stringify(proposals, null, 2)}\n`);
    add(`${folder}/explanations-of-position.json`, `${JSON.stringify(await allExplanations(sql, document.id), null, 2)}\n`);
  }

  const audit: string[] = [];
  for await (const row of auditChain(sql, conference.id)) audit.push(jsonlLine(row));
  add("audit-log.jsonl", audit.join(""));

  const manifest = {
    conference: { id: conference.id, title: conference.title, symbolPrefix: conference.symbolPrefix || null },
    generatedAt: new Date().toISOString(),
    generatedBy,
    statements,
    files,
  };
  zip.file("manifest.json", `${JSON.stringify(manifest, null, 2)}\n`, { date: new Date(0) });
  zip.file("SHA256SUMS", files.map((f) => `${f.sha256}  ${f.path}\n`).join(""), { date: new Date(0) });
  return zip.generateAsync({ type: "nodebuffer", compression: "DEFLATE" });
}
