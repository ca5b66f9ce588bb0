/**
 * What observers (and the press) see of a conference's statements, set per conference by the
 * secretariat. Delegations, the chair and the secretariat always see the whole negotiation.
 */
export type Confidentiality = "standard" | "open" | "closed";
export const confidentialityModes: readonly Confidentiality[] = ["standard", "open", "closed"];

export const confidentialityLabels: Record<Confidentiality, string> = {
  standard: "Standard: observers see the base text and its versions",
  open: "Open: observers see everything delegations see, read-only",
  closed: "Closed (informal consultations): observers see nothing of the statements",
};
