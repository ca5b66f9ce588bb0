import { useEffect, useMemo, useState } from "react";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { can } from "../../server/auth/permissions";
import { findDelegation } from "../../server/queries/delegations";
import { connectStatement, type CollabStatus, type StatementConnection } from "../editor/collab-client";
import { StatementEditor } from "../editor/StatementEditor";
import { ConnectionBadge } from "../editor/ConnectionBadge";
import { colorFor } from "../editor/identity";
import { AppHeader } from "../components/AppHeader";
import { GeneralErrorBoundary } from "../components/GeneralErrorBoundary";
import { requireDocumentPermission } from "../utils/auth.server";
import { roleLabels } from "../utils/labels";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user, access, conference, document } = await requireDocumentPermission(request, context, params.documentId, "conference:view");
  const delegation = access.delegationId ? await findDelegation(context.sql, conference.id, access.delegationId) : null;
  return {
    document: { id: document.id, title: document.title },
    conference: { id: conference.id, title: conference.title },
    me: {
      // Presence shows whom a delegate speaks for.
      name: delegation ? `${user.name} (${delegation.code})` : user.name,
      color: colorFor(user.id),
      role: roleLabels[access.role],
    },
    canWrite: can(access, "document:write"),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.document.title} · ${data.conference.title} · Concord` : "Concord" },
];

export default function DocumentPage() {
  const { document, conference, me, canWrite } = useLoaderData<typeof loader>();
  const [connection, setConnection] = useState<StatementConnection | null>(null);
  const [status, setStatus] = useState<CollabStatus>({
    connection: "connecting",
    unsaved: false,
    readOnly: !canWrite,
    refused: false,
    ended: null,
    savingPaused: false,
  });
  // A new generation opens a fresh copy of the document, dropping local edits the server refused.
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    if (status.refused) setGeneration((g) => g + 1);
  }, [status.refused]);

  useEffect(() => {
    const c = connectStatement(document.id, { readOnly: !canWrite });
    setConnection(c);
    setStatus(c.status());
    const off = c.onStatus(setStatus);
    return () => {
      off();
      c.destroy();
      setConnection(null);
    };
  }, [document.id, canWrite, generation]);

  const user = useMemo(() => ({ name: me.name, color: me.color }), [me.name, me.color]);

  return (
    <div className="page">
      <AppHeader>
        <Link to={`/conferences/${conference.id}`} className="conference">
          {conference.title}
        </Link>
        <h1 className="document-title">{document.title}</h1>
      </AppHeader>
      <div className="status-bar">
        <ConnectionBadge status={status} />
        <span className="role-note">Your role: {me.role}</span>
      </div>
      <main id="main">
        {connection ? (
          <StatementEditor connection={connection} user={user} readOnly={status.readOnly} />
        ) : (
          <p className="loading" role="status">
            Opening the statement…
          </p>
        )}
      </main>
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
