import type { Sql } from "../db/sql";
import { claimDeadlineNotice, runningDeadlines, type RunningDeadline } from "../queries/notifications";
import { writeSilenceNotices } from "./negotiation-notices";
import { logFunction, type LogFunction } from "../log";

export interface DeadlineNotices {
  /** Arms the notices of every running procedure (they are in PostgreSQL, so they outlive restarts). */
  start(): Promise<void>;
  /** Re-reads one statement's procedure (opened, broken, cancelled, passed) and re-arms. */
  refresh(documentId: string): void;
  stop(): Promise<void>;
}

const leads = [
  { lead: "24h", ms: 24 * 3_600_000 },
  { lead: "1h", ms: 3_600_000 },
] as const;

/** setTimeout takes at most 2^31-1 ms (about 24.8 days); a later time is approached in steps. */
const maxDelay = 2 ** 31 - 1;
/** When this process's clock is ahead of the database's, the claim is tried again shortly. */
const retryDelay = 250;
const failureDelay = 5000;

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
export function createDeadlineNotices({ sql, log = logFunction("notifications") }: { sql: Sql; log?: LogFunction }): DeadlineNotices {
  const timers = new Map<string, NodeJS.Timeout>();
  const working = new Set<Promise<unknown>>();
  let stopped = false;

  const track = <T>(p: Promise<T>) => {
    working.add(p);
    void p.finally(() => working.delete(p)).catch(() => {});
    return p;
  };

  function disarm(documentId: string) {
    clearTimeout(timers.get(documentId));
    timers.delete(documentId);
  }

  function arm(documentId: string, at: number) {
    disarm(documentId);
    if (stopped) return;
    const delay = at - Date.now();
    const timer =
      delay > maxDelay
        ? setTimeout(() => arm(documentId, at), maxDelay)
        : setTimeout(() => void track(fire(documentId)), Math.max(0, delay));
    timer.unref();
    timers.set(documentId, timer);
  }

  async function fire(documentId: string) {
    timers.delete(documentId);
    if (stopped) return;
    let again = retryDelay;
    try {
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
    } catch (err) {
      log(`the deadline notice on ${documentId} failed; retrying`, err);
      again = failureDelay;
    }
    // Not sent yet (the database's clock is behind, or it failed): the next reading re-arms it.
    await reload(documentId, again);
  }

  async function reload(documentId: string, minimumDelay = 0) {
    if (stopped) return;
    try {
      const [procedure] = await runningDeadlines(sql, documentId);
      if (stopped) return;
      const at = procedure ? nextNoticeAt(procedure, Date.now()) : null;
      if (at === null) disarm(documentId);
      else arm(documentId, Math.max(at, Date.now() + minimumDelay));
    } catch (err) {
      log(`reading the procedure on ${documentId} failed`, err);
      if (!stopped) arm(documentId, Date.now() + failureDelay);
    }
  }

  return {
    async start() {
      const now = Date.now();
      for (const procedure of await runningDeadlines(sql)) {
        const at = nextNoticeAt(procedure, now);
        if (at !== null) arm(procedure.documentId, at);
      }
    },
    refresh(documentId) {
      void track(reload(documentId));
    },
    async stop() {
      stopped = true;
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
      await Promise.allSettled([...working]);
    },
  };
}
