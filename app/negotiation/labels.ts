import type { ProposalKind, ProposalStatus } from "../../server/queries/proposals";

export const proposalKindLabels: Record<ProposalKind, string> = {
  replace: "Replace",
  delete: "Delete",
  retain: "Retain",
  add: "Add a clause",
};

export const proposalStatusLabels: Record<ProposalStatus, string> = {
  draft: "Draft",
  submitted: "Submitted",
  accepted: "Accepted",
  rejected: "Rejected",
  merged: "Merged",
  withdrawn: "Withdrawn",
};
