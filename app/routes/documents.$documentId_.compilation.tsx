import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { can } from "../../server/auth/permissions";
import { listDelegations } from "../../server/queries/delegations";
import { compileStatement, type CompiledProposal, type CompilationEntry } from "../../server/negotiation/compilation";
import { StatementSubpage } from "~/components/StatementSubpage";
import { GeneralErrorBoundary } from "~/components/GeneralErrorBoundary";
import { SelectField } from "~/components/forms";
import { requireNegotiationPermission } from "~/utils/auth.server";
import { invariantResponse } from "~/utils/invariant";
import { DiffSegments } from "~/negotiation/WordDiff";
import { positionHeading, proposalStatusLabels, stateBadgeLabels } from "~/statement/negotiation-labels";
import { type ClauseState, clauseStates, type ProposalStatus } from "~/statement/vocabulary";
import { rollingTextFor } from "../../server/negotiation/rolling-text";
import { negotiationMarks } from "../../server/negotiation/marks";
import { RollingText, TextViewToggle, textViewOf } from "~/negotiation/RollingText";

const isState = (v: string): v is ClauseState => (clauseStates as readonly string[]).includes(v);
const isStatus = (v: string): v is ProposalStatus => v in proposalStatusLabels;

/** The compilation: the whole statement with every proposal on it, for every member of the conference. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { access, conference, document } = await requireNegotiationPermission(request, context, params.documentId, "conference:view");
  const query = new URL(request.url).searchParams;
  const delegationId = query.get("delegation") || null;
  const stateParam = query.get("state") || null;
  const statusParam = query.get("status") || null;
  const delegations = await listDelegations(context.sql, conference.id);
  invariantResponse(!delegationId || delegations.some((d) => d.id === delegationId), "There is no such delegation in this conference.");
  invariantResponse(!stateParam || isState(stateParam), "Choose a clause state from the list.");
  invariantResponse(!statusParam || isStatus(statusParam), "Choose a proposal status from the list.");
  const state = stateParam as ClauseState | null;
  const status = statusParam as ProposalStatus | null;
  const viewer = { delegationId: access.delegationId, isChair: can(access, "negotiation:chair") };
  const view = textViewOf(query);
  const marks = await negotiationMarks(context.sql, document);
  const compilation = await compileStatement(context.sql, marks, viewer, { delegationId, state, status });
  const rolling = view.rolling ? rollingTextFor(marks, viewer, { attributions: view.attributions }) : null;
  return {
    view,
    rolling,
    document: { id: document.id, title: document.title, adopted: document.adoptedAt !== null },
    conference: { id: conference.id, title: conference.title },
    delegations: delegations.map((d) => ({ id: d.id, name: d.name })),
    filters: { delegation: delegationId ?? "", state: state ?? "", status: status ?? "" },
    ...compilation,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Compilation · ${data.document.title} · ${data.conference.title} · Concord` : "Concord" },
];

function Proposal({ p }: { p: CompiledProposal }) {
  return (
    <article className={`compiled-proposal status-${p.status}`} data-proposal={p.number} aria-label={`${p.label}, ${p.number}`}>
      <header>
        <strong className="proposal-label">{p.label}</strong>{" "}
        <Link to={`../proposals/${p.id}`} relative="path" className="proposal-number" aria-label={`${p.number}: open the proposal`}>
          {p.number}
        </Link>{" "}
        <span className={`status-badge status-${p.status}`}>{proposalStatusLabels[p.status]}</span>
      </header>
      <dl className="proposal-people">
        <dt>Proposed by</dt>
        <dd>{p.sponsor}</dd>
        {p.cosponsors.length ? (
          <>
            <dt>{positionHeading("cosponsor", p.cosponsors.length)}</dt>
            <dd>{p.cosponsors.join(", ")}</dd>
          </>
        ) : null}
        {p.supporters.length ? (
          <>
            <dt>Supported by</dt>
            <dd>{p.supporters.join(", ")}</dd>
          </>
        ) : null}
        {p.objectors.length ? (
          <>
            <dt>{positionHeading("object", p.objectors.length)}</dt>
            <dd>
              <ul className="objections">
                {p.objectors.map((o) => (
                  <li key={o.name}>
                    {o.name}
                    {o.reason ? `: ${o.reason}` : ""}
                  </li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
        {p.decisionReason ? (
          <>
            <dt>Chair’s reason</dt>
            <dd>{p.decisionReason}</dd>
          </>
        ) : null}
      </dl>
      {p.excerpt !== null ? (
        <p className="proposal-excerpt">
          “{p.excerpt}”{" "}
          <Link to={`../proposals/${p.id}`} relative="path">
            Full text on {p.number}’s page
          </Link>
        </p>
      ) : p.diff.length === 0 ? (
        <p className="muted">(no text)</p>
      ) : (
        <DiffSegments segments={p.diff} className="proposal-text" />
      )}
    </article>
  );
}

function Entry({ entry }: { entry: CompilationEntry }) {
  if (entry.type === "proposed") {
    return (
      <section className="compiled-clause proposed" data-label={entry.label} aria-label={`Proposed new clause ${entry.label}`}>
        <h3>
          <span className="clause-label">{entry.label}</span> {`— proposed by ${entry.proposal.sponsor}`}
        </h3>
        <Proposal p={entry.proposal} />
      </section>
    );
  }
  return (
    <section
      className={`compiled-clause state-${entry.state}`}
      data-label={entry.label}
      data-state={entry.state}
      aria-label={`Clause ${entry.label}`}
    >
      <h3>
        {entry.id ? (
          <Link to={`..#clause-${entry.id}`} relative="path" className="clause-label" aria-label={`${entry.label}: open in the text`}>
            {entry.label}
          </Link>
        ) : (
          <span className="clause-label">{entry.label}</span>
        )}{" "}
        <span className={`state-badge state-${entry.state}`}>{stateBadgeLabels[entry.state]}</span>
        {entry.id ? (
          <>
            {" "}
            <Link to={`../clauses/${entry.id}/story`} relative="path" className="clause-story" aria-label={`Story of ${entry.label}`}>
              Story
            </Link>
          </>
        ) : null}
      </h3>
      <p className={entry.bracketed ? "clause-text bracketed" : "clause-text"}>{entry.bracketed ? `[${entry.text}]` : entry.text}</p>
      {entry.proposals.length ? (
        <div className="clause-proposals">
          {entry.proposals.map((p) => (
            <Proposal key={p.id} p={p} />
          ))}
        </div>
      ) : null}
    </section>
  );
}

export default function CompilationPage() {
  const { document, conference, delegations, filters, entries, counts, view, rolling } = useLoaderData<typeof loader>();
  const parts = [
    { key: "pp", title: "Preambular part" },
    { key: "op", title: "Operative part" },
  ] as const;
  return (
    <StatementSubpage
      conference={conference}
      document={document}
      title={`Compilation: ${document.title}`}
      className="compilation-page"
      mainClassName="content compilation"
    >
      <section className="compilation-counts" aria-labelledby="counts-heading">
        <h2 id="counts-heading">Where things stand</h2>
        <ul className="counts">
          <li data-count="agreed">
            <strong>{counts.agreed}</strong> of {counts.clauses} clauses agreed
          </li>
          <li data-count="open">
            <strong>{counts.withOpenProposals}</strong> clauses with open proposals
          </li>
          <li data-count="pending">
            <strong>{counts.pending}</strong> proposals pending
          </li>
        </ul>
        {counts.perDelegation.length ? (
          <table className="per-delegation">
            <caption>Proposals per delegation</caption>
            <thead>
              <tr>
                <th scope="col">Delegation</th>
                <th scope="col">Proposals</th>
              </tr>
            </thead>
            <tbody>
              {counts.perDelegation.map((d) => (
                <tr key={d.name}>
                  <th scope="row">{d.name}</th>
                  <td>{d.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
      <TextViewToggle view={view} exportPath={`/documents/${document.id}/export`} />
      {rolling ? <RollingText text={rolling} /> : null}
      <Form method="get" className="form inline-form compilation-filters" aria-label="Filters" hidden={rolling !== null}>
        <SelectField
          label="Delegation"
          name="delegation"
          defaultValue={filters.delegation}
          options={[{ value: "", label: "All delegations" }, ...delegations.map((d) => ({ value: d.id, label: d.name }))]}
        />
        <SelectField
          label="Clause state"
          name="state"
          defaultValue={filters.state}
          options={[{ value: "", label: "All states" }, ...Object.entries(stateBadgeLabels).map(([value, label]) => ({ value, label }))]}
        />
        <SelectField
          label="Proposal status"
          name="status"
          defaultValue={filters.status}
          options={[
            { value: "", label: "All statuses" },
            ...Object.entries(proposalStatusLabels).map(([value, label]) => ({ value, label })),
          ]}
        />
        <button type="submit" className="button">
          Filter
        </button>
        {filters.delegation || filters.state || filters.status ? <Link to=".">Clear filters</Link> : null}
      </Form>
      {document.adopted ? <p className="adopted-note">This text has been adopted.</p> : null}
      {(rolling ? [] : parts).map((part) => {
        const list = entries.filter((e) => e.part === part.key);
        return (
          <section key={part.key} className="compilation-part" aria-labelledby={`part-${part.key}`}>
            <h2 id={`part-${part.key}`}>{part.title}</h2>
            {list.length === 0 ? <p className="muted">Nothing matches the filters in this part.</p> : null}
            {list.map((e) => (
              <Entry key={e.type === "clause" ? `c-${e.id ?? e.label}` : `p-${e.proposal.id}`} entry={e} />
            ))}
          </section>
        );
      })}
    </StatementSubpage>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
