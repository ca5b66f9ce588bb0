import type { ReactNode } from "react";
import { AppHeader } from "./AppHeader";
import { ConferenceNav } from "./ConferenceNav";

/** The frame of a conference's pages: masthead with its title, its tabs, then the page. */
export function ConferenceLayout({
  conference,
  canManage,
  current,
  className,
  children,
}: {
  conference: { id: string; title: string; venue: string };
  canManage: boolean;
  current: "documents" | "delegations" | "people" | "audit";
  className?: string;
  children: ReactNode;
}) {
  return (
    <div className="page">
      <AppHeader>
        <span className="conference">{conference.venue}</span>
        <h1 className="document-title">{conference.title}</h1>
      </AppHeader>
      <ConferenceNav conferenceId={conference.id} canManage={canManage} current={current} />
      <main id="main" className={className ? `content ${className}` : "content"}>
        {children}
      </main>
    </div>
  );
}
