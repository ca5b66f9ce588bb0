import type { Awareness } from "y-protocols/awareness";

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
