import type { Db } from "../db/sql";

export interface TableColumns {
  table: string;
  columns: string[];
}

/**
 * Concord's tables and their stored columns (generated ones are computed again on restore),
 * every table of the public schema but the migration record, which a restore rebuilds by migrating.
 */
export async function dataTables(sql: Db): Promise<TableColumns[]> {
  const rows = await sql<{ table: string; columns: string[] }[]>`
    select c.table_name as table, array_agg(c.column_name::text order by c.ordinal_position) as columns
    from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = 'public' and t.table_type = 'BASE TABLE' and c.is_generated = 'NEVER'
      and c.table_name <> 'schema_migrations'
    group by c.table_name
    order by c.table_name`;
  return rows.map((r) => ({ table: r.table, columns: r.columns }));
}
