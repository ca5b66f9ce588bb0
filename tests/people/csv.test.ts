import { describe, expect, it } from "vitest";
import { CsvError, parseCsv } from "../../server/people/csv";

const fields = (text: string) => parseCsv(text).map((r) => r.fields);

describe("the CSV reader", () => {
  it("splits plain records on commas and line breaks of every kind", () => {
    expect(fields("a,b,c\n1,2,3\r\n4,5,6\r7,8,9")).toEqual([
      ["a", "b", "c"],
      ["1", "2", "3"],
      ["4", "5", "6"],
      ["7", "8", "9"],
    ]);
  });

  it("keeps commas, doubled quotes and line breaks inside quoted fields", () => {
    const records = parseCsv('name,note\n"Okafor, Alice","says ""hello""\nand, goodbye"\nlast,row\n');
    expect(records.map((r) => r.fields)).toEqual([
      ["name", "note"],
      ["Okafor, Alice", 'says "hello"\nand, goodbye'],
      ["last", "row"],
    ]);
    // Rows are counted by record, not by line: the quoted line break does not shift them.
    expect(records.map((r) => r.row)).toEqual([1, 2, 3]);
  });

  it("keeps empty fields, including a trailing one and a quoted empty one", () => {
    expect(fields('a,,c,\n"",x,"",')).toEqual([
      ["a", "", "c", ""],
      ["", "x", "", ""],
    ]);
  });

  it("drops a byte-order mark and needs no final line break", () => {
    expect(fields("\uFEFFname,email\nA,a@example.org")).toEqual([
      ["name", "email"],
      ["A", "a@example.org"],
    ]);
  });

  it("reads semicolon-separated files when the header has semicolons and no commas", () => {
    expect(fields('name;email\n"Silva; Ana";ana@example.org')).toEqual([
      ["name", "email"],
      ["Silva; Ana", "ana@example.org"],
    ]);
  });

  it("reports a quoted field that is never closed", () => {
    expect(() => parseCsv('name,email\n"Open quote,a@example.org\n')).toThrow(CsvError);
    expect(() => parseCsv('name,email\n"Open quote,a@example.org\n')).toThrow(/Row 2/);
  });

  it("keeps a quote inside an unquoted field as written", () => {
    expect(fields('O"Brien,x')).toEqual([['O"Brien', "x"]]);
  });
});
