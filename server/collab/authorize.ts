import type { IncomingMessage } from "node:http";
import type { Sql } from "../db/sql";
import type { Auth } from "../auth/service";
import { can, resolveAccess } from "../auth/permissions";
import { findDocument } from "../queries/documents";
import { findProposalByTextDocument, isSponsor, openStatuses } from "../queries/proposals";
import type { SessionUser } from "../queries/sessions";
import { findUser } from "../queries/users";
import type { Authorization } from "./endpoint";

type Decision = { ok: false; status: 403 | 404 } | { ok: true; conferenceId: string; canWrite: boolean };

/**
 * The collaboration endpoint's access decisions, made by the same permission module as the
 * HTTP routes: no session → 401; a document the person has no part in → 404, as over HTTP;
 * the role decides whether their updates are accepted. A proposal's drafting document exists
 * only for its sponsors (the delegation's members, or the chair for a compromise), who may write
 * in it while the proposal is open.
 */
export function collabAccess(sql: Sql, auth: Auth) {
  async function decide(user: Pick<SessionUser, "id" | "isAdmin">, documentId: string): Promise<Decision> {
    const document = await findDocument(sql, documentId);
    if (!document) return { ok: false, status: 404 };
    const access = await resolveAccess(sql, user, document.conferenceId);
    if (!access) return { ok: false, status: 404 };
    if (!can(access, "conference:view")) return { ok: false, status: 403 };
    if (document.kind === "proposal") {
      const proposal = await findProposalByTextDocument(sql, document.id);
      if (!proposal || !isSponsor(proposal, { delegationId: access.delegationId, isChair: can(access, "negotiation:chair") })) {
        return { ok: false, status: 404 };
      }
      return { ok: true, conferenceId: document.conferenceId, canWrite: openStatuses.includes(proposal.status) };
    }
    return { ok: true, conferenceId: document.conferenceId, canWrite: can(access, "document:write") };
  }

  return {
    async authorize(req: IncomingMessage, documentId: string): Promise<Authorization> {
      const user = await auth.userFromCookie(req.headers.cookie);
      if (!user) return { ok: false, status: 401 };
      const decision = await decide(user, documentId);
      return decision.ok ? { ...decision, userId: user.id, sessionId: user.sessionId } : decision;
    },

    async recheck(userId: string, documentId: string): Promise<{ canWrite: boolean } | null> {
      const user = await findUser(sql, userId);
      const decision = user ? await decide(user, documentId) : null;
      return decision?.ok ? { canWrite: decision.canWrite } : null;
    },
  };
}
