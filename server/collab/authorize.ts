import type { IncomingMessage } from "node:http";
import type { Sql } from "../db/sql";
import type { Auth } from "../auth/service";
import { can, resolveAccess } from "../auth/permissions";
import { maySeeNegotiation, maySeeStatement, refusals } from "../auth/visibility";
import { findConference } from "../queries/conferences";
import { findDocument } from "../queries/documents";
import { findProposalByTextDocument, isSponsor } from "../queries/proposals";
import type { SessionUser } from "../queries/sessions";
import { findUser } from "../queries/users";
import { findDelegation } from "../queries/delegations";
import { colorFor } from "../../app/statement/presence-colors";
import type { Authorization } from "./upgrade";
import type { PresenceIdentity } from "./presence";
import { openStatuses } from "../../app/statement/vocabulary";
import { findTranslationByTextDocument } from "../queries/translations";
import { mayTranslate } from "../translations/translations";
import { admitScreen, screenPrincipal, screenStillAdmitted, screenTokenOf } from "../screen/screen";
import { findBreakoutByTextDocument } from "../queries/breakouts";
import { mayReadBreakout, mayWriteBreakout } from "../breakouts/rules";

type Decision =
  | { ok: false; status: 403 | 404; reason?: string }
  | { ok: true; conferenceId: string; canWrite: boolean; role: string; delegationId: string | null };

/**
 * The collaboration endpoint's access decisions, made by the same permission module as the
 * HTTP routes: no session → 401; a document the person has no part in → 404, as over HTTP;
 * the role decides whether their updates are accepted. A proposal's drafting document exists
 * only for its sponsors (the delegation's members, or the chair for a compromise), who may write
 * in it while the proposal is open. The conference's confidentiality applies as on the pages: an
 * observer in closed session opens none of its documents, and a draft, being the negotiation's,
 * is refused to whoever does not see the negotiation (observers are never its sponsors anyway).
 * A clause's translation is the text's: whoever sees the statement reads it, its language's
 * translators and the secretariat write it. A breakout's text is its participants' when the
 * breakout is closed (confidential), everyone's who sees the statement otherwise; the facilitator
 * and the participating delegations write it while it drafts (server/breakouts/rules.ts).
 */
export function collabAccess(sql: Sql, auth: Auth) {
  async function decide(user: Pick<SessionUser, "id" | "isAdmin">, documentId: string): Promise<Decision> {
    const document = await findDocument(sql, documentId);
    if (!document) return { ok: false, status: 404 };
    const [access, conference] = await Promise.all([
      resolveAccess(sql, user, document.conferenceId),
      findConference(sql, document.conferenceId),
    ]);
    if (!access || !conference) return { ok: false, status: 404 };
    if (!can(access, "conference:view")) return { ok: false, status: 403 };
    if (!maySeeStatement(access, conference)) return { ok: false, status: 403, reason: refusals.none };
    if (document.kind === "proposal") {
      const proposal = await findProposalByTextDocument(sql, document.id);
      if (
        !proposal ||
        !maySeeNegotiation(access, conference) ||
        !isSponsor(proposal, { delegationId: access.delegationId, isChair: can(access, "negotiation:chair") })
      ) {
        return { ok: false, status: 404 };
      }
      return { ok: true, conferenceId: document.conferenceId, canWrite: openStatuses.includes(proposal.status), ...who(access) };
    }
    if (document.kind === "translation") {
      // Everyone who sees the text reads its translations; a language's translators and the secretariat write them.
      const translation = await findTranslationByTextDocument(sql, document.id);
      if (!translation) return { ok: false, status: 404 };
      const canWrite = mayTranslate(access, translation.language) && conference.languages.includes(translation.language);
      return { ok: true, conferenceId: document.conferenceId, canWrite, ...who(access) };
    }
    if (document.kind === "breakout") {
      const breakout = await findBreakoutByTextDocument(sql, document.id);
      if (!breakout || !mayReadBreakout(breakout, access, conference)) return { ok: false, status: 404 };
      return { ok: true, conferenceId: document.conferenceId, canWrite: mayWriteBreakout(breakout, access), ...who(access) };
    }
    return { ok: true, conferenceId: document.conferenceId, canWrite: can(access, "document:write"), ...who(access) };
  }

  const who = (access: { role: string; delegationId: string | null }) => ({ role: access.role, delegationId: access.delegationId });

  /** How everyone in a document sees this person: their name, role and delegation, never what their client says. */
  async function identity(
    user: { id: string; name: string },
    decision: { conferenceId: string; role: string; delegationId: string | null },
  ): Promise<PresenceIdentity> {
    const delegation = decision.delegationId ? await findDelegation(sql, decision.conferenceId, decision.delegationId) : null;
    // Named as the statement page names its own user, so that both agree.
    const name = delegation ? `${user.name} (${delegation.code})` : user.name;
    return { name, color: colorFor(user.id), role: decision.role, delegation: delegation?.name ?? null };
  }

  return {
    async authorize(req: IncomingMessage, documentId: string): Promise<Authorization> {
      // A plenary screen connects with its projection token (`?screen=`), never a session: it reads the statement, and writes nothing.
      const screenToken = new URL(req.url ?? "/", "http://localhost").searchParams.get("screen");
      if (screenToken !== null) {
        const screen = await admitScreen(sql, documentId, screenToken);
        if (!screen.ok) return screen;
        const principal = screenPrincipal(screen.tokenId);
        return {
          ok: true,
          conferenceId: screen.document.conferenceId,
          canWrite: false,
          userId: principal,
          sessionId: principal,
          identity: { name: "Plenary screen", color: colorFor(principal), role: "screen", delegation: null },
        };
      }
      const user = await auth.userFromCookie(req.headers.cookie);
      if (!user) return { ok: false, status: 401 };
      const decision = await decide(user, documentId);
      if (!decision.ok) return decision;
      return {
        ok: true,
        conferenceId: decision.conferenceId,
        canWrite: decision.canWrite,
        userId: user.id,
        sessionId: user.sessionId,
        identity: await identity(user, decision),
      };
    },

    async recheck(userId: string, documentId: string): Promise<{ canWrite: boolean } | null> {
      const screenToken = screenTokenOf(userId);
      if (screenToken !== null) return (await screenStillAdmitted(sql, screenToken)) ? { canWrite: false } : null;
      const user = await findUser(sql, userId);
      const decision = user ? await decide(user, documentId) : null;
      return decision?.ok ? { canWrite: decision.canWrite } : null;
    },
  };
}
