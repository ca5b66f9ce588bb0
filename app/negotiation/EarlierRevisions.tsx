import { useFetcher } from "@remix-run/react";
import type { loader as revisionLoader } from "~/routes/documents.$documentId_.proposals.$proposalId_.revisions.$revision";
import { formatUtc } from "~/utils/dates";
import { WordDiff } from "./WordDiff";

/** One earlier revision: its text is fetched when it is opened, not sent with the page. */
function EarlierRevision({ href, revision, by, at }: { href: string; revision: number; by: string; at: string }) {
  const fetcher = useFetcher<typeof revisionLoader>();
  const shown = fetcher.data;
  return (
    <li>
      <details
        onToggle={(e) => {
          if (e.currentTarget.open && !shown && fetcher.state === "idle") fetcher.load(href);
        }}
      >
        <summary>
          Revision {revision} · {by} · <time dateTime={at}>{formatUtc(at)}</time>
        </summary>
        {shown ? (
          <div className="proposal-diff" data-testid={`revision-${revision}`}>
            <WordDiff from={shown.kind === "add" ? "" : shown.baseText} to={shown.text} />
          </div>
        ) : (
          <p className="muted" role="status">
            {fetcher.state === "idle" ? "" : "Loading…"}
          </p>
        )}
      </details>
    </li>
  );
}

/** The revisions before the latest, newest first, each opened on demand. */
export function EarlierRevisions({
  documentId,
  proposalId,
  revisions,
}: {
  documentId: string;
  proposalId: string;
  revisions: { revision: number; submittedByName: string; submittedAt: string }[];
}) {
  if (revisions.length === 0) return null;
  return (
    <section aria-labelledby="earlier-heading" className="panel">
      <h2 id="earlier-heading">Earlier revisions</h2>
      <ol className="earlier-revisions" reversed>
        {revisions.map((r) => (
          <EarlierRevision
            key={r.revision}
            href={`/documents/${documentId}/proposals/${proposalId}/revisions/${r.revision}`}
            revision={r.revision}
            by={r.submittedByName}
            at={r.submittedAt}
          />
        ))}
      </ol>
    </section>
  );
}
