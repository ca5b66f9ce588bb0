import { Link } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { useNotificationStream } from "./stream";

/**
 * The bell in every page's header: how many of the person's notices are unread, kept current by
 * their notification stream, and a polite live region reading out a notice as it arrives.
 */
export function NotificationBell({ unread: loaded }: { unread: number }) {
  const [unread, setUnread] = useState(loaded);
  const [announcement, setAnnouncement] = useState("");
  // The newest notice the page has heard of; the stream's first message only says where things stand.
  const newest = useRef<string | null>(null);
  useEffect(() => setUnread(loaded), [loaded]);
  useNotificationStream((message) => {
    setUnread(message.unread);
    const latest = message.latest;
    if (newest.current !== null && latest && !latest.read && latest.id !== newest.current)
      setAnnouncement(`New notification: ${latest.text}`);
    newest.current = latest?.id ?? "";
  });
  const label = unread > 0 ? `Notifications, ${unread} unread` : "Notifications";
  return (
    <>
      <Link to="/notifications" className="masthead-link bell" aria-label={label} data-unread={unread}>
        <svg aria-hidden="true" focusable="false" viewBox="0 0 24 24" width="20" height="20">
          <path
            fill="currentColor"
            d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1Z"
          />
        </svg>
        {unread > 0 ? (
          <span className="bell-count" aria-hidden="true">
            {unread > 99 ? "99+" : unread}
          </span>
        ) : null}
      </Link>
      <span className="visually-hidden" role="status">
        {announcement}
      </span>
    </>
  );
}
