import { Link, useFetcher } from "@remix-run/react";
import { CsrfInput, ErrorList } from "~/components/forms";
import type { ProposalSummary } from "../../server/negotiation/proposal-views";
import { ProposalDiff } from "./ProposalDiff";
import { proposalKindLabels, proposalStatusLabels } from "~/statement/negotiation-labels";
import type { ProposalKind } from "~/statement/vocabulary";
import type { Part } from "~/statement/numbering";
import type { action as propose } from "~/routes/documents.$documentId";

const proposeButtons: { kind: ProposalKind; label: string }[] = [
  { kind: "replace", label: "Replace" },
  { kind: "delete", label: "Delete" },
  { kind: "retain", label: "Retain" },
  { kind: "add", label: "Add a clause after" },
];

const cosponsors = (p: ProposalSummary) =>
  p.positions
    .filter((x) => x.position === "cosponsor")
    .map((x) => `${x.delegationName} (${x.delegationCode})`)
    .join(", ");

/** Why nobody may propose now, on any clause. */
const lockedText = {
  adopted: "The text is adopted; no more proposals can be made.",
  silence: "A silence procedure is running; proposals wait until it ends.",
} as const;

/**
 * The proposals on the clause the person is on (and clauses proposed after it), and the buttons
 * to propose: a delegate for their delegation, the chair a compromise text. Only what the server
 * would take is offered: nothing while the whole text is locked, and on an agreed clause only a
 * new clause after it (which leaves it as it is), with the reason for the rest.
 */
export function ProposalsSection({
  documentId,
  clauseId,
  clauseLabel,
  firstOfPart,
  proposals,
  canPropose,
  isChair,
  agreed,
  textLock,
}: {
  documentId: string;
  clauseId: string;
  clauseLabel: string | null;
  /** The part this clause is the first of, if any. */
  firstOfPart: Part | null;
  proposals: ProposalSummary[];
  canPropose: boolean;
  isChair: boolean;
  /** The clause is agreed: its text is locked until the chair reopens it. */
  agreed: boolean;
  textLock: "adopted" | "silence" | null;
}) {
  const fetcher = useFetcher<typeof propose>();
  // Clauses proposed for the start of a part show with the part's first clause.
  const here = proposals.filter((p) => p.clauseId === clauseId || (p.clauseId === null && p.part === firstOfPart));
  const errors = fetcher.data && !fetcher.data.ok ? Object.values(fetcher.data.errors).flatMap((e) => e ?? []) : null;
  return (
    <div className="proposals-section">
      <h3 id="proposals-heading">Proposals{clauseLabel ? ` on ${clauseLabel}` : ""}</h3>
      {here.length === 0 ? <p className="muted">No proposals on this clause.</p> : null}
      <ul className="proposal-list" aria-labelledby="proposals-heading">
        {here.map((p) => (
          <li key={p.id} className="proposal-item" data-status={p.status}>
            <p className="proposal-head">
              <Link to={`/documents/${documentId}/proposals/${p.id}`}>
                P{p.number} · {proposalKindLabels[p.kind]} {p.target}
              </Link>{" "}
              <span className={`proposal-status status-${p.status}`}>{proposalStatusLabels[p.status]}</span>
            </p>
            <p className="proposal-sponsor">
              {p.sponsor}
              {cosponsors(p) ? <>; co-sponsored by {cosponsors(p)}</> : null}
            </p>
            {p.positions.some((x) => x.position === "support" || x.position === "object") ? (
              <p className="proposal-positions">
                {(["support", "object"] as const)
                  .map((kind) => [kind, p.positions.filter((x) => x.position === kind)] as const)
                  .filter(([, list]) => list.length > 0)
                  .map(
                    ([kind, list]) =>
                      `${kind === "support" ? "Supported" : "Objected to"} by ${list.map((x) => x.delegationCode).join(", ")}`,
                  )
                  .join(" · ")}
              </p>
            ) : null}
            {p.excerpt !== null ? (
              <p className="proposal-excerpt">
                “{p.excerpt}” <Link to={`/documents/${documentId}/proposals/${p.id}`}>Full text on P{p.number}’s page</Link>
              </p>
            ) : p.proposedText !== null || p.kind === "delete" || p.kind === "retain" ? (
              <ProposalDiff proposal={p} text={p.proposedText} />
            ) : (
              <p className="muted">Not submitted yet.</p>
            )}
          </li>
        ))}
      </ul>
      {(canPropose || isChair) && textLock ? <p className="muted proposals-closed">{lockedText[textLock]}</p> : null}
      {(canPropose || isChair) && agreed && !textLock ? (
        <p className="agreed-note" data-testid="agreed-note">
          Agreed — {isChair ? "reopen it (set its state) to write a compromise text." : "reopen through the chair."}
        </p>
      ) : null}
      {(canPropose || (isChair && !agreed)) && !textLock ? (
        <fetcher.Form method="post" action={`/documents/${documentId}`} className="propose-form">
          <CsrfInput />
          <input type="hidden" name="clauseId" value={clauseId} />
          {canPropose ? (
            <fieldset>
              <legend>{agreed ? "Propose:" : `Propose${clauseLabel ? ` on ${clauseLabel}` : ""}:`}</legend>
              <input type="hidden" name="intent" value="propose" />
              {proposeButtons
                .filter((b) => !agreed || b.kind === "add")
                .map((b) => (
                  <button
                    key={b.kind}
                    type="submit"
                    name="kind"
                    value={b.kind}
                    className="button small"
                    disabled={fetcher.state !== "idle"}
                  >
                    {b.kind === "add" && agreed && clauseLabel ? `Add a clause after ${clauseLabel}` : b.label}
                  </button>
                ))}
            </fieldset>
          ) : (
            <>
              <input type="hidden" name="intent" value="compromise" />
              <button type="submit" name="kind" value="replace" className="button small" disabled={fetcher.state !== "idle"}>
                Compromise text
              </button>
            </>
          )}
          <ErrorList errors={errors} />
        </fetcher.Form>
      ) : null}
      {canPropose && firstOfPart && !textLock ? (
        // A new first clause of a part follows no clause: it names the part instead.
        <fetcher.Form method="post" action={`/documents/${documentId}`} className="propose-form propose-start">
          <CsrfInput />
          <input type="hidden" name="intent" value="propose" />
          <input type="hidden" name="part" value={firstOfPart} />
          <button type="submit" name="kind" value="add" className="button small" disabled={fetcher.state !== "idle"}>
            Add a clause before {clauseLabel}
          </button>
        </fetcher.Form>
      ) : null}
    </div>
  );
}
