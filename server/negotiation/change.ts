import type { Sql } from "../db/sql";
import { appendAudit, type Tx } from "../audit/log";
import { publishNegotiationEvent, type NegotiationEvent } from "./events";
import type { AuditAction } from "../../app/statement/vocabulary";

export type Audit = (action: AuditAction, subject: Record<string, unknown>) => Promise<void>;

export type Announcement = Omit<NegotiationEvent, "documentId">;

/**
 * Runs a change to the negotiation on a statement: `run` changes it in one transaction, writing
 * its audit entries through `audit` (so they commit with it or not at all), and what `announce`
 * says of the result is published once committed. A refusal thrown in `run` rolls it all back.
 */
export async function changeNegotiation<T>(
  sql: Sql,
  change: { documentId: string; actorId: string | null; announce: (value: T) => Announcement[] },
  run: (tx: Tx, audit: Audit) => Promise<T>,
): Promise<T> {
  const { documentId, actorId } = change;
  const value = (await sql.begin((tx) =>
    run(tx, async (action, subject) => {
      await appendAudit(tx, { documentId, actorId, action, subject });
    }),
  )) as T;
  for (const event of change.announce(value)) await publishNegotiationEvent(sql, { documentId, ...event });
  return value;
}
