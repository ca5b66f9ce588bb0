import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { listUserConferences } from "../../server/queries/memberships";
import { listConferences } from "../../server/queries/conferences";
import { AppHeader } from "~/components/AppHeader";
import { requireUser } from "~/utils/auth.server";
import { roleLabels } from "~/statement/people-labels";

export const meta: MetaFunction = () => [{ title: "Concord" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const mine = await listUserConferences(context.sql, user.id);
  // The administrator also sees the conferences they set up but take no part in.
  const others = user.isAdmin ? (await listConferences(context.sql)).filter((c) => !mine.some((m) => m.id === c.id)) : [];
  return {
    conferences: [
      ...mine.map((c) => ({ ...c, roleLabel: roleLabels[c.role] })),
      ...others.map((c) => ({ ...c, roleLabel: "Administrator" })),
    ],
  };
}

export default function Index() {
  const { conferences } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <AppHeader />
      <main id="main" className="home">
        <h1>Your conferences</h1>
        {conferences.length === 0 ? (
          <p>You do not take part in any conference yet. An invitation link from a conference secretariat brings you in.</p>
        ) : null}
        {conferences.map((c) => (
          <section key={c.id} className="conference-card" aria-labelledby={`conf-${c.id}`}>
            <h2 id={`conf-${c.id}`}>
              <Link to={`/conferences/${c.id}`}>{c.title}</Link>
            </h2>
            {c.subtitle ? <p className="subtitle">{c.subtitle}</p> : null}
            <p className="venue">
              {c.venue ? `${c.venue} · ` : ""}
              Your role: {c.roleLabel}
            </p>
          </section>
        ))}
      </main>
    </div>
  );
}
