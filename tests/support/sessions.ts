import { randomBytes } from "node:crypto";
import type { Sql } from "../../server/db/sql";
import { createAuth, sessionSecret } from "../../server/auth/service";
import { createDelegation } from "../../server/queries/delegations";
import { setMembership } from "../../server/queries/memberships";
import { createUser } from "../../server/queries/users";
import type { Role } from "../../app/statement/vocabulary";

/**
 * A signed-in session's Cookie header for a user, signed with the secret the test server reads
 * from the same database, so tests need not go through the sign-in form for every client.
 */
export async function sessionCookieFor(sql: Sql, userId: string): Promise<string> {
  const auth = createAuth({ sql, secret: await sessionSecret(sql, undefined), secureCookies: false });
  return (await auth.startSession(userId)).split(";")[0];
}

/**
 * A person with a role in a conference and an open session. Their password is unusable: tests
 * that sign in through the form create people with a real password instead.
 */
export async function createSessionUser(
  sql: Sql,
  { conferenceId, role, delegationId, name }: { conferenceId: string; role: Role; delegationId?: string; name?: string },
): Promise<{ userId: string; email: string; cookie: string; delegationId: string | null }> {
  const suffix = randomBytes(4).toString("hex");
  const user = await createUser(sql, { email: `${role}-${suffix}@test.example`, name: name ?? `${role} ${suffix}`, passwordHash: "!" });
  let delegation = delegationId ?? null;
  if (role === "delegate" && !delegation) {
    delegation = (await createDelegation(sql, { conferenceId, name: `Delegation ${suffix}`, code: `D${suffix}`.slice(0, 12), kind: "state" })).id;
  }
  await setMembership(sql, { conferenceId, userId: user.id, role, delegationId: role === "delegate" ? delegation : null });
  return { userId: user.id, email: user.email, cookie: await sessionCookieFor(sql, user.id), delegationId: delegation };
}
