import { createHash, randomBytes } from "node:crypto";
import type { Db } from "../db/sql";
import type { UserRow } from "./users";

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

export interface SessionUser extends UserRow {
  sessionId: string;
}

/** Creates a session and returns the token for the cookie; only its hash is stored. */
export async function createSession(sql: Db, userId: string, ttlMs: number): Promise<{ token: string; sessionId: string }> {
  const token = randomBytes(32).toString("base64url");
  const sessionId = hashToken(token);
  await sql`insert into sessions (id, user_id, expires_at) values (${sessionId}, ${userId}, ${new Date(Date.now() + ttlMs)})`;
  return { token, sessionId };
}

export async function findSessionUser(sql: Db, token: string): Promise<SessionUser | null> {
  const [row] = await sql<SessionUser[]>`
    select s.id as "sessionId", u.id, u.email, u.name, u.is_admin as "isAdmin"
    from sessions s join users u on u.id = s.user_id
    where s.id = ${hashToken(token)} and s.expires_at > now()`;
  return row ?? null;
}

export async function deleteSession(sql: Db, token: string): Promise<string> {
  const sessionId = hashToken(token);
  await sql`delete from sessions where id = ${sessionId}`;
  return sessionId;
}

export async function deleteExpiredSessions(sql: Db): Promise<void> {
  await sql`delete from sessions where expires_at <= now()`;
}
