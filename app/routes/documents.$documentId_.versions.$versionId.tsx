import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { findVersion } from "../../server/queries/versions";
import { versionStatement } from "../../server/negotiation/numbering";
import { statementView } from "~/statement/version-view";
import { StatementSubpage } from "~/components/StatementSubpage";
import { GeneralErrorBoundary } from "~/components/GeneralErrorBoundary";
import { requireDocumentPermission } from "~/utils/auth.server";
import { invariantResponse } from "~/utils/invariant";
import { formatUtc } from "~/utils/dates";
import { versionLabel } from "~/statement/version-labels";
import { StatementText } from "~/versions/StatementText";

/** One version of a statement, read-only, as it was: its text, clause labels and clause states. For every member. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { conference, document } = await requireDocumentPermission(request, context, params.documentId, "conference:view");
  const version = await findVersion(context.sql, document.id, params.versionId ?? "");
  invariantResponse(version, "There is no such version of this statement.", { status: 404 });
  return {
    document: { id: document.id, title: document.title },
    conference: { id: conference.id, title: conference.title },
    version: {
      id: version.id,
      number: version.number,
      kind: version.kind,
      label: versionLabel(version),
      by: version.createdByName,
      at: version.createdAt.toISOString(),
    },
    text: statementView(await versionStatement(context.sql, document, version), version.clauseStates),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.version.label} · ${data.document.title} · Concord` : "Concord" },
];

export default function VersionPage() {
  const { document, conference, version, text } = useLoaderData<typeof loader>();
  return (
    <StatementSubpage
      conference={conference}
      document={document}
      title={`${document.title}: ${version.label}`}
      live={false}
      mainClassName="version-page"
    >
      <p className="version-banner" role="note">
        Version {version.number}, saved by {version.by ?? "Concord (automatic)"} on{" "}
        <time dateTime={version.at}>{formatUtc(version.at)}</time>. Read only.
      </p>
      <p className="version-links">
        <Link to={`/documents/${document.id}/history`}>History</Link>
        <Link to={`/documents/${document.id}/redline?from=${version.id}&to=current`}>Changes since this version</Link>
        <a href={`/documents/${document.id}/export?format=docx&version=${version.id}`}>Download (Word)</a>
      </p>
      <StatementText {...text} />
    </StatementSubpage>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
