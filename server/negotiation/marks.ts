import type { Db } from "../db/sql";
import type { DocumentRow } from "../queries/documents";
import { listProposals, type ProposalRow } from "../queries/proposals";
import { currentClauseStates } from "../queries/clause-states";
import { bracketedClauses } from "../../app/statement/brackets";
import { currentStatement, type NumberedStatement } from "./numbering";
import { perClause } from "./packages";
import type { ClauseState } from "../../app/statement/vocabulary";

/** What marks a statement as a draft under negotiation: clause states, provisional (bis) clauses, brackets. */
export interface NegotiationMarks {
  /** The statement as it stands, numbered; its provisional clauses are those labelled "OP5 bis". */
  statement: NumberedStatement;
  states: Record<string, ClauseState>;
  /** Every proposal, drafts included: callers filter what a reader may see. */
  proposals: ProposalRow[];
  bracketed: Set<string>;
}

/**
 * One reading of the marks for the editor page, the compilation and draft exports, so all three
 * label and bracket a clause alike. Brackets come from submitted proposals only (drafts never
 * bracket), so they reveal nothing of anyone's draft.
 */
export async function negotiationMarks(sql: Db, document: Pick<DocumentRow, "id">): Promise<NegotiationMarks> {
  const [statement, proposals, stateMap] = await Promise.all([
    currentStatement(sql, document.id),
    listProposals(sql, document.id),
    currentClauseStates(sql, document.id),
  ]);
  return marksOf(statement, proposals, stateMap);
}

/** The marks, of the statement, its proposals and its clause states as already read. */
export function marksOf(
  statement: NumberedStatement,
  proposals: ProposalRow[],
  stateMap: ReadonlyMap<string, ClauseState>,
): NegotiationMarks {
  const states = Object.fromEntries(stateMap);
  return {
    statement,
    states,
    proposals,
    bracketed: bracketedClauses({ states, proposals: perClause(proposals), provisional: statement.provisional }),
  };
}

/**
 * The brackets of a reader who sees the base text alone (an observer in standard mode): those of
 * the clause states and provisional clauses, none from proposals, whose existence is the negotiation's.
 */
export function textBrackets(marks: NegotiationMarks): Set<string> {
  return bracketedClauses({ states: marks.states, proposals: [], provisional: marks.statement.provisional });
}
