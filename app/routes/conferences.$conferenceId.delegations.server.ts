/**
 * What the delegations page uses on the server, beside its route: a `.server` module (ignored as a route by
 * `remix.config.js`), so none of it (node:crypto, node:zlib, SQL) can reach the browser bundle.
 */
export { createDelegation, findDelegationConflicts, listDelegationsWithCounts } from "../../server/queries/delegations";
export { listGroupMembers } from "../../server/queries/delegation-groups";
export {
  nonNegotiatingMayPropose,
  setDelegationKind,
  setGroupMembership,
  setNonNegotiatingMayPropose,
} from "../../server/people/delegations";
