import type { ProposalRow } from "../queries/proposals";
import type { ClauseState } from "../../app/statement/vocabulary";

/**
 * The clauses of a statement that are provisional: added through an accepted proposal and not
 * final yet, i.e. not agreed while the text is not adopted. They take no number of their own
 * ("OP5 bis") so that the others keep theirs while the negotiation goes on.
 */
export function provisionalClauseIds(
  proposals: readonly Pick<ProposalRow, "kind" | "status" | "newClauseId">[],
  states: ReadonlyMap<string, ClauseState> | Readonly<Record<string, ClauseState>>,
  adopted: boolean,
): Set<string> {
  if (adopted) return new Set();
  const stateOf = (id: string): ClauseState | undefined =>
    states instanceof Map ? (states as ReadonlyMap<string, ClauseState>).get(id) : (states as Record<string, ClauseState>)[id];
  return new Set(
    proposals
      .filter((p) => p.kind === "add" && p.status === "accepted" && p.newClauseId && stateOf(p.newClauseId) !== "agreed")
      .map((p) => p.newClauseId!),
  );
}
