import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { AppHeader } from "./AppHeader";
import { useLiveUpdates } from "~/negotiation/live";
import { LiveNotices } from "~/negotiation/LiveNotices";

/**
 * The frame of a statement's own pages (compilation, consensus, history, a proposal, a version,
 * the changes between two versions): the conference, the page's title, the way back to the
 * statement, and — unless the page shows a fixed text — the statement's live updates and notices.
 */
export function StatementSubpage({
  conference,
  document,
  title,
  live = true,
  translations = false,
  breakouts = false,
  className,
  mainClassName,
  after,
  children,
}: {
  conference: { id: string; title: string };
  document: { id: string; title: string };
  /**
   * The page's heading in the masthead. A page that carries its own heading leaves it out; the
   * masthead then names the statement (a link to it).
   */
  title?: ReactNode;
  /** Whether the page follows the statement's live updates (reloading its data) and shows their notices. */
  live?: boolean;
  /** The page shows translations: it also reloads when one changes. */
  translations?: boolean;
  /** The page shows a breakout: it also reloads when a comment in a breakout changes. */
  breakouts?: boolean;
  className?: string;
  mainClassName?: string;
  /** What stands outside the page's main content (a dialog). */
  after?: ReactNode;
  children: ReactNode;
}) {
  const statementPath = `/documents/${document.id}`;
  return (
    <div className={className ? `page ${className}` : "page"}>
      <AppHeader
        actions={
          <Link to={statementPath} className="masthead-link">
            Back to the statement
          </Link>
        }
      >
        <Link to={`/conferences/${conference.id}`} className="conference">
          {conference.title}
        </Link>
        {title === undefined ? (
          <Link to={statementPath} className="document-title">
            {document.title}
          </Link>
        ) : (
          <h1 className="document-title">{title}</h1>
        )}
      </AppHeader>
      {live ? <Live documentId={document.id} translations={translations} breakouts={breakouts} /> : null}
      <main id="main" className={mainClassName}>
        {children}
      </main>
      {after}
    </div>
  );
}

function Live({ documentId, translations, breakouts }: { documentId: string; translations: boolean; breakouts: boolean }) {
  const notices = useLiveUpdates(documentId, undefined, { translations, breakouts });
  return <LiveNotices notices={notices} />;
}
