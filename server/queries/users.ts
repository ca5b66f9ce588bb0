import type { Db } from "../db/sql";

export interface UserRow {
  id: string;
  email: string;
  name: string;
  isAdmin: boolean;
}

const columns = (sql: Db) => sql`id, email, name, is_admin as "isAdmin"`;

/** The account of an e-mail address, whatever its case; `passwordHash` is null for an account made by single sign-on. */
export async function findUserByEmail(sql: Db, email: string): Promise<(UserRow & { passwordHash: string | null }) | null> {
  const [row] = await sql<(UserRow & { passwordHash: string | null })[]>`
    select ${columns(sql)}, password_hash as "passwordHash" from users where lower(email) = lower(${email})`;
  return row ?? null;
}

export async function findUser(sql: Db, id: string): Promise<UserRow | null> {
  const [row] = await sql<UserRow[]>`select ${columns(sql)} from users where id = ${id}`;
  return row ?? null;
}

/** Creates an account; without a password hash (single sign-on) it cannot sign in with a password. */
export async function createUser(
  sql: Db,
  u: { email: string; name: string; passwordHash: string | null; isAdmin?: boolean },
): Promise<UserRow> {
  const [row] = await sql<UserRow[]>`
    insert into users (email, name, password_hash, is_admin)
    values (${u.email.trim()}, ${u.name.trim()}, ${u.passwordHash}, ${u.isAdmin ?? false})
    returning ${columns(sql)}`;
  return row;
}

export async function countAdmins(sql: Db): Promise<number> {
  const [row] = await sql<{ n: number }[]>`select count(*)::int as n from users where is_admin`;
  return row.n;
}
