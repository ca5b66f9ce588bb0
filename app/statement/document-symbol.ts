/**
 * UN document symbols ("IMAC4/2026/L.1/Rev.1"): the conference's prefix, the statement's own part,
 * then an addendum and a revision. One module for the pages, the server's checks and the exports.
 */

export type Distribution = "general" | "limited";
export const distributions: readonly Distribution[] = ["general", "limited"];
export const distributionLabels: Record<Distribution, string> = { general: "General", limited: "Limited" };

export const maxSymbolPrefixLength = 40;
export const maxSymbolPartLength = 30;
export const maxAddendum = 99;

/**
 * Elements separated by "/", each of letters, digits, "." and "-" and starting with a letter or a
 * digit ("A/CONF.231", "IMAC4/2026", "L.1", "CRP.2"), as the UN's symbols are written.
 */
export const symbolPattern = /^[A-Za-z0-9][A-Za-z0-9.-]*(\/[A-Za-z0-9][A-Za-z0-9.-]*)*$/;
export const symbolRule = "letters, digits, “.” and “-”, in elements separated by “/” (e.g. IMAC4/2026 or L.1)";

/** A statement's own part of the symbol when the secretariat has not set one: the nth limited document, "L.n". */
export const defaultSymbolPart = (n: number) => `L.${n}`;

/**
 * "Rev.2" when a version's name says it is the second revision ("Rev.2", "rev 2", "Rev. 2"); null
 * for any other name ("Zero draft", "Before restoring Rev.1", "Rev.1 with changes …").
 */
export function revisionNumber(versionName: string | null): number | null {
  const m = versionName ? /^\s*rev\.?\s*(\d{1,3})\s*$/i.exec(versionName) : null;
  return m ? Number(m[1]) : null;
}

export interface SymbolParts {
  prefix: string;
  part: string;
  addendum?: number | null;
  revision?: number | null;
}

/** "IMAC4/2026/L.1/Add.1/Rev.2"; "" when neither the prefix nor the part is set. */
export function documentSymbol({ prefix, part, addendum, revision }: SymbolParts): string {
  const base = [prefix, part].filter(Boolean).join("/");
  if (!base) return "";
  return base + (addendum ? `/Add.${addendum}` : "") + (revision ? `/Rev.${revision}` : "");
}

/** The symbol in a file name, where "/" may not stand: "IMAC4-2026-L.1-Rev.1". */
export const symbolInFilename = (symbol: string) => symbol.replace(/\//g, "-").replace(/[^A-Za-z0-9.-]/g, "");
