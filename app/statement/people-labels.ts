import { languageOf } from "./languages";
import type { DelegationKind, Role } from "./vocabulary";

export const roleLabels: Record<Role, string> = {
  secretariat: "Secretariat",
  chair: "Chair",
  delegate: "Delegate",
  observer: "Observer",
  translator: "Translator",
};

export const delegationKindLabels: Record<DelegationKind, string> = {
  member_state: "Member State",
  regional_organization: "Regional integration organisation",
  observer_state: "Observer State",
  un_entity: "UN entity",
  igo: "Intergovernmental organisation",
  ngo: "Non-governmental organisation",
  group: "Group of States",
};

/** A role as the secretariat's pages name it: "Delegate of France (FRA)", "Translator (French)". */
export const describeRole = (role: Role, delegation: { name: string; code: string } | null, language: string | null = null) =>
  `${roleLabels[role]}${delegation ? ` of ${delegation.name} (${delegation.code})` : ""}${language ? ` (${languageOf(language).name})` : ""}`;
