import postgres from "postgres";

export type Sql = postgres.Sql;

/** The one postgres.js instance of a process. */
export function createSql(url: string, options: { max?: number } = {}): Sql {
  return postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
  });
}

/**
 * Opens `count` of the pool's connections now, in parallel. A statement opened just after a start
 * makes several look-ups at once (the session and access, the document's state, its claims, locks
 * and kind); each would otherwise wait for a connection of its own to be opened then.
 */
export async function openConnections(sql: Sql, count = 6): Promise<void> {
  await Promise.all(Array.from({ length: count }, () => sql`select 1`));
}

/** What query functions take: the instance itself, or a transaction begun on it. */
export type Db = Sql | postgres.TransactionSql;
