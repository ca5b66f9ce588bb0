import { useEffect, useRef } from "react";
import type { NotificationMessage } from "~/statement/notifications";

type Listener = (message: NotificationMessage) => void;

/**
 * One stream per page for the person's notices, however many parts of the page follow them: the
 * statement's event stream where the page has one (it carries them, `carryNotifications`), else
 * an EventSource of their own. Browsers open at most six connections to a server over HTTP/1.1,
 * so a page holding two streams would stall a delegate's third tab.
 */
const listeners = new Set<Listener>();
let source: EventSource | null = null;
let last: NotificationMessage | null = null;
/** Statement streams of this page carrying the notices. */
let carriers = 0;

function deliver(message: NotificationMessage) {
  last = message;
  for (const listener of listeners) listener(message);
}

function open() {
  source = new EventSource("/notifications/events");
  source.onmessage = (e) => {
    try {
      deliver(JSON.parse(e.data as string) as NotificationMessage);
    } catch {
      // not a message of ours
    }
  };
}

/**
 * A statement's event stream opened with `?notifications=1` carries the notices from now on: this
 * page's own EventSource closes. Returns what hands each notice message on, and what gives the
 * notices back to an EventSource of their own when that stream closes.
 */
export function carryNotifications(): { deliver: Listener; release: () => void } {
  carriers++;
  source?.close();
  source = null;
  return {
    deliver,
    release() {
      carriers--;
      if (carriers === 0 && listeners.size > 0) open();
    },
  };
}

/**
 * Calls `onMessage` with every message of the signed-in person's notification stream
 * (server/notifications/live.ts): on opening, where things stand, then on each change.
 */
export function useNotificationStream(onMessage: Listener, enabled = true): void {
  const latest = useRef(onMessage);
  latest.current = onMessage;
  useEffect(() => {
    if (!enabled) return;
    const listener: Listener = (m) => latest.current(m);
    listeners.add(listener);
    if (!source && carriers === 0) open();
    else if (last) listener(last);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0) {
        source?.close();
        source = null;
        last = null;
      }
    };
  }, [enabled]);
}
