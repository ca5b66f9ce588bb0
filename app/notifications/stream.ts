import { useEffect, useRef } from "react";
import type { NotificationMessage } from "~/statement/notifications";

type Listener = (message: NotificationMessage) => void;

/** One EventSource per page for the person's notices, however many parts of the page follow them. */
const listeners = new Set<Listener>();
let source: EventSource | null = null;
let last: NotificationMessage | null = null;

function open() {
  source = new EventSource("/notifications/events");
  source.onmessage = (e) => {
    try {
      last = JSON.parse(e.data as string) as NotificationMessage;
    } catch {
      return;
    }
    for (const listener of listeners) listener(last);
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
    if (!source) open();
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
