import { createHash } from "node:crypto";

/** How an audit entry records a text someone wrote: its SHA-256 (hex, of its UTF-8) and its length in characters. */
export interface TextDigest {
  sha256: string;
  length: number;
}

/**
 * Audit entries record what participants wrote (proposal texts, reasons, objections, notes) by
 * digest, not in full: the log is read, downloaded and verified whole, and a text's own page
 * keeps it. The digest still proves which text it was.
 */
export function textDigest(text: string): TextDigest {
  return { sha256: createHash("sha256").update(text, "utf8").digest("hex"), length: text.length };
}
