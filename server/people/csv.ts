/**
 * A small RFC 4180 CSV reader: fields separated by commas (or semicolons, as some spreadsheet
 * locales write them, when the header row has semicolons and no commas), records by CRLF, LF or
 * CR; a field in double quotes may hold separators, line breaks and doubled quotes ("").
 */
export class CsvError extends Error {}

export interface CsvRecord {
  /** 1-based position of the record in the file, the header being record 1 (as a spreadsheet numbers rows). */
  row: number;
  fields: string[];
}

export function detectDelimiter(text: string): "," | ";" {
  const firstLine = text.slice(0, text.search(/\r|\n|$/));
  return !firstLine.includes(",") && firstLine.includes(";") ? ";" : ",";
}

export function parseCsv(input: string, delimiter: "," | ";" = detectDelimiter(input)): CsvRecord[] {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = "";
  let quoted = false; // inside a quoted field
  let wasQuoted = false; // the current field began with a quote
  let row = 1;
  let i = 0;

  const endField = () => {
    fields.push(field);
    field = "";
    wasQuoted = false;
  };
  const endRecord = () => {
    endField();
    records.push({ row, fields });
    fields = [];
    row++;
  };

  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
        } else {
          quoted = false;
          i++;
        }
      } else {
        field += c;
        i++;
      }
      continue;
    }
    if (c === '"' && field === "" && !wasQuoted) {
      quoted = true;
      wasQuoted = true;
      i++;
    } else if (c === delimiter) {
      endField();
      i++;
    } else if (c === "\r" || c === "\n") {
      endRecord();
      i += c === "\r" && text[i + 1] === "\n" ? 2 : 1;
    } else {
      // A quote inside an unquoted field, or text after a closing quote, is kept as written.
      field += c;
      i++;
    }
  }
  if (quoted) throw new CsvError(`Row ${row}: a quoted field is not closed (a double quote is missing).`);
  // The last record, unless the file ended with a line break.
  if (field !== "" || fields.length > 0 || wasQuoted) endRecord();
  return records;
}

export const isBlankRecord = (r: CsvRecord) => r.fields.every((f) => f.trim() === "");
