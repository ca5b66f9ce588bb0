/**
 * What the administration page uses on the server, beside its route: a `.server` module (ignored as a route by
 * `remix.config.js`), so none of it (node:crypto, node:zlib, SQL) can reach the browser bundle.
 */
export { assignRole } from "../../server/people/memberships";
export { availableSlug, createConference, findConference, listConferencesWithSecretariat, slugify } from "../../server/queries/conferences";
export { createStatement, zeroDraftName } from "../../server/versions/new-statement";
export { findMembership } from "../../server/queries/memberships";
export { findUserByEmail } from "../../server/queries/users";
export { issueInvitation } from "../../server/people/invitations";
