import type { DelegationKind, Role } from "./vocabulary";

export const roleLabels: Record<Role, string> = {
  secretariat: "Secretariat",
  chair: "Chair",
  delegate: "Delegate",
  observer: "Observer",
};

export const delegationKindLabels: Record<DelegationKind, string> = {
  state: "Member State",
  un_entity: "UN entity",
  organization: "Organization",
  group: "Group of States",
};
