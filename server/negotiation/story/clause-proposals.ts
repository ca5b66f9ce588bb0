import type { Db } from "../../db/sql";
import { listProposals, type ProposalRow } from "../../queries/proposals";
import { perClause } from "../packages";

/**
 * The proposals on a clause: to replace, delete or retain it, a breakout's package covering it, and the accepted addition that
 * created it (a proposal to add a clause after it is about the new clause, not this one); and
 * every proposal's number by id, to name the compromise one was merged into.
 */
export async function proposalsOnClause(
  sql: Db,
  documentId: string,
  clauseId: string,
): Promise<{ onClause: ProposalRow[]; numbers: Map<string, number> }> {
  const all = await listProposals(sql, documentId);
  return {
    // A breakout's package is on each clause it covers, with that clause's text (perClause).
    onClause: perClause(all).filter((p) => (p.kind !== "add" && p.clauseId === clauseId) || p.newClauseId === clauseId),
    numbers: new Map(all.map((p) => [p.id, p.number])),
  };
}
