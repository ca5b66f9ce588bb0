import type { Db } from "../db/sql";
import { auditChain, type AuditRow } from "../queries/audit-log";
import { canonicalJson, hashInput } from "./hash";

export type AuditFormat = "jsonl" | "csv";
export const auditFormats: readonly AuditFormat[] = ["jsonl", "csv"];
export const auditContentTypes: Record<AuditFormat, string> = {
  jsonl: "application/jsonl; charset=utf-8",
  csv: "text/csv; charset=utf-8",
};

/**
 * One JSON Lines entry: exactly the object that was hashed, plus its `hash`. Anyone can re-verify
 * the file: drop `hash`, serialise with keys sorted at every depth and no whitespace, sha256 it,
 * and check each `prev` is the hash of the line before (64 zeros for the first).
 */
export function jsonlLine(row: AuditRow): string {
  return `${JSON.stringify({ ...(JSON.parse(hashInput(row)) as object), hash: row.hash })}\n`;
}

export const csvHeader = "seq,at,conference_id,document_id,actor_id,actor_name,actor_role,delegation,action,subject,prev_hash,hash\r\n";

/**
 * A CSV field, quoted when it has to be. Text starting with =, +, - or @ gets a leading ' so that
 * spreadsheets show it rather than run it; the JSON Lines file is the exact one to re-verify.
 */
function csvField(value: string | number | null): string {
  if (value === null) return "";
  let s = String(value);
  if (/^[=+\-@\t\r]/.test(s) && typeof value === "string") s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV row; the subject is its canonical JSON, as hashed. */
export function csvLine(row: AuditRow): string {
  const fields = [
    row.seq,
    row.at.toISOString(),
    row.conferenceId,
    row.documentId,
    row.actorId,
    row.actorName,
    row.actorRole,
    row.delegation,
    row.action,
    canonicalJson(row.subject),
    row.prevHash,
    row.hash,
  ];
  return `${fields.map(csvField).join(",")}\r\n`;
}

/** The conference's whole log in chain order, streamed (a log grows for ever). */
export function auditDownload(sql: Db, conferenceId: string, format: AuditFormat): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const rows = auditChain(sql, conferenceId);
  let started = false;
  return new ReadableStream({
    async pull(controller) {
      if (!started && format === "csv") controller.enqueue(encoder.encode(csvHeader));
      started = true;
      const next = await rows.next();
      if (next.done) return controller.close();
      controller.enqueue(encoder.encode(format === "csv" ? csvLine(next.value) : jsonlLine(next.value)));
    },
    async cancel() {
      await rows.return(undefined);
    },
  });
}
