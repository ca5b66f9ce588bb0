import * as Y from "yjs";
import * as decoding from "lib0/decoding";
import { WebsocketProvider } from "y-websocket";
import { keepOwnPresence } from "./own-presence";

/** Must match server/collab/protocol.ts. */
const messageConcord = 64;
const concordSaved = 0;
const concordAccess = 1;
const concordSaving = 2;
/** The server's close code for an edit to a locked (agreed) clause: the edit was not saved. */
const closeClauseLocked = 4409;

export type ConnectionState = "connecting" | "connected" | "offline";

export interface CollabStatus {
  connection: ConnectionState;
  /** Local edits exist that the server has not confirmed as stored. */
  unsaved: boolean;
  /** The server accepts no edits from this person (their role, or a change of it). */
  readOnly: boolean;
  /** Edits were refused (made before the server made this person read-only, or changing an agreed clause); reopen to resync. */
  refused: boolean;
  /** The server's reason when it refused an edit to a locked clause, to show the person. */
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
 * write with its state vector; comparing this client's own clock with it tells whether every
 * local edit is stored (the editor's "saving" indicator).
 */
export function connectStatement(documentId: string, { readOnly = false }: { readOnly?: boolean } = {}): StatementConnection {
  const doc = new Y.Doc();
  const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
  // Tabs of one browser must not sync among themselves: everything goes through the server,
  // which stores it before anyone sees it.
  const provider = new WebsocketProvider(`${scheme}//${window.location.host}/collab`, documentId, doc, { disableBc: true });
  const stopKeepingOwnPresence = keepOwnPresence(provider.awareness);
  let confirmedClock = 0;
  let refused = false;
  let refusal: string | null = null;
  let ended: string | null = null;
  let savingPaused = false;
  let status: CollabStatus = { connection: "connecting", unsaved: false, readOnly, refused, refusal, ended, savingPaused };
  const listeners = new Set<(s: CollabStatus) => void>();

  const recompute = () => {
    const own = Y.getState(doc.store, doc.clientID);
    const next: CollabStatus = {
      connection: provider.wsconnected ? "connected" : provider.wsconnecting ? "connecting" : "offline",
      unsaved: !readOnly && own > confirmedClock,
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
  };

  provider.messageHandlers[messageConcord] = (_encoder, decoder) => {
    const kind = decoding.readVarUint(decoder);
    if (kind === concordSaved) {
      const sv = Y.decodeStateVector(decoding.readVarUint8Array(decoder));
      confirmedClock = Math.max(confirmedClock, sv.get(doc.clientID) ?? 0);
    } else if (kind === concordSaving) {
      savingPaused = decoding.readVarUint(decoder) === 1;
    } else if (kind === concordAccess) {
      readOnly = decoding.readVarUint(decoder) === 1;
      if (readOnly && Y.getState(doc.store, doc.clientID) > confirmedClock) refused = true;
    }
    recompute();
  };
  provider.on("closed", ({ code, reason }: { code: number; reason: string }) => {
    if (code === closeClauseLocked) {
      // Not the end: this copy holds an edit nobody else has; the page opens a fresh one.
      refused = true;
      refusal = reason || "this clause is agreed";
    } else {
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
  doc.on("update", recompute);
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
      stopKeepingOwnPresence();
      provider.destroy();
      doc.destroy();
    },
  };
}
