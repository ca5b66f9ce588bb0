import { useEffect, useMemo, useState } from "react";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { findDocument } from "../../server/queries/documents";
import { findConference } from "../../server/queries/conferences";
import { invariantResponse } from "../utils/invariant";
import { connectStatement, type CollabStatus, type StatementConnection } from "../editor/collab-client";
import { StatementEditor } from "../editor/StatementEditor";
import { ConnectionBadge } from "../editor/ConnectionBadge";
import { colorFor } from "../editor/identity";
import { GeneralErrorBoundary } from "../components/GeneralErrorBoundary";

export async function loader({ params, context }: LoaderFunctionArgs) {
  const document = await findDocument(context.sql, params.documentId ?? "");
  invariantResponse(document, "There is no such document.", { status: 404 });
  const conference = await findConference(context.sql, document.conferenceId);
  invariantResponse(conference, "There is no such document.", { status: 404 });
  return { document: { id: document.id, title: document.title }, conference: { title: conference.title, venue: conference.venue } };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.document.title} · ${data.conference.title} · Concord` : "Concord" },
];

const nameKey = "concord:name";

/** The person's display name on this device, until accounts exist. */
function useLocalName(): [string, (n: string) => void] {
  const [name, setName] = useState("");
  useEffect(() => {
    const stored = window.localStorage.getItem(nameKey);
    setName(stored || `Guest ${Math.floor(1000 + Math.random() * 9000)}`);
  }, []);
  return [
    name,
    (n: string) => {
      setName(n);
      window.localStorage.setItem(nameKey, n);
    },
  ];
}

export default function DocumentPage() {
  const { document, conference } = useLoaderData<typeof loader>();
  const [connection, setConnection] = useState<StatementConnection | null>(null);
  const [status, setStatus] = useState<CollabStatus>({ connection: "connecting", unsaved: false });
  const [name, setName] = useLocalName();

  useEffect(() => {
    const c = connectStatement(document.id);
    setConnection(c);
    const off = c.onStatus(setStatus);
    return () => {
      off();
      c.destroy();
      setConnection(null);
    };
  }, [document.id]);

  const user = useMemo(() => ({ name: name.trim() || "Anonymous", color: colorFor(name || "x") }), [name]);

  return (
    <div className="page">
      <header className="masthead">
        <Link to="/" className="brand">
          Concord
        </Link>
        <div className="masthead-title">
          <span className="conference">{conference.title}</span>
          <h1 className="document-title">{document.title}</h1>
        </div>
        <ConnectionBadge status={status} />
        <label className="name-field">
          <span>Your name</span>
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={60} autoComplete="name" />
        </label>
      </header>
      <main id="main">
        {connection && name ? (
          <StatementEditor connection={connection} user={user} />
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
