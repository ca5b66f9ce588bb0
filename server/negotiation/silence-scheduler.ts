import type { Sql } from "../db/sql";
import { runningSilences } from "../queries/silence-procedures";
import { createDueTimers, type DueTimers } from "./due-timers";
import { passSilenceIfDue } from "./silence";

/**
 * Closes silence procedures at their deadline. Every instance arms the same timers; the closing
 * is a conditional UPDATE, so exactly one instance passes each procedure.
 */
export function createSilenceScheduler({ sql }: { sql: Sql }): DueTimers {
  return createDueTimers({
    component: "silence",
    what: "closing the procedure",
    dueAll: async () => (await runningSilences(sql)).map(({ documentId, deadline }) => ({ documentId, at: deadline.getTime() })),
    dueOne: async (documentId) => (await runningSilences(sql, documentId))[0]?.deadline.getTime() ?? null,
    run: async (documentId) => {
      await passSilenceIfDue(sql, documentId);
    },
  });
}
