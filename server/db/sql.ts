import postgres from "postgres";

export type Sql = postgres.Sql;

/** The one postgres.js instance of a process. */
export function createSql(url: string, options: { max?: number } = {}): Sql {
  return postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
  });
}

/** What query functions take: the instance itself, or a transaction begun on it. */
export type Db = Sql | postgres.TransactionSql;
