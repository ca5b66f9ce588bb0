import type { Sql } from "../db/sql";
import { countAdmins, createUser } from "../queries/users";
import { generatePassword, hashPassword } from "../auth/password";

/**
 * On an empty deployment, creates the administrator from ADMIN_EMAIL/ADMIN_PASSWORD, or with a
 * generated password that is printed once (only its hash is kept).
 */
export async function ensureAdmin(sql: Sql, options: { email: string; password?: string; log: (line: string) => void }): Promise<boolean> {
  const password = options.password ?? generatePassword();
  // Several instances starting together on an empty database create it once.
  const created = await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext('concord:ensure-admin'))`;
    if ((await countAdmins(tx)) > 0) return false;
    await createUser(tx, {
      email: options.email,
      name: "Deployment administrator",
      passwordHash: await hashPassword(password),
      isAdmin: true,
    });
    return true;
  });
  if (!created) return false;
  options.log(
    options.password
      ? `Created the deployment administrator ${options.email} (password from ADMIN_PASSWORD).`
      : `Created the deployment administrator ${options.email} with password ${password} (shown only this once).`,
  );
  return true;
}
