import { CsvError as ParseError, parse, type Info } from "csv-parse/sync";

/**
 * CSV reading with csv-parse (RFC 4180): fields separated by commas (or semicolons, as some
 * spreadsheet locales write them, when the header row has semicolons and no commas), records by
 * CRLF, LF or CR, even mixed in one file; a field in double quotes may hold separators, line breaks
 * and doubled quotes (""). A byte-order mark is dropped; rows may have different lengths; a quote
 * inside an unquoted field is kept as written.
 */
export class CsvError extends Error {}

export interface CsvRecord {
  /** 1-based position of the record in the file, the header being record 1 (as a spreadsheet numbers rows). */
  row: number;
  fields: string[];
}

/** csv-parse takes one delimiter (or splits on each of several); choosing between "," and ";" from the header is ours. */
export function detectDelimiter(text: string): "," | ";" {
  const firstLine = text.slice(0, text.search(/\r|\n|$/));
  return !firstLine.includes(",") && firstLine.includes(";") ? ";" : ",";
}

export function parseCsv(input: string, delimiter: "," | ";" = detectDelimiter(input)): CsvRecord[] {
  try {
    const records = parse(input, {
      delimiter,
      bom: true,
      // Without a list, csv-parse takes the first line break it meets for the whole file.
      record_delimiter: ["\r\n", "\n", "\r"],
      relax_quotes: true,
      relax_column_count: true,
      info: true,
      // The sync typings do not follow `info: true`, which turns each record into { record, info }.
    }) as unknown as { record: string[]; info: Info }[];
    return records.map(({ record, info }) => ({ row: info.records, fields: record }));
  } catch (err) {
    if (!(err instanceof ParseError)) throw err;
    // `records` counts the records read before the one in error.
    const row = Number(err.records ?? 0) + 1;
    throw new CsvError(
      err.code === "CSV_QUOTE_NOT_CLOSED"
        ? `Row ${row}: a quoted field is not closed (a double quote is missing).`
        : `Row ${row}: ${err.message}`,
    );
  }
}

export const isBlankRecord = (r: CsvRecord) => r.fields.every((f) => f.trim() === "");
