/**
 * How long what participants write may be, in characters. A proposal, comment or reason is sent
 * to everyone showing the statement on every live reload, so one unbounded text would weigh on
 * every page for everyone. The server refuses anything longer (in the rules and the actions, with
 * a clear error, changing nothing); the forms mirror the limits with maxLength.
 */

/** A proposed clause (a submitted draft or revision) and a chair's compromise text. */
export const maxProposalTextLength = 5000;
/** A comment or a reply. */
export const maxCommentLength = 4000;
/** Any reason or explanation: positions, decisions, signals, clause states, the silence note and objections. */
export const maxReasonLength = 2000;
/** A delegation's explanation of position (reservations included): a statement read into the record, longer than a reason. */
export const maxExplanationLength = 10_000;
/** A note in a delegation's workspace (as a comment: written in the room, read by the delegation's members). */
export const maxWorkspaceNoteLength = 4000;
/** Notes one delegation keeps on one statement: its workspace page and statement page load them all. */
export const maxWorkspaceNotes = 500;
/** A statement's or a conference's title. */
export const maxTitleLength = 200;
/** A named revision. */
export const maxVersionNameLength = 100;

/** Invitations: how long a link stays valid, by default and as the secretariat may choose, in days. */
export const defaultInvitationDays = 7;
export const invitationDayChoices = [1, 3, 7, 14, 30] as const;
/** Largest accepted people CSV file; checked while the upload streams in, before it is read whole. */
export const maxImportBytes = 1024 * 1024;
export const maxImportRows = 5000;
