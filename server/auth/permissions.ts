import type { Db } from "../db/sql";
import type { SessionUser } from "../queries/sessions";
import type { Role } from "../../app/statement/vocabulary";
import { findMembershipRights, noRights, type DelegationRights } from "./delegation-rights";

/**
 * Every right in a conference, and which roles hold it. HTTP routes and the collaboration
 * endpoint both decide through `can`, so the two cannot disagree. What a member sees of the
 * statements (and so downloads) also depends on the conference's confidentiality: `visibility.ts`.
 */
export type Permission =
  | "conference:view" // read the conference and its documents
  | "document:write" // change a document's base text
  | "conference:manage" // documents, delegations, people, invitations
  | "negotiation:chair" // decide on proposals, set clause states, run the silence procedure
  | "negotiation:comment" // write comments, resolve and reopen threads
  | "screen:manage"; // make, revoke and set the plenary screen's projection links

const grants: Record<Role, readonly Permission[]> = {
  secretariat: ["conference:view", "document:write", "conference:manage", "negotiation:comment", "screen:manage"],
  chair: ["conference:view", "document:write", "negotiation:chair", "negotiation:comment", "screen:manage"],
  delegate: ["conference:view", "negotiation:comment"],
  observer: ["conference:view"],
  // Writes the translations of their language only (server/translations/rights.ts).
  translator: ["conference:view"],
};

export interface Access {
  userId: string;
  conferenceId: string;
  /** The person's role; a deployment administrator without a membership acts as secretariat. */
  role: Role;
  delegationId: string | null;
  /** A translator's language; null for everyone else. */
  language: string | null;
  /** What a delegate's delegation may do in the negotiation, by its kind; none for everyone else. */
  rights: DelegationRights;
}

/** A person's access to a conference, or null when they have none (answered as 404, not 403). */
export async function resolveAccess(sql: Db, user: Pick<SessionUser, "id" | "isAdmin">, conferenceId: string): Promise<Access | null> {
  const membership = await findMembershipRights(sql, conferenceId, user.id);
  if (membership) {
    const { role, delegationId, language, rights } = membership;
    return { userId: user.id, conferenceId, role, delegationId, language, rights };
  }
  if (user.isAdmin) return { userId: user.id, conferenceId, role: "secretariat", delegationId: null, language: null, rights: noRights };
  return null;
}

export function can(access: Pick<Access, "role">, permission: Permission): boolean {
  return grants[access.role].includes(permission);
}
