import type { Db } from "../../server/db/sql";
import { auditChain, type AuditRow } from "../../server/queries/audit-log";

/** A conference's audit entries in chain order. */
export async function auditEntries(sql: Db, conferenceId: string): Promise<AuditRow[]> {
  const rows: AuditRow[] = [];
  for await (const row of auditChain(sql, conferenceId)) rows.push(row);
  return rows;
}

/** The entries recorded since `after` (a seq), for one action. */
export async function entriesOf(sql: Db, conferenceId: string, action: string, after = 0): Promise<AuditRow[]> {
  return (await auditEntries(sql, conferenceId)).filter((r) => r.action === action && r.seq > after);
}

/** The last seq of a conference's chain (0 before the first entry). */
export async function lastSeq(sql: Db, conferenceId: string): Promise<number> {
  const rows = await auditEntries(sql, conferenceId);
  return rows.length ? rows[rows.length - 1].seq : 0;
}
