import type { ProposalRow } from "../queries/proposals";

/**
 * The proposals as each clause sees them: a breakout's package is on every clause it covers, so it
 * becomes one row per covered clause, on that clause, with that clause's text (and the text it
 * replaces) as its revision; the others stay as they are. The rows of a package share its id and
 * number: the compilation, the rolling text, the brackets and the paragraph's story read these.
 */
export function perClause(rows: readonly ProposalRow[]): ProposalRow[] {
  return rows.flatMap((p) =>
    p.package && p.revision
      ? p.package.clauses.map((c) => ({
          ...p,
          clauseId: c.clauseId,
          baseText: c.baseText,
          revision: { ...p.revision!, content: null, text: c.text, baseText: c.baseText },
        }))
      : [p],
  );
}
