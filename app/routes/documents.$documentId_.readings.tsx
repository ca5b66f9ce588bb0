import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { listReadings, readingOutcomes } from "../../server/queries/readings";
import { currentStatement } from "../../server/negotiation/numbering";
import { StatementSubpage } from "~/components/StatementSubpage";
import { GeneralErrorBoundary } from "~/components/GeneralErrorBoundary";
import { requireDocumentPermission } from "~/utils/auth.server";
import { formatUtc } from "~/utils/dates";
import { readingNames, readingOutcomeLabels } from "~/statement/readings";

/** The record of a statement's readings: who started and ended each, when, and each paragraph's outcome. Everyone who sees the statement reads it. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { conference, document } = await requireDocumentPermission(request, context, params.documentId, "conference:view");
  const [readings, statement] = await Promise.all([listReadings(context.sql, document.id), currentStatement(context.sql, document.id)]);
  const labels = new Map(statement.clauses.flatMap((c) => (c.id ? [[c.id, c.label] as const] : [])));
  return {
    document: { id: document.id, title: document.title },
    conference: { id: conference.id, title: conference.title },
    readings: await Promise.all(
      readings.map(async (r) => ({
        id: r.id,
        name: readingNames[r.number],
        paragraphs: r.clauseIds.length,
        startedByName: r.startedByName,
        startedAt: r.startedAt,
        endedByName: r.endedByName,
        endedAt: r.endedAt,
        outcomes: (await readingOutcomes(context.sql, r.id))
          .sort((a, b) => r.clauseIds.indexOf(a.clauseId) - r.clauseIds.indexOf(b.clauseId))
          .map((o) => ({
            clauseId: o.clauseId,
            label: labels.get(o.clauseId) ?? "A paragraph since removed",
            outcome: readingOutcomeLabels[o.outcome],
            markedByName: o.markedByName,
            markedAt: o.markedAt,
          })),
      })),
    ),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Readings · ${data.document.title} · Concord` : "Concord" },
];

export default function ReadingsPage() {
  const { document, conference, readings } = useLoaderData<typeof loader>();
  return (
    <StatementSubpage conference={conference} document={document} title="Readings">
      {readings.length === 0 ? <p className="muted">No reading of this statement yet.</p> : null}
      {readings.map((r) => (
        <section key={r.id} className="panel" aria-labelledby={`reading-${r.id}`} data-testid="reading-record">
          <h2 id={`reading-${r.id}`}>
            {r.name}, {formatUtc(r.startedAt)}
          </h2>
          <p>
            Started by {r.startedByName} at {formatUtc(r.startedAt)};{" "}
            {r.endedAt ? `ended by ${r.endedByName} at ${formatUtc(r.endedAt)}` : "running"}. {r.outcomes.length} of {r.paragraphs}{" "}
            paragraphs marked.
          </p>
          {r.outcomes.length > 0 ? (
            <table className="readings-table">
              <thead>
                <tr>
                  <th scope="col">Paragraph</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">Marked by</th>
                  <th scope="col">When</th>
                </tr>
              </thead>
              <tbody>
                {r.outcomes.map((o) => (
                  <tr key={o.clauseId}>
                    <th scope="row">{o.label}</th>
                    <td>{o.outcome}</td>
                    <td>{o.markedByName}</td>
                    <td>{formatUtc(o.markedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </section>
      ))}
    </StatementSubpage>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
