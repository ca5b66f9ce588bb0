import { revisionNumber, symbolInFilename } from "../../app/statement/document-symbol";

/** Lowercase ASCII words joined by hyphens: "4th International Mine-Action Conférence" → "4th-international-mine-action-conference". */
export function slug(s: string, max = 60): string {
  const out = s
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return out.slice(0, max).replace(/-+$/, "") || "untitled";
}

export const exportExtensions = {
  docx: "docx",
  pdf: "pdf",
  html: "html",
  md: "md",
  akn: "xml",
  compilation: "docx",
  redline: "docx",
} as const;

/**
 * An export's file name: conference, document, version, language (a translation's) and kind, e.g.
 * "4th-international-mine-action-conference_joint-statement_rev-1_fr_clean.docx"; a draft, a
 * compilation or a redline says so before the extension. A statement with a symbol is named by it
 * instead ("/" may not stand in a file name): "IMAC4-2026-L.1-Rev.1_draft.docx", the version left
 * out when the symbol names it already ("…_rev-1-with-changes-2026-12-05_clean.pdf" otherwise).
 */
export function exportFilename(
  parts: { conference: string; document: string; version: string; language?: string; kind?: string; symbol?: string },
  extension: string,
): string {
  const language = parts.language ? [slug(parts.language, 5)] : [];
  const kind = parts.kind ? [slug(parts.kind, 20)] : [];
  const symbol = parts.symbol ? symbolInFilename(parts.symbol).slice(0, 80) : "";
  const named = symbol
    ? [symbol, ...(revisionNumber(parts.version) === null ? [slug(parts.version, 50)] : [])]
    : [slug(parts.conference), slug(parts.document), slug(parts.version, 50)];
  return [...named, ...language, ...kind].join("_") + `.${extension}`;
}

/** Content-Disposition for a download; the name is ASCII already, filename* is there for clients that prefer it. */
export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
