import { stringify } from "csv-stringify/sync";
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

const csvColumns = [
  "seq",
  "at",
  "conference_id",
  "document_id",
  "actor_id",
  "actor_name",
  "actor_role",
  "delegation",
  "action",
  "subject",
  "prev_hash",
  "hash",
];

/**
 * CSV as spreadsheets must not misread it (csv-stringify). Every field is quoted, the empty ones
 * too: a spreadsheet set to a locale whose separator is ";" would otherwise split an unquoted
 * "a;=cmd()" and run the second half. Text starting with =, +, -, @, a tab or a carriage return (or
 * their full-width forms) gets a leading ' so that it is shown rather than run (`escape_formulas`).
 * Records end in CRLF. The JSON Lines file is the exact one to re-verify.
 */
const csvOptions = { quoted: true, quoted_empty: true, escape_formulas: true, record_delimiter: "windows" } as const;
export const csvRow = (fields: readonly (string | number | null)[]): string => stringify([fields], csvOptions);

export const csvHeader = csvRow(csvColumns);

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
  return csvRow(fields);
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
