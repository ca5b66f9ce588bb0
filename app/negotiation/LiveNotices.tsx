import type { LiveNotice } from "./live";

/** Announcements that reach everyone present (e.g. a silence broken), read out by screen readers. */
export function LiveNotices({ notices }: { notices: LiveNotice[] }) {
  return (
    <div className="live-notices" role="status" aria-live="polite">
      {notices.map((n) => (
        <p key={n.id} className="live-notice">
          {n.text}
        </p>
      ))}
    </div>
  );
}
