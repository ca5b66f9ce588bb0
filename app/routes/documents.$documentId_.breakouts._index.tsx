import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { currentStatement } from "../../server/negotiation/numbering";
import { actorOf } from "../../server/negotiation/actor";
import { listMembers } from "../../server/queries/memberships";
import { listDelegations } from "../../server/queries/delegations";
import { visibleBreakouts } from "../../server/breakouts/breakout-views";
import { createBreakout } from "../../server/breakouts/breakouts";
import { breakoutName } from "../../server/breakouts/rules";
import { StatementSubpage } from "~/components/StatementSubpage";
import { CsrfInput, ErrorList } from "~/components/forms";
import { GeneralErrorBoundary } from "~/components/GeneralErrorBoundary";
import { readProtectedForm, requireDocumentPermission } from "~/utils/auth.server";
import { answeringRefusals } from "~/utils/refusals.server";
import { invalid } from "~/utils/forms";
import { useActionAnswer } from "~/negotiation/live";
import { breakoutStatusLabel } from "~/breakouts/labels";

/**
 * A statement's facilitated breakouts: those the reader may see (server/breakouts/rules.ts), and
 * for the chair the form that sets one up. A page of its own, outside the statement page (`$documentId_`).
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { access, conference, document } = await requireDocumentPermission(request, context, params.documentId, "conference:view");
  const sql = context.sql;
  const actor = actorOf(access);
  const [breakouts, statement] = await Promise.all([
    visibleBreakouts(sql, document.id, access, conference),
    currentStatement(sql, document.id),
  ]);
  const labels = new Map(statement.clauses.map((c) => [c.id, c.label]));
  const [members, delegations] = actor.isChair
    ? await Promise.all([listMembers(sql, conference.id), listDelegations(sql, conference.id)])
    : [[], []];
  return {
    document: { id: document.id, title: document.title },
    conference: { id: conference.id, title: conference.title },
    breakouts: breakouts.map((b) => ({
      id: b.id,
      name: breakoutName(b),
      facilitator: b.facilitatorName,
      confidential: b.confidential,
      status: b.status,
      labels: b.clauses.map((c) => labels.get(c.clauseId) ?? "a clause since removed"),
    })),
    // What the chair chooses from: the clauses, a facilitator of any delegation or the secretariat, the delegations.
    setUp: actor.isChair
      ? {
          clauses: statement.clauses.filter((c) => c.id).map((c) => ({ id: c.id!, label: c.label, text: c.text.slice(0, 80) })),
          facilitators: members
            .filter((m) => m.role === "delegate" || m.role === "secretariat")
            .map((m) => ({ id: m.userId, name: m.delegationCode ? `${m.name} (${m.delegationCode})` : `${m.name} (Secretariat)` })),
          delegations: delegations.map((d) => ({ id: d.id, name: d.name, code: d.code })),
        }
      : null,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Breakouts · ${data.document.title} · Concord` : "Concord" },
];

/** The chair sets up a breakout (rules: server/breakouts/breakouts.ts, which answer who may before what was sent). */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, access, conference, document } = await requireDocumentPermission(request, context, params.documentId, "conference:view");
  const form = await readProtectedForm(request, context, user);
  return answeringRefusals(invalid, async () => {
    const created = await createBreakout(context.sql, actorOf(access), {
      statementId: document.id,
      conferenceId: conference.id,
      clauseIds: form.getAll("clauses").map(String),
      facilitatorId: form.getAll("facilitator").map(String)[0] ?? "",
      delegationIds: form.getAll("delegations").map(String),
      confidential: form.get("confidential") === "on",
    });
    return redirect(`/documents/${document.id}/breakouts/${created.id}`);
  });
}

export default function BreakoutsPage() {
  const { document, conference, breakouts, setUp } = useLoaderData<typeof loader>();
  const answer = useActionAnswer<typeof action>();
  const busy = useNavigation().state !== "idle";
  const errors = answer && "errors" in answer ? Object.values(answer.errors ?? {}).flatMap((e) => e ?? []) : null;
  return (
    <StatementSubpage conference={conference} document={document} title={`${document.title} — Breakouts`}>
      <section className="panel" aria-labelledby="breakouts-heading">
        <h2 id="breakouts-heading">Breakouts</h2>
        {breakouts.length === 0 ? (
          <p className="muted">No breakouts you can see.</p>
        ) : (
          <ul className="breakout-list">
            {breakouts.map((b) => (
              <li key={b.id} data-testid="breakout">
                <Link to={`/documents/${document.id}/breakouts/${b.id}`}>{b.name}</Link> on {b.labels.join(", ")} · facilitated by{" "}
                {b.facilitator} · {breakoutStatusLabel(b.status)}
                {b.confidential ? " · closed (participants only)" : ""}
              </li>
            ))}
          </ul>
        )}
      </section>
      {setUp ? (
        <section className="panel" aria-labelledby="set-up-heading">
          <h2 id="set-up-heading">Set up a breakout</h2>
          <Form method="post" className="breakout-form">
            <CsrfInput />
            <fieldset>
              <legend>Clauses</legend>
              {setUp.clauses.map((c) => (
                <label key={c.id} className="checkbox">
                  <input type="checkbox" name="clauses" value={c.id} /> {c.label} <span className="muted">{c.text}</span>
                </label>
              ))}
            </fieldset>
            <label htmlFor="breakout-facilitator">Facilitator</label>
            <select id="breakout-facilitator" name="facilitator" defaultValue="">
              <option value="" disabled>
                Choose a facilitator
              </option>
              {setUp.facilitators.map((f) => (
                <option key={f.id} value={f.id}>
                  {f.name}
                </option>
              ))}
            </select>
            <fieldset>
              <legend>Delegations taking part</legend>
              {setUp.delegations.map((d) => (
                <label key={d.id} className="checkbox">
                  <input type="checkbox" name="delegations" value={d.id} /> {d.name} ({d.code})
                </label>
              ))}
            </fieldset>
            <label className="checkbox">
              <input type="checkbox" name="confidential" /> Closed: only its participants (the facilitator, the delegations taking part and
              the chair) see it
            </label>
            <ErrorList errors={errors} />
            <button type="submit" className="button primary" disabled={busy}>
              Set up the breakout
            </button>
          </Form>
        </section>
      ) : null}
    </StatementSubpage>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
