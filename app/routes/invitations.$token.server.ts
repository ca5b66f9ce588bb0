/**
 * What the invitation page uses on the server, beside its route: a `.server` module (ignored as a route by
 * `remix.config.js`), so none of it (node:crypto, node:zlib, SQL) can reach the browser bundle.
 */
export { acceptInvitation } from "../../server/people/invitations";
export { findInvitationByToken } from "../../server/queries/invitations";
export { findUserByEmail } from "../../server/queries/users";
export { hashPassword } from "../../server/auth/password";
export { passwordSignInOff } from "../../server/auth/service";
