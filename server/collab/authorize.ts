import type { IncomingMessage } from "node:http";
import type { Sql } from "../db/sql";
import type { Auth } from "../auth/service";
import { can, resolveAccess } from "../auth/permissions";
import { findDocument } from "../queries/documents";
import { findUser } from "../queries/users";
import type { Authorization } from "./endpoint";

/**
 * The collaboration endpoint's access decisions, made by the same permission module as the
 * HTTP routes: no session → 401; a document the person has no part in → 404, as over HTTP;
 * the role decides whether their updates are accepted.
 */
export function collabAccess(sql: Sql, auth: Auth) {
  return {
    async authorize(req: IncomingMessage, documentId: string): Promise<Authorization> {
      const user = await auth.userFromCookie(req.headers.cookie);
      if (!user) return { ok: false, status: 401 };
      const document = await findDocument(sql, documentId);
      if (!document) return { ok: false, status: 404 };
      const access = await resolveAccess(sql, user, document.conferenceId);
      if (!access) return { ok: false, status: 404 };
      if (!can(access, "conference:view")) return { ok: false, status: 403 };
      return {
        ok: true,
        userId: user.id,
        sessionId: user.sessionId,
        conferenceId: document.conferenceId,
        canWrite: can(access, "document:write"),
      };
    },

    async recheck(userId: string, conferenceId: string): Promise<{ canWrite: boolean } | null> {
      const user = await findUser(sql, userId);
      const access = user ? await resolveAccess(sql, user, conferenceId) : null;
      return access && can(access, "conference:view") ? { canWrite: can(access, "document:write") } : null;
    },
  };
}
