import type { Sql } from "../db/sql";
import { runningSilences } from "../queries/silence-procedures";
import { passSilenceIfDue } from "./silence";
import { logFunction, type LogFunction } from "../log";

export interface SilenceScheduler {
  /** Arms a timer for every running procedure (deadlines outlive restarts: they are in PostgreSQL). */
  start(): Promise<void>;
  /** Re-reads one statement's procedure (opened, broken, cancelled, passed elsewhere) and re-arms. */
  refresh(documentId: string): void;
  stop(): Promise<void>;
}

/** setTimeout takes at most 2^31-1 ms (about 24.8 days); a later deadline is approached in steps. */
const maxDelay = 2 ** 31 - 1;
/** When this process's clock is ahead of the database's, the closing is tried again shortly. */
const retryDelay = 250;
const failureDelay = 5000;

/**
 * Closes silence procedures at their deadline. Every instance arms the same timers; the closing
 * is a conditional UPDATE, so exactly one instance passes each procedure.
 */
export function createSilenceScheduler({ sql, log = logFunction("silence") }: { sql: Sql; log?: LogFunction }): SilenceScheduler {
  const timers = new Map<string, NodeJS.Timeout>();
  const working = new Set<Promise<unknown>>();
  let stopped = false;

  const track = <T>(p: Promise<T>) => {
    working.add(p);
    void p.finally(() => working.delete(p)).catch(() => {});
    return p;
  };

  function arm(documentId: string, deadline: Date) {
    clearTimeout(timers.get(documentId));
    if (stopped) return;
    const delay = deadline.getTime() - Date.now();
    const timer =
      delay > maxDelay
        ? setTimeout(() => arm(documentId, deadline), maxDelay)
        : setTimeout(() => void track(close(documentId)), Math.max(0, delay));
    timer.unref();
    timers.set(documentId, timer);
  }

  async function close(documentId: string) {
    timers.delete(documentId);
    if (stopped) return;
    let again = retryDelay;
    try {
      await passSilenceIfDue(sql, documentId);
    } catch (err) {
      log(`closing the procedure on ${documentId} failed; retrying`, err);
      again = failureDelay;
    }
    // Still running (the database's clock is behind, or the closing failed): try again.
    await reload(documentId, again);
  }

  async function reload(documentId: string, minimumDelay = 0) {
    if (stopped) return;
    try {
      const [running] = await runningSilences(sql, documentId);
      if (stopped) return;
      if (!running) {
        clearTimeout(timers.get(documentId));
        timers.delete(documentId);
      } else {
        arm(documentId, new Date(Math.max(running.deadline.getTime(), Date.now() + minimumDelay)));
      }
    } catch (err) {
      log(`reading the procedure on ${documentId} failed`, err);
      if (!stopped) arm(documentId, new Date(Date.now() + failureDelay));
    }
  }

  return {
    async start() {
      for (const { documentId, deadline } of await runningSilences(sql)) arm(documentId, deadline);
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
