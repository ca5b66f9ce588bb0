/** The name of the version that keeps the text a restore replaces (browser-safe: the dialog says it before the server writes it). */
export const beforeRestoringName = (label: string) => `Before restoring ${label}`;

/** The confirmation field's value: a restore is only done when the dialog sent it. */
export const restoreConfirmation = "keep-current-text";
