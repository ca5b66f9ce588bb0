import type { Sql } from "../db/sql";
import { claimDeadlineNotice, runningDeadlines, type RunningDeadline } from "../queries/notifications";
import { createDueTimers, type DueTimers } from "../negotiation/due-timers";
import { writeSilenceNotices } from "./negotiation-notices";

const leads = [
  { lead: "24h", ms: 24 * 3_600_000 },
  { lead: "1h", ms: 3_600_000 },
] as const;

/** When the procedure's next notice is due by this process's clock, or null when none is left to send. */
function nextNoticeAt(p: RunningDeadline, now: number): number | null {
  const deadline = p.deadline.getTime();
  if (now >= deadline) return null;
  const due = leads
    .filter(({ lead, ms }) => !p.sent.includes(lead) && p.openedAt.getTime() < deadline - ms)
    // A shorter notice due already makes a longer one pointless.
    .filter(({ ms }) => !leads.some((l) => l.ms < ms && now >= deadline - l.ms))
    .map(({ ms }) => deadline - ms);
  return due.length > 0 ? Math.min(...due) : null;
}

/**
 * Tells everyone who sees the negotiation that a silence procedure's deadline is 24 hours, then 1
 * hour, away. Every instance arms the same timers; sending claims the notice in PostgreSQL
 * (`claimDeadlineNotice`) in the transaction that writes it, so exactly one instance sends each,
 * whichever fires first, and one that was down at the time sends it when it starts (if still due).
 * Should writing the notices fail, the claim rolls back with them and the notice is tried again.
 */
export function createDeadlineNotices({ sql }: { sql: Sql }): DueTimers {
  return createDueTimers({
    component: "notifications",
    what: "the deadline notice",
    async dueAll() {
      const now = Date.now();
      return (await runningDeadlines(sql)).flatMap((p) => {
        const at = nextNoticeAt(p, now);
        return at === null ? [] : [{ documentId: p.documentId, at }];
      });
    },
    async dueOne(documentId) {
      const [procedure] = await runningDeadlines(sql, documentId);
      return procedure ? nextNoticeAt(procedure, Date.now()) : null;
    },
    async run(documentId) {
      const [procedure] = await runningDeadlines(sql, documentId);
      for (const { lead } of leads) {
        if (!procedure || procedure.sent.includes(lead)) continue;
        await sql.begin(async (tx) => {
          const claimed = await claimDeadlineNotice(tx, procedure.id, lead);
          if (!claimed) return;
          const details = { deadline: claimed.deadline.toISOString(), timeZone: claimed.timeZone, lead };
          await writeSilenceNotices(tx, null, claimed.documentId, "silence_deadline", details);
        });
      }
    },
  });
}
