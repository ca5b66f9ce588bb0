import type { Role } from "../../server/queries/memberships";
import type { DelegationKind } from "../../server/queries/delegations";

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
