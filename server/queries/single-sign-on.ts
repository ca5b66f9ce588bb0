import { createHash } from "node:crypto";
import type { Db, Sql } from "../db/sql";

const hashKey = (key: string) => createHash("sha256").update(key).digest("hex");

/** What a sign-in under way must find again when the provider answers. */
export interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** A path of this site, checked when the sign-in began. */
  returnTo: string;
}

/**
 * Keeps a sign-in under way under the sha256 of the browser's key, unless `address` (a network, see
 * addressGroup) has `limit` under way already: then how long until its oldest expires. Sign-ins
 * left unfinished are cleared as new ones begin.
 */
export async function savePendingSignIn(
  sql: Sql,
  key: string,
  p: PendingSignIn,
  { ttlMs, address, limit }: { ttlMs: number; address: string; limit: number },
): Promise<{ ok: true } | { ok: false; retryAfterMs: number }> {
  return sql.begin(async (tx) => {
    // Starts from one network take turns, so that parallel ones cannot all pass the count.
    await tx`select pg_advisory_xact_lock(hashtext('concord:oidc_sign_ins:' || ${address}))`;
    await tx`delete from oidc_sign_ins where expires_at <= now()`;
    const [{ live, oldestExpiry }] = await tx<{ live: number; oldestExpiry: Date | null }[]>`
      select count(*)::int as live, min(expires_at) as "oldestExpiry" from oidc_sign_ins where address = ${address}`;
    if (live >= limit) return { ok: false as const, retryAfterMs: Math.max(1000, oldestExpiry!.getTime() - Date.now()) };
    await tx`
      insert into oidc_sign_ins (id, state, nonce, code_verifier, return_to, expires_at, address)
      values (${hashKey(key)}, ${p.state}, ${p.nonce}, ${p.codeVerifier}, ${p.returnTo}, ${new Date(Date.now() + ttlMs)}, ${address})`;
    return { ok: true as const };
  });
}

/** Takes the sign-in a key names, once: the row goes, so a second answer with the same key finds nothing. */
export async function takePendingSignIn(sql: Db, key: string): Promise<PendingSignIn | null> {
  const [row] = await sql<(PendingSignIn & { live: boolean })[]>`
    delete from oidc_sign_ins where id = ${hashKey(key)}
    returning state, nonce, code_verifier as "codeVerifier", return_to as "returnTo", expires_at > now() as live`;
  if (!row?.live) return null;
  const { live: _, ...pending } = row;
  return pending;
}

/** The account a provider's subject is linked to, noting the sign-in. */
export async function signInLinkedIdentity(sql: Db, issuer: string, subject: string): Promise<string | null> {
  const [row] = await sql<{ userId: string }[]>`
    update user_identities set last_sign_in_at = now()
    where issuer = ${issuer} and subject = ${subject}
    returning user_id as "userId"`;
  return row?.userId ?? null;
}

/** Links a provider's subject to an account; a subject linked meanwhile (a simultaneous first sign-in) keeps its account. */
export async function linkIdentity(sql: Db, i: { issuer: string; subject: string; userId: string; email: string }): Promise<string> {
  await sql`
    insert into user_identities (issuer, subject, user_id, email)
    values (${i.issuer}, ${i.subject}, ${i.userId}, ${i.email})
    on conflict (issuer, subject) do nothing`;
  const [row] = await sql<{ userId: string }[]>`
    select user_id as "userId" from user_identities where issuer = ${i.issuer} and subject = ${i.subject}`;
  return row.userId;
}
