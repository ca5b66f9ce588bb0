import { WordDiff } from "./WordDiff";
import type { ProposalSummary } from "../../server/negotiation/proposal-views";

type Shown = Pick<ProposalSummary, "kind" | "status" | "baseText" | "currentText" | "clauseLabel">;

/**
 * The clause with the proposal's change marked inline. An open proposal whose clause has changed
 * since it was drafted says so, and is shown against the clause as it stands now.
 */
export function ProposalDiff({ proposal, text }: { proposal: Shown; text: string | null }) {
  const { kind, baseText, currentText, clauseLabel } = proposal;
  const open = proposal.status === "draft" || proposal.status === "submitted";
  if (kind === "add") return <WordDiff from="" to={text ?? ""} />;
  const changed = open && currentText !== null && currentText !== baseText;
  const against = changed ? currentText : baseText;
  if (kind === "retain") {
    return (
      <>
        <p className="proposal-note">Keep {clauseLabel ?? "the clause"} as it stands:</p>
        <p className="word-diff">{against}</p>
      </>
    );
  }
  return (
    <>
      {changed ? (
        <p className="proposal-note" role="note">
          {clauseLabel} has changed since this proposal was drafted; shown against its current text.
        </p>
      ) : null}
      <WordDiff from={against} to={kind === "delete" ? "" : (text ?? "")} />
    </>
  );
}
