/** Limits and choices shared by the server and the pages that show them (no imports: safe in the browser bundle). */
export const defaultInvitationDays = 7;
export const invitationDayChoices = [1, 3, 7, 14, 30] as const;
/** Largest accepted CSV file; checked while the upload streams in, before it is read whole. */
export const maxImportBytes = 1024 * 1024;
export const maxImportRows = 5000;
