/**
 * The words of a negotiation, shared by the pages, the server and the database's checks: who
 * takes part, what a clause, a signal, a proposal and a silence procedure can be.
 */

/** People. */
/** A translator works in one language of the conference (memberships.language). */
export type Role = "secretariat" | "chair" | "delegate" | "observer" | "translator";
export const roles: readonly Role[] = ["secretariat", "chair", "delegate", "observer", "translator"];
/**
 * Kinds of delegation, as UN practice knows them. Member States, regional integration
 * organisations and groups of States negotiate; the others take part without counting toward
 * consensus (server/auth/delegation-rights.ts).
 */
export type DelegationKind = "member_state" | "regional_organization" | "observer_state" | "un_entity" | "igo" | "ngo" | "group";
export const delegationKinds: readonly DelegationKind[] = [
  "member_state",
  "regional_organization",
  "observer_state",
  "un_entity",
  "igo",
  "ngo",
  "group",
];
export const negotiatingKinds: readonly DelegationKind[] = ["member_state", "regional_organization", "group"];

/** Clauses. */
export type ClauseState = "open" | "under_negotiation" | "agreed_ad_ref" | "agreed";
export const clauseStates: readonly ClauseState[] = ["open", "under_negotiation", "agreed_ad_ref", "agreed"];
/** A delegation's position on a clause: it can accept it, not yet (with a reason), or with a reservation. */
export type ClauseSignal = "accept" | "not_yet" | "reservation";
export const clauseSignals: readonly ClauseSignal[] = ["accept", "not_yet", "reservation"];
/** As given: "align" is a member delegation aligning with its group's signal, which then is its own. */
export type GivenSignal = ClauseSignal | "align";

/** Proposals. */
/** "package": a breakout's outcome, one proposal covering all its clauses (submitted by its facilitator, never drafted here). */
export type ProposalKind = "replace" | "delete" | "retain" | "add" | "package";
/** "not_taken_up": still open (a draft or submitted) when the text was adopted, and closed by the adoption. */
export type ProposalStatus = "draft" | "submitted" | "accepted" | "rejected" | "merged" | "withdrawn" | "not_taken_up";
/** "align": a member delegation of a group aligns with the group's proposal. */
export type Position = "cosponsor" | "support" | "object" | "align";
/** The kinds a delegation or the chair drafts. */
export const proposalKinds: readonly ProposalKind[] = ["replace", "delete", "retain", "add"];
/** Statuses in which a proposal still waits for the chair. */
export const openStatuses: readonly ProposalStatus[] = ["draft", "submitted"];
/** Statuses of proposals set aside: their text is history, shown in full on their own page only. */
export const setAsideStatuses: readonly ProposalStatus[] = ["withdrawn", "rejected", "not_taken_up"];
export type ProposalEventKind =
  | "created"
  | "submitted"
  | "revised"
  | "withdrawn"
  | "cosponsored"
  | "supported"
  | "objected"
  | "aligned"
  | "position_withdrawn"
  | "accepted"
  | "rejected"
  | "merged"
  | "not_taken_up"
  | "discussion_opened";

/** Procedures and records. */
export type SilenceStatus = "running" | "broken" | "passed" | "cancelled";
export type InvitationStatus = "pending" | "accepted" | "expired" | "revoked";
/** What can happen, by area. Comments are conversation, not decisions, and are not recorded. */
export type AuditAction =
  | "proposal.created"
  | "proposal.submitted"
  | "proposal.revised"
  | "proposal.withdrawn"
  | "proposal.cosponsored"
  | "proposal.supported"
  | "proposal.objected"
  | "proposal.aligned"
  | "proposal.position_withdrawn"
  | "proposal.accepted"
  | "proposal.rejected"
  | "proposal.merged"
  | "proposal.not_taken_up"
  | "proposal.discussion_opened"
  | "signal.set"
  | "clause_state.set"
  | "silence.opened"
  | "silence.cancelled"
  | "silence.broken"
  | "silence.passed"
  | "statement.adopted"
  | "explanation.filed"
  | "explanation.revised"
  | "explanation.withdrawn"
  | "version.created"
  | "version.restored"
  | "role.assigned"
  | "role.changed"
  | "member.removed"
  | "invitation.accepted"
  | "password_reset.link_made"
  | "confidentiality.changed"
  | "languages.changed"
  | "statement.original_language_changed"
  | "conference.details_changed"
  | "document.symbol_changed"
  | "delegation.kind_changed"
  | "group.members_changed"
  | "proposal_rights.changed"
  | "export.downloaded"
  | "reading.started"
  | "reading.marked"
  | "reading.ended"
  | "screen.token_created"
  | "screen.token_revoked"
  | "screen.attributions_changed"
  | "breakout.created"
  | "breakout.participants_changed"
  | "breakout.package_submitted"
  | "breakout.package_accepted"
  | "breakout.package_rejected"
  | "breakout.package_discussion"
  | "breakout.proposal_accepted"
  | "breakout.proposal_rejected"
  | "breakout.closed";
