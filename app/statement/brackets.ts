import type { ClauseState } from "./vocabulary";

export interface BracketInput {
  /** Each clause's current state; a clause with no entry is open. */
  states: Readonly<Record<string, ClauseState>>;
  proposals: readonly { kind: string; status: string; clauseId: string | null }[];
  /** Clauses added by an accepted proposal that are not final yet. */
  provisional: Iterable<string>;
}

/**
 * The clauses whose text is still under negotiation, which every view shows in [square brackets]:
 * those with a submitted proposal to replace or delete them (a breakout's package on each clause it covers), those the chair marked under
 * negotiation, and provisional ones. An agreed clause (or one agreed ad referendum) is never
 * bracketed. Derived, never typed: drafts do not count, since nobody else has seen them.
 */
export function bracketedClauses({ states, proposals, provisional }: BracketInput): Set<string> {
  const candidates = new Set<string>(provisional);
  for (const [id, state] of Object.entries(states)) if (state === "under_negotiation") candidates.add(id);
  for (const p of proposals) {
    if (p.clauseId && p.status === "submitted" && (p.kind === "replace" || p.kind === "delete" || p.kind === "package"))
      candidates.add(p.clauseId);
  }
  return new Set([...candidates].filter((id) => states[id] !== "agreed" && states[id] !== "agreed_ad_ref"));
}
