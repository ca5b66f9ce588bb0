import * as Y from "yjs";
import * as decoding from "lib0/decoding";
import { WebsocketProvider } from "y-websocket";
import { keepOwnPresence, sendOwnPresenceOnly } from "./own-presence";
import { discardLeftCopies, keepUnsentEdits, unsentEditsPrefix, type UnsentEdits } from "./unsent-edits";

import { closeCodes, concordAccess, concordSaved, concordSaving, messageConcord } from "~/statement/protocol";

/** The server's close codes for an edit it refused and did not save: to a locked (agreed) clause, or breaking the statement's structure. */
const closeRefused = new Set<number>([closeCodes.clauseLocked, closeCodes.schemaViolation]);

export type ConnectionState = "connecting" | "connected" | "offline";

export interface CollabStatus {
  connection: ConnectionState;
  /** Local edits exist that the server has not confirmed as stored. */
  unsaved: boolean;
  /** The server accepts no edits from this person (their role, or a change of it). */
  readOnly: boolean;
  /** Edits were refused (made before the server made this person read-only, or changing an agreed clause); reopen to resync. */
  refused: boolean;
  /** The server's reason when it refused an edit, to show the person. */
  refusal: string | null;
  /** Why the server ended the connection for good (signed out, access removed), if it did. */
  ended: string | null;
  /** The server cannot write to its database for now; it holds edits and relays nothing unsaved. */
  savingPaused: boolean;
}

export interface StatementConnection {
  doc: Y.Doc;
  provider: WebsocketProvider;
  status(): CollabStatus;
  onStatus(listener: (s: CollabStatus) => void): () => void;
  destroy(): void;
}

/**
 * Opens a statement over the stock y-websocket provider. The server confirms each durable
 * write with its state vector; comparing the clocks of this client, and of the copies of
 * earlier pages it merged, with it tells whether every local edit is stored (the editor's
 * "saving" indicator). Given `keepUnsentFor` (the person's user id), unsent edits are also kept
 * in the browser until then (see unsent-edits.ts).
 */
export function connectStatement(
  documentId: string,
  { readOnly = false, keepUnsentFor }: { readOnly?: boolean; keepUnsentFor?: string } = {},
): StatementConnection {
  const doc = new Y.Doc();
  const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
  // Tabs of one browser must not sync among themselves: everything goes through the server,
  // which stores it before anyone sees it.
  const provider = new WebsocketProvider(`${scheme}//${window.location.host}/collab`, documentId, doc, { disableBc: true });
  const stopKeepingOwnPresence = keepOwnPresence(provider.awareness);
  sendOwnPresenceOnly(provider);
  /** The server's acknowledged state vector. */
  const confirmed = new Map<number, number>();
  /** Edits merged from copies of earlier pages: the clock of each of their clients the server must reach. */
  const merged = new Map<number, number>();
  const hasUnconfirmed = () => {
    if (Y.getState(doc.store, doc.clientID) > (confirmed.get(doc.clientID) ?? 0)) return true;
    for (const [client, clock] of merged) if (clock > (confirmed.get(client) ?? 0)) return true;
    return false;
  };
  let unsent: UnsentEdits | null = null;
  const discardUnsent = () => {
    unsent?.discard();
    unsent = null;
  };
  let refused = false;
  let refusal: string | null = null;
  let ended: string | null = null;
  let savingPaused = false;
  let status: CollabStatus = { connection: "connecting", unsaved: false, readOnly, refused, refusal, ended, savingPaused };
  const listeners = new Set<(s: CollabStatus) => void>();

  const recompute = () => {
    const next: CollabStatus = {
      // Connected means the text shown is the server's: until the first sync the page would show nothing.
      connection:
        provider.wsconnected && provider.synced ? "connected" : provider.wsconnected || provider.wsconnecting ? "connecting" : "offline",
      unsaved: !readOnly && hasUnconfirmed(),
      readOnly,
      refused,
      refusal,
      ended,
      savingPaused: provider.wsconnected && savingPaused,
    };
    if (
      next.connection !== status.connection ||
      next.unsaved !== status.unsaved ||
      next.readOnly !== status.readOnly ||
      next.refused !== status.refused ||
      next.refusal !== status.refusal ||
      next.ended !== status.ended ||
      next.savingPaused !== status.savingPaused
    ) {
      status = next;
      for (const l of listeners) l(status);
    }
    if (!next.unsaved) unsent?.acknowledged();
  };

  const prefix = keepUnsentFor ? unsentEditsPrefix(keepUnsentFor, documentId) : null;
  if (prefix && readOnly) discardLeftCopies(prefix);
  else if (prefix)
    unsent = keepUnsentEdits(doc, prefix, (sv) => {
      for (const [client, clock] of sv) merged.set(client, Math.max(merged.get(client) ?? 0, clock));
      recompute();
    });

  provider.messageHandlers[messageConcord] = (_encoder, decoder) => {
    const kind = decoding.readVarUint(decoder);
    if (kind === concordSaved) {
      const sv = Y.decodeStateVector(decoding.readVarUint8Array(decoder));
      for (const [client, clock] of sv) confirmed.set(client, Math.max(confirmed.get(client) ?? 0, clock));
    } else if (kind === concordSaving) {
      savingPaused = decoding.readVarUint(decoder) === 1;
    } else if (kind === concordAccess) {
      readOnly = decoding.readVarUint(decoder) === 1;
      if (readOnly && hasUnconfirmed()) refused = true;
      if (readOnly) discardUnsent();
    }
    recompute();
  };
  provider.on("closed", ({ code, reason }: { code: number; reason: string }) => {
    if (closeRefused.has(code)) {
      // Not the end: this copy holds an edit nobody else has; the page opens a fresh one, and
      // the browser's copy of the refused edit goes before it does.
      discardUnsent();
      refused = true;
      refusal = reason || "the change was not saved";
    } else {
      if (code === closeCodes.accessRemoved) discardUnsent();
      ended = reason || "the server closed the connection";
    }
    recompute();
  });
  provider.on("status", () => {
    // A new connection's greeting says again whether saving is paused.
    if (!provider.wsconnected) savingPaused = false;
    recompute();
  });
  provider.on("connection-close", recompute);
  provider.on("sync", recompute);
  doc.on("update", (_update: Uint8Array, origin: unknown) => {
    if (origin !== provider) unsent?.edited();
    recompute();
  });
  // Connection attempts fail silently while offline; poll the cheap state so the badge is right.
  const timer = window.setInterval(recompute, 1000);
  // A dropped network can leave the socket looking open for many seconds; the browser knows sooner.
  const goOffline = () => provider.disconnect();
  const goOnline = () => provider.connect();
  window.addEventListener("offline", goOffline);
  window.addEventListener("online", goOnline);

  return {
    doc,
    provider,
    status: () => status,
    onStatus(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    destroy() {
      window.clearInterval(timer);
      window.removeEventListener("offline", goOffline);
      window.removeEventListener("online", goOnline);
      listeners.clear();
      unsent?.close({ unsent: !readOnly && hasUnconfirmed() });
      stopKeepingOwnPresence();
      provider.destroy();
      doc.destroy();
    },
  };
}
