import { redirect } from "@remix-run/node";
import type { AppLoadContext } from "@remix-run/node";
import { can, resolveAccess, type Access, type Permission } from "../../server/auth/permissions";
import type { SessionUser } from "../../server/queries/sessions";
import { findDocument, type DocumentRow } from "../../server/queries/documents";
import { findConference, type ConferenceRow } from "../../server/queries/conferences";
import { invariantResponse } from "./invariant";
import { maySeeNegotiation, maySeeStatement, refusals } from "../../server/auth/visibility";

export async function getUser(request: Request, context: AppLoadContext): Promise<SessionUser | null> {
  return context.auth.userFromCookie(request.headers.get("Cookie"));
}

/** The signed-in person; anyone else is sent to sign in and brought back afterwards. */
export async function requireUser(request: Request, context: AppLoadContext): Promise<SessionUser> {
  const user = await getUser(request, context);
  if (!user) {
    const url = new URL(request.url);
    throw redirect(`/login?${new URLSearchParams({ redirectTo: url.pathname + url.search })}`);
  }
  return user;
}

export async function requireAdmin(request: Request, context: AppLoadContext): Promise<SessionUser> {
  const user = await requireUser(request, context);
  invariantResponse(user.isAdmin, "Only the deployment administrator can do this.", { status: 403 });
  return user;
}

export interface ConferenceAccess {
  user: SessionUser;
  access: Access;
  conference: ConferenceRow;
}

/**
 * The person's access to a conference, checked for a permission. Someone with no part in the
 * conference gets 404, as if it did not exist; a member without the right gets 403.
 */
export async function requireConferencePermission(
  request: Request,
  context: AppLoadContext,
  conferenceId: string | undefined,
  permission: Permission,
): Promise<ConferenceAccess> {
  const user = await requireUser(request, context);
  const conference = conferenceId ? await findConference(context.sql, conferenceId) : null;
  const access = conference ? await resolveAccess(context.sql, user, conference.id) : null;
  invariantResponse(conference && access, "There is no such conference.", { status: 404 });
  invariantResponse(can(access, permission), "Your role in this conference does not allow this.", { status: 403 });
  return { user, access, conference };
}

/**
 * A statement and the person's access to it, checked for a permission and for the conference's
 * confidentiality: in closed session an observer is refused every page of its statements.
 */
export async function requireDocumentPermission(
  request: Request,
  context: AppLoadContext,
  documentId: string | undefined,
  permission: Permission,
): Promise<ConferenceAccess & { document: DocumentRow }> {
  const user = await requireUser(request, context);
  const document = documentId ? await findDocument(context.sql, documentId) : null;
  // A proposal's drafting document is reached through its proposal, never as a statement.
  invariantResponse(document && document.kind === "statement", "There is no such document.", { status: 404 });
  const conference = await findConference(context.sql, document.conferenceId);
  const access = conference ? await resolveAccess(context.sql, user, conference.id) : null;
  invariantResponse(conference && access, "There is no such document.", { status: 404 });
  invariantResponse(can(access, permission), "Your role in this conference does not allow this.", { status: 403 });
  invariantResponse(maySeeStatement(access, conference), refusals.none, { status: 403 });
  return { user, access, conference, document };
}

/** As `requireDocumentPermission`, for what shows the negotiation (proposals, positions, the compilation). */
export async function requireNegotiationPermission(
  request: Request,
  context: AppLoadContext,
  documentId: string | undefined,
  permission: Permission,
): Promise<ConferenceAccess & { document: DocumentRow }> {
  const found = await requireDocumentPermission(request, context, documentId, permission);
  invariantResponse(maySeeNegotiation(found.access, found.conference), refusals.text, { status: 403 });
  return found;
}

/**
 * Reads a signed-in person's form and checks its anti-forgery token; every action that changes
 * something goes through here.
 */
export async function readProtectedForm(request: Request, context: AppLoadContext, user: SessionUser): Promise<FormData> {
  const form = await request.formData().catch(() => null);
  invariantResponse(form, "The form could not be read.", { status: 400 });
  invariantResponse(context.auth.verifyCsrf(user.sessionId, form.get("csrf")), "The form has expired. Reload the page and try again.", {
    status: 403,
  });
  return form;
}

/** Password links exist only where people sign in with a password (PASSWORD_SIGN_IN): elsewhere there is no such page. */
export function requirePasswordSignIn(context: AppLoadContext): void {
  invariantResponse(context.config.PASSWORD_SIGN_IN, "Signing in with a password is switched off here.", { status: 404 });
}
