import { Link } from "@remix-run/react";
import type { BreakoutMark as BreakoutMarkView } from "../../server/breakouts/breakout-views";

/** "OP3, OP4 in breakout B1 (facilitator, link)": the clauses of the statement now in a running breakout. */
export function BreakoutMarks({ documentId, marks }: { documentId: string; marks: BreakoutMarkView[] }) {
  if (marks.length === 0) return null;
  return (
    <ul className="breakout-marks" aria-label="Clauses in breakouts">
      {marks.map((m) => (
        <li key={m.name} data-testid="breakout-mark">
          <BreakoutMark documentId={documentId} mark={m} />
        </li>
      ))}
    </ul>
  );
}

/** One breakout's clauses; a closed breakout the reader takes no part in shows no facilitator and no link. */
export function BreakoutMark({ documentId, mark, clause }: { documentId: string; mark: BreakoutMarkView; clause?: string }) {
  return (
    <>
      {clause ?? mark.labels.join(", ")} in {mark.confidential ? "closed " : ""}breakout{" "}
      {mark.id ? <Link to={`/documents/${documentId}/breakouts/${mark.id}`}>{mark.name}</Link> : mark.name}
      {mark.facilitator ? ` (facilitator: ${mark.facilitator})` : ""}
      {mark.submitted ? " — outcome submitted to the plenary" : ""}
    </>
  );
}
