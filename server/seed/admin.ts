import type { Sql } from "../db/sql";
import { countAdmins, createUser } from "../queries/users";
import { generatePassword, hashPassword } from "../auth/password";

/**
 * On an empty deployment, creates the administrator from ADMIN_EMAIL/ADMIN_PASSWORD, or with a
 * generated password that is printed once (only its hash is kept).
 */
export async function ensureAdmin(sql: Sql, options: { email: string; password?: string; log: (line: string) => void }): Promise<boolean> {
  if ((await countAdmins(sql)) > 0) return false;
  const password = options.password ?? generatePassword();
  await createUser(sql, { email: options.email, name: "Deployment administrator", passwordHash: await hashPassword(password), isAdmin: true });
  options.log(
    options.password
      ? `Created the deployment administrator ${options.email} (password from ADMIN_PASSWORD).`
      : `Created the deployment administrator ${options.email} with password ${password} (shown only this once).`,
  );
  return true;
}
