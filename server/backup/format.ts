/**
 * A Concord backup is a gzipped text file in the shape of a data-only `pg_dump`: a header line,
 * then one `COPY … FROM stdin;` block per table in PostgreSQL's text format, then a trailer line
 * with each table's row count and the SHA-256 of its block. The schema is not in it: the header
 * names the migrations it was taken under, and a restore applies those first. A reader can look
 * at it with `zcat`, and the blocks load with psql as they are.
 */

export const formatVersion = 1;

export const headerPrefix = "-- concord-backup ";
export const trailerPrefix = "-- concord-backup-end ";

export interface BackupHeader {
  format: number;
  createdAt: string;
  /** The migration files applied to the database it was taken from, in order. */
  migrations: string[];
}

export interface TableSummary {
  rows: number;
  sha256: string;
}

export interface BackupTrailer {
  tables: Record<string, TableSummary>;
}

/** `COPY "name" ("a", "b") FROM stdin;` */
export const copyFromLine = (table: string, columns: string[]) =>
  `COPY ${quoteIdent(table)} (${columns.map(quoteIdent).join(", ")}) FROM stdin;`;

export const copyLinePattern = /^COPY "((?:[^"]|"")+)" \((.*)\) FROM stdin;$/;

export const endOfData = "\\.";

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** The column names of a COPY line's list, unquoted. */
export function parseColumns(list: string): string[] {
  return [...list.matchAll(/"((?:[^"]|"")+)"/g)].map((m) => m[1].replaceAll('""', '"'));
}
