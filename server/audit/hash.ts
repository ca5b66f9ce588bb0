import { createHash } from "node:crypto";

/** The previous hash of a chain's first entry. */
export const genesisHash = "0".repeat(64);

/** What is hashed of an entry: everything it says, and the hash of the entry before it. */
export interface HashedEntry {
  seq: number;
  conferenceId: string;
  documentId: string | null;
  at: Date;
  actorId: string | null;
  actorName: string;
  actorRole: string;
  delegation: string | null;
  action: string;
  subject: unknown;
  prevHash: string;
}

/**
 * JSON with object keys in code-point order at every depth, no whitespace, undefined members
 * left out and dates as ISO text: the same value always gives the same text, whatever order
 * PostgreSQL's jsonb hands the keys back in.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`;
  if (typeof value === "object") {
    const members = Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${members.join(",")}}`;
  }
  if (typeof value === "number" && !Number.isFinite(value)) throw new Error("an audit entry cannot hold a non-finite number");
  if (typeof value === "bigint") return value.toString();
  return JSON.stringify(value);
}

/** The text that is hashed: the entry as canonical JSON, the time with milliseconds in UTC. */
export function hashInput(e: HashedEntry): string {
  return canonicalJson({
    seq: e.seq,
    conference: e.conferenceId,
    document: e.documentId,
    at: e.at.toISOString(),
    actor: { id: e.actorId, name: e.actorName, role: e.actorRole, delegation: e.delegation },
    action: e.action,
    subject: e.subject,
    prev: e.prevHash,
  });
}

/** sha256 of the hash input, as 64 lowercase hex digits. */
export function entryHash(e: HashedEntry): string {
  return createHash("sha256").update(hashInput(e), "utf8").digest("hex");
}
