import type { Db } from "../db/sql";
import { auditChain, auditHead } from "../queries/audit-log";
import { entryHash, genesisHash } from "./hash";

export interface ChainReport {
  ok: boolean;
  /** Entries read. */
  entries: number;
  /** The first entry at which the chain does not hold, and why. */
  firstBroken?: { seq: number; reason: string };
}

/**
 * Re-reads a conference's chain from its first entry: every entry must be numbered next, carry
 * the previous entry's hash, and hash to what it says; the last must be where the chain head
 * says the chain ended. Changed, deleted, inserted and reordered entries all break one of these.
 */
export async function verifyChain(sql: Db, conferenceId: string): Promise<ChainReport> {
  let expected = 1;
  let prev = genesisHash;
  let entries = 0;
  const broken = (seq: number, reason: string): ChainReport => ({ ok: false, entries, firstBroken: { seq, reason } });
  for await (const row of auditChain(sql, conferenceId)) {
    entries++;
    if (row.seq !== expected) {
      return broken(
        expected,
        expected === row.seq - 1 ? `Entry ${expected} is missing.` : `Entries ${expected}–${row.seq - 1} are missing.`,
      );
    }
    if (row.prevHash !== prev) {
      return broken(
        row.seq,
        `It does not follow entry ${row.seq - 1}: entries were removed, inserted or reordered here, or entry ${row.seq - 1} was rewritten.`,
      );
    }
    if (entryHash(row) !== row.hash) return broken(row.seq, "Its content does not match its hash: the entry was changed.");
    prev = row.hash;
    expected++;
  }
  const last = expected - 1;
  const head = await auditHead(sql, conferenceId);
  if (!head) return entries === 0 ? { ok: true, entries } : broken(1, "The chain has no head: it was not written by Concord.");
  if (head.seq > last) {
    return broken(
      last + 1,
      head.seq === last + 1
        ? `Entry ${head.seq}, the last one, is missing.`
        : `Entries ${last + 1}–${head.seq}, the last ones, are missing.`,
    );
  }
  if (head.seq < last)
    return broken(head.seq + 1, `The chain ended at entry ${head.seq}; the entries after it were added outside Concord.`);
  if (head.hash !== prev) return broken(last, "The last entry is not the one the chain ended with.");
  return { ok: true, entries };
}
