/**
 * What the secretariat and administration pages do on the server, gathered in one `.server`
 * module so that none of it (node:crypto, password hashing, SQL) can reach the browser bundle.
 */
export { hashPassword } from "../../server/auth/password";
export { availableSlug, createConference, findConference, listConferencesWithSecretariat, slugify } from "../../server/queries/conferences";
export {
  createDelegation,
  findDelegation,
  findDelegationConflicts,
  listDelegations,
  listDelegationsWithCounts,
} from "../../server/queries/delegations";
export { findInvitationByToken, listInvitations, revokeInvitation } from "../../server/queries/invitations";
export { findMembership, listMembers } from "../../server/queries/memberships";
export { findUser, findUserByEmail } from "../../server/queries/users";
export { createStatement, zeroDraftName } from "../../server/versions/new-statement";
export { importPeople } from "../../server/people/import";
export { paragraphsFromDocx } from "../../server/import/docx";
export { ZipRefused } from "../../server/import/bounded-zip";
export { acceptInvitation, issueInvitation } from "../../server/people/invitations";
export { assignRole, changeRole, removePerson } from "../../server/people/memberships";
