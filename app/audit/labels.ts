import type { AuditAction } from "~/statement/vocabulary";
import { isLanguageCode, languageOf } from "~/statement/languages";
import { delegationKindLabels } from "~/statement/people-labels";

export const auditActionLabels: Record<AuditAction, string> = {
  "proposal.created": "Proposal created",
  "proposal.submitted": "Proposal submitted",
  "proposal.revised": "Proposal revised",
  "proposal.withdrawn": "Proposal withdrawn",
  "proposal.cosponsored": "Proposal co-sponsored",
  "proposal.supported": "Proposal supported",
  "proposal.objected": "Objection to a proposal",
  "proposal.aligned": "Aligned with a group's proposal",
  "proposal.position_withdrawn": "Position on a proposal withdrawn",
  "proposal.accepted": "Proposal accepted",
  "proposal.rejected": "Proposal rejected",
  "proposal.merged": "Proposal merged into a compromise",
  "proposal.not_taken_up": "Proposal not taken up at adoption",
  "proposal.discussion_opened": "Breakout's package opened for discussion",
  "signal.set": "Signal given",
  "clause_state.set": "Clause state set",
  "silence.opened": "Silence procedure opened",
  "silence.cancelled": "Silence procedure cancelled",
  "silence.broken": "Silence broken",
  "silence.passed": "Silence procedure passed",
  "statement.adopted": "Text adopted by consensus",
  "explanation.filed": "Explanation of position filed",
  "explanation.revised": "Explanation of position revised",
  "explanation.withdrawn": "Explanation of position withdrawn",
  "version.created": "Version created",
  "version.restored": "Version restored",
  "role.assigned": "Person added",
  "role.changed": "Role changed",
  "member.removed": "Person removed",
  "invitation.accepted": "Invitation accepted",
  "password_reset.link_made": "Password reset link made for a person",
  "confidentiality.changed": "Confidentiality changed",
  "languages.changed": "Working languages changed",
  "statement.original_language_changed": "Original language changed",
  "conference.details_changed": "Conference's venue, dates or symbol prefix changed",
  "document.symbol_changed": "Statement's symbol or distribution changed",
  "delegation.kind_changed": "Kind of delegation changed",
  "group.members_changed": "Group's members changed",
  "proposal_rights.changed": "Proposals by delegations that do not negotiate",
  "export.downloaded": "Downloaded",
  "reading.started": "Reading started",
  "reading.marked": "Paragraph marked in a reading",
  "reading.ended": "Reading ended",
  "screen.token_created": "Plenary screen link made",
  "screen.token_revoked": "Plenary screen link revoked",
  "screen.attributions_changed": "Attributions on the plenary screen shown or hidden",
  "breakout.created": "Breakout created",
  "breakout.participants_changed": "Breakout's participants changed",
  "breakout.package_submitted": "Breakout's package submitted",
  // Recorded before packages became proposals (migration 026); since, a package is decided as a proposal.
  "breakout.package_accepted": "Breakout's package accepted",
  "breakout.package_rejected": "Breakout's package rejected",
  "breakout.package_discussion": "Breakout's package opened for discussion",
  "breakout.proposal_accepted": "Proposal accepted in a breakout by its facilitator",
  "breakout.proposal_rejected": "Proposal rejected in a breakout by its facilitator",
  "breakout.closed": "Breakout closed",
};

export const auditActionLabel = (action: string) => auditActionLabels[action as AuditAction] ?? action;

/** Words for the subject's keys a reader meets most. */
const keyLabels: Record<string, string> = {
  proposal: "Proposal",
  clause: "Clause",
  kind: "Kind",
  state: "State",
  from: "Before",
  to: "After",
  signal: "Signal",
  reason: "Reason",
  objection: "Objection",
  text: "Text",
  note: "Note",
  kept: "Kept as",
  deadline: "Deadline",
  explanation: "Explanation of position",
  paragraphs: "On",
  reservation: "Reservation",
  revision: "Revision",
  method: "Adopted by",
  meeting: "Meeting",
  person: "Person",
  format: "Format",
  filename: "File",
  delegation: "Delegation",
  group: "Group",
  added: "Added",
  removed: "Removed",
  document: "Document",
  venue: "Venue",
  symbolPrefix: "Symbol prefix",
  startsOn: "First day",
  endsOn: "Last day",
  symbol: "Symbol",
  addendum: "Addendum",
  distribution: "Distribution",
  breakout: "Breakout",
  clauses: "Clauses",
  facilitator: "Facilitator",
  delegations: "Delegations",
};

/** Values an entry records in the vocabulary's terms (a kind's code, a setting's boolean), as the pages name them. */
const valueLabels: Partial<Record<AuditAction, Record<string, string>>> = {
  "delegation.kind_changed": delegationKindLabels,
  "proposal_rights.changed": {
    true: "Delegations that do not negotiate may propose",
    false: "Only delegations that negotiate propose",
  },
};

/** A text recorded by its digest (server/audit/text-digest.ts), not in full. */
const isDigest = (value: unknown): value is { sha256: string; length: number } =>
  typeof value === "object" && value !== null && typeof (value as { sha256?: unknown }).sha256 === "string";

function valueText(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (isDigest(value)) return `${value.length} characters, SHA-256 ${value.sha256.slice(0, 12)}…`;
  if (typeof value === "object" && !Array.isArray(value)) {
    const m = value as { role?: string; delegation?: string | null; language?: string | null; name?: string; version?: number };
    // A membership: "delegate (Japan)", "translator (French)".
    if (m.role) {
      const of = m.delegation ?? (m.language ? (isLanguageCode(m.language) ? languageOf(m.language).name : m.language) : null);
      return of ? `${m.role} (${of})` : m.role;
    }
    // A delegation named in a list: "BRA".
    if (m.delegation) return m.delegation;
    // A version: "Before restoring Rev.1 (version 7)".
    if (m.name && m.version) return `${m.name} (version ${m.version})`;
    // Settings before or after a change: "Symbol: L.3, Distribution: general".
    const entries = Object.entries(value);
    if (entries.length)
      return entries.map(([k, v]) => `${keyLabels[k] ?? k}: ${v === null || v === "" ? "none" : valueText(v)}`).join(", ");
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return value.length ? value.map(valueText).join(", ") : "none";
  // What is left is a string, number or boolean (the subject is JSON).
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * What an entry is about, as "label: value" pairs for the page: ids are left out (the download
 * has them all), empty texts too, and long values shortened.
 */
export function subjectSummary(action: string, subject: Record<string, unknown>): { key: string; label: string; value: string }[] {
  const labels = valueLabels[action as AuditAction];
  return Object.entries(subject)
    .filter(([key, value]) => !/Id$/.test(key) && key !== "email" && value !== null && value !== "" && value !== undefined)
    .filter(([, value]) => !(isDigest(value) && value.length === 0))
    .map(([key, value]) => {
      const text = (labels && (key === "from" || key === "to") ? labels[String(value)] : undefined) ?? valueText(value);
      return { key, label: keyLabels[key] ?? key, value: text.length > 160 ? `${text.slice(0, 160)}…` : text };
    });
}
