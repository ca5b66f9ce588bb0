import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { can } from "../../server/auth/permissions";
import { listDelegations } from "../../server/queries/delegations";
import { currentSignals } from "../../server/queries/clause-signals";
import { currentClauseStates } from "../../server/queries/clause-states";
import { currentStatement } from "../../server/negotiation/numbering";
import { listGroupMembers } from "../../server/queries/delegation-groups";
import { negotiates } from "../../server/auth/delegation-rights";
import { delegationKindLabels } from "~/statement/people-labels";
import { StatementSubpage } from "~/components/StatementSubpage";
import { SideScroll } from "~/components/SideScroll";
import { GeneralErrorBoundary } from "~/components/GeneralErrorBoundary";
import { requireNegotiationPermission } from "~/utils/auth.server";
import { invariantResponse } from "~/utils/invariant";
import { signalLabels, stateLabels } from "~/statement/negotiation-labels";
import { alignedLabel } from "~/negotiation/ClauseStatus";

const excerptLength = 90;

/** Where every delegation stands on every clause: for the chair and the secretariat. A page of its own, not inside the statement page (hence `$documentId_`). */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { access, conference, document } = await requireNegotiationPermission(request, context, params.documentId, "conference:view");
  invariantResponse(
    can(access, "negotiation:chair") || can(access, "conference:manage"),
    "The consensus matrix is for the chair and the secretariat.",
    { status: 403 },
  );
  const [clauses, everyDelegation, signals, states, groups] = await Promise.all([
    currentStatement(context.sql, document.id).then((s) => s.clauses),
    listDelegations(context.sql, conference.id),
    currentSignals(context.sql, document.id),
    currentClauseStates(context.sql, document.id),
    listGroupMembers(context.sql, conference.id),
  ]);
  // Only delegations that negotiate count toward consensus; a group's signal is the group's own.
  const delegations = everyDelegation.filter((d) => negotiates(d.kind));
  const codes = new Map(everyDelegation.map((d) => [d.id, d.code]));
  const byCell = new Map(signals.map((s) => [`${s.clauseId} ${s.delegationId}`, s]));
  return {
    document: { id: document.id, title: document.title, adopted: document.adoptedAt !== null },
    conference: { id: conference.id, title: conference.title },
    delegations: delegations.map((d) => ({
      id: d.id,
      code: d.code,
      name: d.name,
      members: (groups.get(d.id) ?? []).map((id) => codes.get(id) ?? ""),
    })),
    notCounted: everyDelegation
      .filter((d) => !negotiates(d.kind))
      .map((d) => ({ id: d.id, code: d.code, name: d.name, kind: delegationKindLabels[d.kind] })),
    rows: clauses
      .filter((c): c is typeof c & { id: string } => c.id !== null)
      .map((c) => ({
        id: c.id,
        label: c.label,
        excerpt: c.text.length > excerptLength ? `${c.text.slice(0, excerptLength)}…` : c.text,
        state: states.get(c.id) ?? "open",
        cells: delegations.map((d) => {
          const s = byCell.get(`${c.id} ${d.id}`);
          return s
            ? { signal: s.signal, reason: s.reason, by: s.userName, at: s.createdAt.toISOString(), alignedWith: s.alignedWith }
            : null;
        }),
      })),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Consensus · ${data.document.title} · Concord` : "Concord" },
];

const canAccept = (signal: string | undefined) => signal === "accept" || signal === "reservation";

export default function ConsensusPage() {
  const { document, conference, delegations, notCounted, rows } = useLoaderData<typeof loader>();
  const silentByDelegation = delegations.map((_, i) => rows.filter((r) => r.cells[i] === null).length);

  return (
    <StatementSubpage conference={conference} document={document} title={`Consensus: ${document.title}`} mainClassName="consensus">
      {document.adopted ? (
        <p>
          <strong className="adopted-note">The text is adopted.</strong>
        </p>
      ) : null}
      {delegations.length === 0 ? <p>No delegations negotiate in this conference yet.</p> : null}
      <p className="consensus-counts" data-testid="consensus-counts">
        {delegations.length} {delegations.length === 1 ? "delegation counts" : "delegations count"} toward consensus
        {notCounted.length > 0 ? (
          <>
            ; not counted (they take part without negotiating):{" "}
            {notCounted.map((d, i) => (
              <span key={d.id} data-not-counted={d.code}>
                {i > 0 ? ", " : ""}
                {d.name} ({d.code}, {d.kind})
              </span>
            ))}
          </>
        ) : null}
        .
      </p>
      <SideScroll label="Consensus matrix" hint={`Scroll sideways to see all ${delegations.length} delegations`}>
        <table className="consensus-matrix">
          <caption>
            Each delegation's current signal on each clause (a member aligned with its group has the group's). Rows where every delegation
            can accept are marked “consensus”.
          </caption>
          <thead>
            <tr>
              <th scope="col">Clause</th>
              <th scope="col">State</th>
              {delegations.map((d) => (
                <th scope="col" key={d.id} title={d.members.length > 0 ? `${d.name}: ${d.members.join(", ")}` : d.name}>
                  {d.code}
                  {d.members.length > 0 ? (
                    <span className="group-members">{` (${d.members.length} ${d.members.length === 1 ? "member" : "members"})`}</span>
                  ) : null}
                </th>
              ))}
              <th scope="col">Not yet signalled</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const silent = r.cells.filter((c) => c === null).length;
              const consensus = delegations.length > 0 && r.cells.every((c) => canAccept(c?.signal));
              return (
                <tr key={r.id} data-clause-id={r.id} className={consensus ? "consensus-row" : undefined}>
                  <th scope="row">
                    <span className="clause-ref">{r.label}</span> <span className="excerpt">{r.excerpt}</span>
                    {consensus ? <span className="consensus-flag"> consensus</span> : null}
                  </th>
                  <td>
                    <span className={`state-badge state-${r.state}`}>{stateLabels[r.state]}</span>
                  </td>
                  {r.cells.map((c, i) => (
                    <td
                      key={delegations[i].id}
                      data-delegation={delegations[i].code}
                      className={c ? `signal-cell signal-${c.signal}` : "signal-cell signal-none"}
                    >
                      {c ? (
                        <>
                          <span className="signal-name">{signalLabels[c.signal]}</span>
                          {c.alignedWith ? <span className="signal-aligned">{alignedLabel(c.alignedWith)}</span> : null}
                          {c.reason ? <span className="signal-reason">{c.reason}</span> : null}
                        </>
                      ) : (
                        <span className="muted">No signal</span>
                      )}
                    </td>
                  ))}
                  <td className="silent-count">{silent}</td>
                </tr>
              );
            })}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={2}>
                Clauses not yet signalled
              </th>
              {silentByDelegation.map((n, i) => (
                <td key={delegations[i].id} data-delegation={delegations[i].code} className="silent-count">
                  {n}
                </td>
              ))}
              <td />
            </tr>
          </tfoot>
        </table>
      </SideScroll>
    </StatementSubpage>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
