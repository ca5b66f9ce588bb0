import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { auditCount, auditPage } from "../../server/queries/audit-log";
import { verifyChain } from "../../server/audit/verify";
import { ConferenceLayout } from "~/components/ConferenceLayout";
import { auditActionLabel, subjectSummary } from "~/audit/labels";
import { requireConferencePermission } from "~/utils/auth.server";
import { formatUtc } from "~/utils/dates";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Audit trail · ${data.conference.title} · Concord` : "Concord" },
];

const pageSize = 50;

/**
 * The secretariat's view of the conference's audit trail: newest entries first, a page at a time.
 * The chain is verified on request (?verify=1), since that re-reads the whole log.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { conference } = await requireConferencePermission(request, context, params.conferenceId, "conference:manage");
  const search = new URL(request.url).searchParams;
  const total = await auditCount(context.sql, conference.id);
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const requested = Number.parseInt(search.get("page") ?? "1", 10);
  const page = Number.isInteger(requested) ? Math.min(Math.max(requested, 1), pages) : 1;
  const rows = await auditPage(context.sql, conference.id, { limit: pageSize, offset: (page - 1) * pageSize });
  const verification = search.get("verify") === "1" ? await verifyChain(context.sql, conference.id) : null;
  return {
    conference,
    total,
    page,
    pages,
    verification,
    entries: rows.map((r) => ({
      seq: r.seq,
      at: formatUtc(r.at),
      atIso: r.at.toISOString(),
      actorName: r.actorName,
      actorRole: r.actorRole,
      delegation: r.delegation,
      action: r.action,
      subject: subjectSummary(r.action, r.subject),
      hash: r.hash,
    })),
  };
}

export default function AuditPage() {
  const { conference, total, page, pages, verification, entries } = useLoaderData<typeof loader>();
  const verifying = useNavigation().state === "loading";
  const download = `/conferences/${conference.id}/audit/download`;
  return (
    <ConferenceLayout conference={conference} canManage current="audit" className="audit-page">
      <h2>Audit trail</h2>
      <p>
        Every decision and change of state in this conference, in order. Each entry carries a hash over its content and over the entry
        before it, so an entry changed, removed or inserted afterwards breaks the chain from there on.
      </p>
      <section className="card audit-tools" aria-labelledby="audit-verify">
        <h3 id="audit-verify">Check and download</h3>
        <Form method="get" className="inline-form">
          <input type="hidden" name="verify" value="1" />
          {page > 1 ? <input type="hidden" name="page" value={page} /> : null}
          <button type="submit" className="button" disabled={verifying}>
            Verify the chain
          </button>
        </Form>
        <div role="status" className="status-region">
          {verification ? (
            verification.ok ? (
              <p className="notice audit-ok">The chain is intact: all {verification.entries} entries check out.</p>
            ) : (
              <p className="error audit-broken">
                The chain is broken at entry {verification.firstBroken!.seq}. {verification.firstBroken!.reason}
              </p>
            )
          ) : null}
        </div>
        <p>
          Download the whole log with its hashes, to keep or to verify independently:{" "}
          <a href={`${download}?format=jsonl`} download>
            JSON Lines
          </a>{" "}
          ·{" "}
          <a href={`${download}?format=csv`} download>
            CSV
          </a>
        </p>
      </section>
      <section className="card" aria-labelledby="audit-archive">
        <h3 id="audit-archive">The conference archive</h3>
        <p>
          Everything the records office keeps, in one .zip: every statement&apos;s named revisions (and the adopted text) in Word, PDF and
          Akoma Ntoso, the compilation at adoption, every tabled proposal with its revisions and history, the explanations of position, this
          audit log, and a manifest with the SHA-256 of every file.
        </p>
        <p>
          <a href={`/conferences/${conference.id}/archive`} download className="button">
            Download the archive
          </a>
        </p>
      </section>
      {entries.length === 0 ? (
        <p>Nothing has been recorded yet.</p>
      ) : (
        <table className="data-table audit-table">
          <caption>
            {total} {total === 1 ? "entry" : "entries"}, newest first{pages > 1 ? ` (page ${page} of ${pages})` : ""}
          </caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
              <th scope="col">Details</th>
              <th scope="col">Hash</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.seq}>
                <th scope="row">{e.seq}</th>
                <td>
                  <time dateTime={e.atIso}>{e.at}</time>
                </td>
                <td>
                  {e.actorName}
                  <span className="audit-role">
                    {" "}
                    ({e.actorRole}
                    {e.delegation ? `, ${e.delegation}` : ""})
                  </span>
                </td>
                <td>{auditActionLabel(e.action)}</td>
                <td>
                  {e.subject.length > 0 ? (
                    <dl className="audit-subject">
                      {e.subject.map((s) => (
                        <div key={s.key}>
                          <dt>{s.label}</dt>
                          <dd>{s.value}</dd>
                        </div>
                      ))}
                    </dl>
                  ) : null}
                </td>
                <td>
                  <code title={e.hash}>{e.hash.slice(0, 12)}…</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {pages > 1 ? (
        <nav className="pager" aria-label="Pages of the audit trail">
          {page > 1 ? <Link to={`?page=${page - 1}`}>Newer entries</Link> : null}
          {page < pages ? <Link to={`?page=${page + 1}`}>Older entries</Link> : null}
        </nav>
      ) : null}
    </ConferenceLayout>
  );
}
