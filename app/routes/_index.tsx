import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { listConferences } from "../../server/queries/conferences";
import { listDocuments } from "../../server/queries/documents";

export const meta: MetaFunction = () => [{ title: "Concord" }];

export async function loader({ context }: LoaderFunctionArgs) {
  const conferences = await listConferences(context.sql);
  return {
    conferences: await Promise.all(
      conferences.map(async (c) => ({ ...c, documents: await listDocuments(context.sql, c.id) })),
    ),
  };
}

export default function Index() {
  const { conferences } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <header className="masthead">
        <span className="brand">Concord</span>
      </header>
      <main id="main" className="home">
        <h1>Conferences</h1>
        {conferences.length === 0 ? <p>No conference has been set up yet.</p> : null}
        {conferences.map((c) => (
          <section key={c.id} className="conference-card" aria-labelledby={`conf-${c.id}`}>
            <h2 id={`conf-${c.id}`}>{c.title}</h2>
            {c.subtitle ? <p className="subtitle">{c.subtitle}</p> : null}
            {c.venue ? <p className="venue">{c.venue}</p> : null}
            <ul className="document-list">
              {c.documents.map((d) => (
                <li key={d.id}>
                  <Link to={`/documents/${d.id}`}>{d.title}</Link>
                </li>
              ))}
            </ul>
          </section>
        ))}
      </main>
    </div>
  );
}
