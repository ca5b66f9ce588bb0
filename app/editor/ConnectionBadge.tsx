import type { CollabStatus } from "./collab-client";

function describe(s: CollabStatus): { text: string; tone: "ok" | "busy" | "warn" } {
  if (s.ended) return { text: `Disconnected: ${s.ended}. Reload the page to continue.`, tone: "warn" };
  if (s.savingPaused) {
    return { text: "Saving paused — the server cannot reach its database; your edits are kept and will be saved", tone: "warn" };
  }
  if (s.readOnly && s.connection === "connected") return { text: "Connected · read only", tone: "ok" };
  if (s.connection === "connected") return s.unsaved ? { text: "Saving…", tone: "busy" } : { text: "All changes saved", tone: "ok" };
  if (s.unsaved) return { text: "Offline — unsent changes will be saved on reconnection", tone: "warn" };
  return s.connection === "connecting" ? { text: "Connecting…", tone: "busy" } : { text: "Offline", tone: "warn" };
}

/** Connection and saving state, announced politely to screen readers. */
export function ConnectionBadge({ status }: { status: CollabStatus }) {
  const { text, tone } = describe(status);
  return (
    <p
      className={`connection-badge tone-${tone}`}
      role="status"
      aria-live="polite"
      data-connection={status.connection}
      data-unsaved={status.unsaved}
    >
      <span className="dot" aria-hidden="true" />
      {text}
    </p>
  );
}
