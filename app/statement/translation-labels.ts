/** A clause's translation as the pages name its state (server/translations/translations.ts decides it). */
export const translationStatusLabels = {
  up_to_date: "Up to date",
  out_of_date: "Out of date",
  missing: "Missing",
} as const;
