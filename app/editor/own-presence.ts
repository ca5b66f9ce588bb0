import type { Awareness } from "y-protocols/awareness";
import type { WebsocketProvider } from "y-websocket";

/**
 * y-protocols lets a remote update with a higher clock replace this client's own presence, after
 * which we would show, and republish with every caret move, what someone else wrote under our
 * id. Whatever arrives for our id is answered at once with our own last state (a newer clock).
 * Registered before anything else listens, so nothing reads the foreign state first.
 */
export function keepOwnPresence(awareness: Awareness): () => void {
  let own = awareness.getLocalState();
  const onChange = ({ added, updated }: { added: number[]; updated: number[] }, origin: unknown) => {
    if (origin === "local") {
      own = awareness.getLocalState();
    } else if (own !== null && (added.includes(awareness.clientID) || updated.includes(awareness.clientID))) {
      awareness.setLocalState(own);
    }
  };
  awareness.on("change", onChange);
  return () => awareness.off("change", onChange);
}

/**
 * The stock provider sends the server every presence change it applies, everyone else's included:
 * each caret move by anyone came back to the server from every client, N messages for one change
 * (the server drops them, having relayed the original itself). This client sends its own state
 * only: its changes, its renewals and its leaving, as before.
 */
export function sendOwnPresenceOnly(provider: WebsocketProvider): void {
  const { awareness } = provider;
  const sendAll = provider._awarenessUpdateHandler;
  awareness.off("update", sendAll);
  // Replaced, so that destroying the provider unregisters this one.
  provider._awarenessUpdateHandler = ({ added, updated, removed }: AwarenessChanges, origin: unknown) => {
    const own = awareness.clientID;
    if (added.includes(own) || updated.includes(own) || removed.includes(own)) sendAll({ added: [], updated: [own], removed: [] }, origin);
  };
  awareness.on("update", provider._awarenessUpdateHandler);
}

interface AwarenessChanges {
  added: number[];
  updated: number[];
  removed: number[];
}
