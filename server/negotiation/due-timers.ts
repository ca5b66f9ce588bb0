import { logFunction } from "../log";

/** One timer per statement for work due at a time kept in PostgreSQL (a deadline, a notice before it). */
export interface DueTimers {
  /** Arms a timer for everything due (the times are in PostgreSQL, so they outlive restarts). */
  start(): Promise<void>;
  /** Re-reads one statement (opened, broken, cancelled, done elsewhere) and re-arms. */
  refresh(documentId: string): void;
  stop(): Promise<void>;
}

export interface DueWork {
  /** The log lines' component: "silence", "notifications". */
  component: string;
  /** Names the work in log lines: "closing the procedure", "the deadline notice". */
  what: string;
  /** When each statement's work is next due, by this process's clock. */
  dueAll(): Promise<{ documentId: string; at: number }[]>;
  /** When one statement's work is next due, or null when nothing is left to do. */
  dueOne(documentId: string): Promise<number | null>;
  /**
   * Does the work if the database agrees it is due. Every instance arms the same timers, so the
   * work must be claimed in PostgreSQL (a conditional UPDATE, a claim row) to happen once.
   */
  run(documentId: string): Promise<void>;
}

/** setTimeout takes at most 2^31-1 ms (about 24.8 days); a later time is approached in steps. */
const maxDelay = 2 ** 31 - 1;
/** When this process's clock is ahead of the database's, the work is tried again shortly. */
const retryDelay = 250;
const failureDelay = 5000;

export function createDueTimers(work: DueWork): DueTimers {
  const log = logFunction(work.component);
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
      await work.run(documentId);
    } catch (err) {
      log(`${work.what} on ${documentId} failed; retrying`, err);
      again = failureDelay;
    }
    // Still due (the database's clock is behind, or the work failed): the next reading re-arms it.
    await reload(documentId, again);
  }

  async function reload(documentId: string, minimumDelay = 0) {
    if (stopped) return;
    try {
      const at = await work.dueOne(documentId);
      if (stopped) return;
      if (at === null) disarm(documentId);
      else arm(documentId, Math.max(at, Date.now() + minimumDelay));
    } catch (err) {
      log(`reading what is due on ${documentId} (${work.what}) failed`, err);
      if (!stopped) arm(documentId, Date.now() + failureDelay);
    }
  }

  return {
    async start() {
      for (const { documentId, at } of await work.dueAll()) arm(documentId, at);
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
