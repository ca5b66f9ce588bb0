import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { refusals, sightOf } from "../../server/auth/visibility";
import { actorOf } from "../../server/negotiation/actor";
import { readStory } from "../../server/negotiation/story/story";
import { StatementSubpage } from "~/components/StatementSubpage";
import { GeneralErrorBoundary } from "~/components/GeneralErrorBoundary";
import { StoryTimeline } from "~/negotiation/StoryTimeline";
import { requireDocumentPermission } from "~/utils/auth.server";
import { invariantResponse } from "~/utils/invariant";

/**
 * A paragraph's story (/documents/<id>/clauses/<clause id>/story): every text the clause has had,
 * with word diffs, where each came from, and — for those who see the negotiation — the proposals
 * on it and their fate, its states, signals and comments, in order, with who and when. Whoever
 * sees the statement reads it; an observer who sees the text only reads the texts only
 * (server/negotiation/story/).
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { access, conference, document } = await requireDocumentPermission(request, context, params.documentId, "conference:view");
  const clauseId = params.clauseId ?? "";
  invariantResponse(/^[A-Za-z0-9_-]{1,100}$/.test(clauseId), "There is no such clause.", { status: 404 });
  const sight = sightOf(access, conference);
  invariantResponse(sight !== "none", refusals.none, { status: 403 });
  const pageParam = Number(new URL(request.url).searchParams.get("page"));
  const story = await readStory(
    { sql: context.sql, document, clauseId, viewer: actorOf(access), sight, conference },
    Number.isInteger(pageParam) && pageParam > 0 ? pageParam : null,
  );
  invariantResponse(story.latest, "There is no such clause.", { status: 404 });
  return {
    document: { id: document.id, title: document.title },
    conference: { id: conference.id, title: conference.title },
    clause: { id: clauseId, label: story.latest.label, text: story.latest.text },
    seesNegotiation: sight === "negotiation",
    story: { entries: story.entries, page: story.page, pages: story.pages, total: story.total },
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Story of ${data.clause.label} · ${data.document.title} · Concord` : "Concord" },
];

export default function ClauseStoryPage() {
  const { document, conference, clause, seesNegotiation, story } = useLoaderData<typeof loader>();
  const pageLink = (page: number) => `?page=${page}`;
  return (
    <StatementSubpage conference={conference} document={document} title={`Story of ${clause.label}`} mainClassName="story">
      <section className="story-now" aria-labelledby="story-now-heading">
        <h2 id="story-now-heading">{clause.text === null ? `${clause.label} (no longer in the text)` : `${clause.label} now`}</h2>
        {clause.text !== null ? <p className="clause-text">{clause.text}</p> : null}
        <p>
          {clause.text !== null ? <Link to={`/documents/${document.id}#clause-${clause.id}`}>Open in the text</Link> : null}
          {clause.text !== null ? " · " : null}
          {seesNegotiation ? (
            <>
              <Link to={`/documents/${document.id}/compilation`}>Compilation</Link> ·{" "}
            </>
          ) : null}
          <Link to={`/documents/${document.id}/history`}>Versions</Link>
        </p>
      </section>
      <h2 id="story-heading">What happened to {clause.label}</h2>
      {seesNegotiation ? null : <p className="muted">You see this statement’s texts and versions only, so this story tells its texts.</p>}
      <p className="muted">
        {story.total} event{story.total === 1 ? "" : "s"}
        {story.pages > 1 ? `, page ${story.page} of ${story.pages} (oldest first)` : ""}. Texts are those of the statement’s versions and of
        its current text: edits made between two versions show as one change.
      </p>
      {story.pages > 1 ? <StoryPager page={story.page} pages={story.pages} link={pageLink} /> : null}
      <StoryTimeline documentId={document.id} entries={story.entries} />
    </StatementSubpage>
  );
}

function StoryPager({ page, pages, link }: { page: number; pages: number; link: (page: number) => string }) {
  return (
    <nav className="story-pager" aria-label={`Pages of the story (page ${page} of ${pages})`}>
      {page > 1 ? <Link to={link(page - 1)}>Earlier</Link> : null}
      {page > 1 && page < pages ? " · " : null}
      {page < pages ? <Link to={link(page + 1)}>Later</Link> : null}
    </nav>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
