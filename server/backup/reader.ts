import { createHash } from "node:crypto";
import type { Readable } from "node:stream";
import { z } from "zod";
import {
  copyLinePattern,
  endOfData,
  formatVersion,
  headerPrefix,
  parseColumns,
  trailerPrefix,
  type BackupHeader,
  type TableSummary,
} from "./format";

/** A backup that cannot be restored here, or a database it must not be restored into; nothing was loaded. */
export class RestoreRefused extends Error {}

const headerSchema = z.object({
  format: z.literal(formatVersion),
  createdAt: z.string(),
  migrations: z.array(z.string().regex(/^\d+_[\w.-]+\.sql$/)).min(1),
});

const trailerSchema = z.object({
  tables: z.record(z.string(), z.object({ rows: z.number().int().min(0), sha256: z.string().regex(/^[0-9a-f]{64}$/) })),
});

/** Rows are handed on in pieces of about this size, whole lines each. */
const chunkBytes = 256 * 1024;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Reads a backup (server/backup/format.ts, gunzipped) block by block: its header, then each table's
 * COPY block, whose rows the caller takes as they come (`rows`), then the trailer. Every table's row
 * count and SHA-256 are checked against the trailer before `end` returns.
 */
export class BackupReader {
  private readonly lines: AsyncIterator<Buffer>;
  private readonly seen = new Map<string, TableSummary>();

  constructor(input: Readable) {
    this.lines = splitLines(input)[Symbol.asyncIterator]();
  }

  private async line(what: string): Promise<Buffer> {
    const next = await this.lines.next();
    if (next.done) throw new RestoreRefused(`The backup is incomplete: it ends ${what}.`);
    return next.value;
  }

  async header(): Promise<BackupHeader> {
    const first = await this.lines.next();
    const line = first.done ? "" : first.value.toString("utf8");
    if (!line.startsWith(headerPrefix)) throw new RestoreRefused("This is not a Concord backup (its first line is not a Concord header).");
    const parsed = headerSchema.safeParse(parseJson(line.slice(headerPrefix.length)));
    if (!parsed.success) throw new RestoreRefused("This Concord backup's header is not one this version reads.");
    return parsed.data;
  }

  /** The next table's name and columns, or null at the trailer (which is then checked). */
  async nextTable(): Promise<{ table: string; columns: string[] } | null> {
    for (;;) {
      const line = (await this.line("before its trailer")).toString("utf8");
      if (line === "") continue;
      if (line.startsWith(trailerPrefix)) {
        this.checkTrailer(line.slice(trailerPrefix.length));
        return null;
      }
      const copy = copyLinePattern.exec(line);
      if (!copy) throw new RestoreRefused("The backup was altered or damaged: it has a line outside any table's data.");
      const table = copy[1].replaceAll('""', '"');
      if (this.seen.has(table)) throw new RestoreRefused(`The backup was altered: table ${table} appears twice.`);
      return { table, columns: parseColumns(copy[2]) };
    }
  }

  /** The current table's rows, each line with its newline, in pieces; counted and hashed as they pass. */
  async *rows(table: string): AsyncGenerator<Buffer> {
    const hash = createHash("sha256");
    let rows = 0;
    let piece: Buffer[] = [];
    let size = 0;
    for (;;) {
      const line = await this.line(`inside table ${table}'s data`);
      if (line.length === endOfData.length && line.toString("latin1") === endOfData) break;
      const row = Buffer.concat([line, newline]);
      hash.update(row);
      rows++;
      piece.push(row);
      size += row.length;
      if (size >= chunkBytes) {
        yield Buffer.concat(piece);
        piece = [];
        size = 0;
      }
    }
    if (piece.length > 0) yield Buffer.concat(piece);
    this.seen.set(table, { rows, sha256: hash.digest("hex") });
  }

  /** The tables read, with their row counts (after `nextTable` returned null, all of them, checked). */
  tables(): Record<string, number> {
    return Object.fromEntries([...this.seen].map(([table, s]) => [table, s.rows]));
  }

  private checkTrailer(text: string): void {
    const trailer = trailerSchema.safeParse(parseJson(text));
    if (!trailer.success) throw new RestoreRefused("The backup's trailer is unreadable.");
    const expected = trailer.data.tables;
    for (const [table, summary] of Object.entries(expected)) {
      const got = this.seen.get(table);
      if (!got || got.rows !== summary.rows || got.sha256 !== summary.sha256) {
        throw new RestoreRefused(`The backup was altered or damaged: table ${table} does not match its checksum.`);
      }
    }
    const extra = [...this.seen.keys()].find((t) => !(t in expected));
    if (extra) throw new RestoreRefused(`The backup was altered: table ${extra} is not in its trailer.`);
  }
}

const newline = Buffer.from("\n");

/** The input's lines, as bytes (COPY data passes untouched), without their newline. */
async function* splitLines(input: Readable): AsyncGenerator<Buffer> {
  let rest: Buffer = Buffer.alloc(0);
  for await (const chunk of input as AsyncIterable<Buffer>) {
    let data = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
    for (let nl = data.indexOf(0x0a); nl !== -1; nl = data.indexOf(0x0a)) {
      yield data.subarray(0, nl);
      data = data.subarray(nl + 1);
    }
    rest = data;
  }
  if (rest.length > 0) yield rest;
}
