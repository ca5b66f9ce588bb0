/** PostgreSQL refused a row a unique constraint already holds (SQLSTATE 23505). */
export const isUniqueViolation = (err: unknown) => (err as { code?: string } | null)?.code === "23505";
