import { useEffect, useId, useRef } from "react";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { currentStatement } from "../../server/negotiation/numbering";
import { standingExplanations } from "../../server/queries/explanations";
import { adoptionRecord } from "../../server/queries/adoption";
import { StatementSubpage } from "~/components/StatementSubpage";
import { GeneralErrorBoundary } from "~/components/GeneralErrorBoundary";
import { CsrfInput, ErrorList } from "~/components/forms";
import { requireDocumentPermission } from "~/utils/auth.server";
import { invariantResponse } from "~/utils/invariant";
import { maySeeExplanations, refusals } from "../../server/auth/visibility";
import type { action } from "~/routes/documents.$documentId.explanation";
import { maxExplanationLength } from "~/statement/limits";
import { explanationScope } from "~/statement/explanations";
import { adoptionLine } from "~/statement/adoption-line";
import { excerpt } from "~/statement/excerpt";
import { formatUtc } from "~/utils/dates";

/**
 * The delegations' explanations of position on a statement: everyone who sees the statement reads
 * them (observers, by the conference's confidentiality, once the text is adopted); a delegate files, revises and withdraws their own delegation's (the form posts to
 * /documents/<id>/explanation; the rules are in server/negotiation/explanations.ts).
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { access, conference, document } = await requireDocumentPermission(request, context, params.documentId, "conference:view");
  invariantResponse(maySeeExplanations(access, conference, document), refusals.text, { status: 403 });
  const [statement, explanations, adoption] = await Promise.all([
    currentStatement(context.sql, document.id),
    standingExplanations(context.sql, document.id),
    adoptionRecord(context.sql, document.id),
  ]);
  const labels = Object.fromEntries(statement.clauses.flatMap((c) => (c.id ? [[c.id, c.label]] : [])));
  return {
    document: { id: document.id, title: document.title },
    conference: { id: conference.id, title: conference.title },
    adoptionLine: adoption ? adoptionLine(adoption) : document.adoptedAt ? "The text is adopted." : null,
    delegationId: access.role === "delegate" ? access.delegationId : null,
    clauses: statement.clauses.flatMap((c) => (c.id ? [{ id: c.id, label: c.label, excerpt: excerpt(c.text, 80) }] : [])),
    explanations: explanations.map((e) => ({
      id: e.id,
      number: e.number,
      delegationId: e.delegationId,
      delegationName: e.delegationName,
      clauseIds: e.clauseIds,
      scope: explanationScope(e.clauseIds, labels),
      reservation: e.reservation,
      text: e.text,
      afterAdoption: e.afterAdoption,
      revision: e.revision,
      filedByName: e.filedByName,
      filedAt: e.filedAt.toISOString(),
    })),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Explanations of position · ${data.document.title} · Concord` : "Concord" },
];

type Loaded = ReturnType<typeof useLoaderData<typeof loader>>;

export default function ExplanationsPage() {
  const { document, conference, adoptionLine, delegationId, clauses, explanations } = useLoaderData<typeof loader>();
  return (
    <StatementSubpage
      conference={conference}
      document={document}
      title={`Explanations of position: ${document.title}`}
      mainClassName="explanations"
    >
      {adoptionLine ? (
        <p className="adoption-line" role="note">
          {adoptionLine}
        </p>
      ) : null}
      <section aria-labelledby="explanations-heading">
        <h2 id="explanations-heading">Explanations of position</h2>
        {explanations.length === 0 ? <p className="muted">No delegation has filed an explanation of position.</p> : null}
        <ol className="explanation-list">
          {explanations.map((e) => (
            <li key={e.id}>
              <ExplanationEntry
                documentId={document.id}
                explanation={e}
                clauses={clauses}
                own={delegationId !== null && delegationId === e.delegationId}
              />
            </li>
          ))}
        </ol>
      </section>
      {delegationId ? (
        <section aria-labelledby="file-explanation-heading" className="panel">
          <h2 id="file-explanation-heading">File an explanation of position</h2>
          <ExplanationForm documentId={document.id} clauses={clauses} />
        </section>
      ) : null}
    </StatementSubpage>
  );
}

function ExplanationEntry({
  documentId,
  explanation: e,
  clauses,
  own,
}: {
  documentId: string;
  explanation: Loaded["explanations"][number];
  clauses: Loaded["clauses"];
  own: boolean;
}) {
  const withdraw = useFetcher<typeof action>();
  const withdrawn = withdraw.state === "idle" ? withdraw.data : undefined;
  return (
    <article className="explanation" aria-label={`${e.delegationName}: ${e.scope}`}>
      <h3>
        {e.delegationName} <span className="explanation-scope">on {e.scope}</span>
        {e.reservation ? <span className="badge explanation-reservation">Reservation</span> : null}
      </h3>
      <p className="muted">
        Filed {e.afterAdoption ? "after" : "before"} adoption by {e.filedByName}, {formatUtc(e.filedAt)}
        {e.revision > 1 ? ` (revision ${e.revision})` : ""}.
      </p>
      <div className="explanation-text">
        {e.text.split(/\n+/).map((paragraph, i) => (
          <p key={i}>{paragraph}</p>
        ))}
      </div>
      {own ? (
        <>
          <details className="explanation-revise">
            <summary>Revise</summary>
            <ExplanationForm documentId={documentId} clauses={clauses} revising={e} />
          </details>
          <withdraw.Form method="post" action={`/documents/${documentId}/explanation`}>
            <CsrfInput />
            <input type="hidden" name="intent" value="withdraw" />
            <input type="hidden" name="explanationId" value={e.id} />
            <ErrorList errors={withdrawn && !withdrawn.ok ? withdrawn.errors.form : undefined} />
            <button type="submit" className="button small" disabled={withdraw.state !== "idle"}>
              Withdraw
            </button>
          </withdraw.Form>
        </>
      ) : null}
    </article>
  );
}

/** Files a new explanation, or revises `revising`: the paragraphs (none: the whole text), a reservation or not, and the text. */
function ExplanationForm({
  documentId,
  clauses,
  revising,
}: {
  documentId: string;
  clauses: Loaded["clauses"];
  revising?: Loaded["explanations"][number];
}) {
  const fetcher = useFetcher<typeof action>();
  const id = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const result = fetcher.state === "idle" ? fetcher.data : undefined;
  const errors = result && !result.ok ? result.errors : undefined;
  // A new explanation, once filed, leaves an empty form for the next one.
  useEffect(() => {
    if (!revising && result?.ok) formRef.current?.reset();
  }, [result, revising]);
  return (
    <fetcher.Form method="post" action={`/documents/${documentId}/explanation`} ref={formRef} className="explanation-form">
      <CsrfInput />
      <input type="hidden" name="intent" value={revising ? "revise" : "file"} />
      {revising ? <input type="hidden" name="explanationId" value={revising.id} /> : null}
      <fieldset className="explanation-paragraphs">
        <legend>Paragraphs</legend>
        <p className="hint">Choose none for an explanation on the statement as a whole.</p>
        {clauses.map((c) => (
          <label key={c.id} className="checkbox">
            <input type="checkbox" name="clauseIds" value={c.id} defaultChecked={revising?.clauseIds.includes(c.id)} />{" "}
            <strong>{c.label}</strong> <span className="muted">{c.excerpt}</span>
          </label>
        ))}
        <ErrorList errors={errors?.clauseIds} />
      </fieldset>
      <label className="checkbox">
        <input type="checkbox" name="reservation" defaultChecked={revising?.reservation} /> This is a reservation
      </label>
      <div className="field">
        <label htmlFor={`${id}-text`}>Explanation</label>
        <textarea
          id={`${id}-text`}
          name="text"
          rows={6}
          maxLength={maxExplanationLength}
          defaultValue={revising?.text}
          aria-invalid={errors?.text ? true : undefined}
          aria-describedby={errors?.text ? `${id}-text-errors` : undefined}
        />
        <ErrorList id={`${id}-text-errors`} errors={errors?.text} />
      </div>
      <ErrorList errors={errors?.form} />
      {result?.ok ? <p role="status">{result.message}</p> : null}
      <button type="submit" className="button small" disabled={fetcher.state !== "idle"}>
        {revising ? "Save the revision" : "File the explanation"}
      </button>
    </fetcher.Form>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
