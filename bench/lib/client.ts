import * as Y from "yjs";
import * as decoding from "lib0/decoding";
import WebSocket from "ws";
import { WebsocketProvider } from "y-websocket";
import { HocuspocusProvider } from "@hocuspocus/provider";
import { HocuspocusProvider as HocuspocusProvider4 } from "hocuspocus-provider-4";
import { Awareness } from "y-protocols/awareness";
import { concordAccess, concordSaved, messageConcord } from "../../app/statement/protocol";
import { sendOwnPresenceOnly } from "../../app/editor/own-presence";

/** Where one client connects, and how. */
export type Endpoint =
  /**
   * The stock y-websocket provider: `${serverUrl}/${room}`, with a Cookie header when given; set up
   * as Concord's editor sets it up (sending its own presence only, see sendOwnPresenceOnly) when `concord`.
   */
  | { protocol: "y-websocket"; serverUrl: string; room: string; cookie?: string; concord?: boolean }
  /** The Hocuspocus provider (version 3 or 4), one WebSocket per client. */
  | { protocol: "hocuspocus" | "hocuspocus-4"; url: string; name: string };

export interface BenchClient {
  doc: Y.Doc;
  awareness: Awareness;
  /** Resolves on the first completed sync; rejects when the server closes the connection for good. */
  synced: Promise<void>;
  /** Connections the server or the network closed (the provider then reconnects). */
  reconnects(): number;
  /** Close codes the server sent, in order. */
  closes: number[];
  /** Concord only: the server's read-only flag for this connection (null before it came). */
  readOnly: boolean | null;
  /** Concord only: whether the server has acknowledged every edit of this client as durable. */
  isSaved(): boolean;
  destroy(): void;
}

/** The `ws` WebSocket with a fixed Cookie header, in the shape the provider constructs. */
function webSocketWithCookie(cookie: string | undefined) {
  return class extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers: cookie ? { cookie } : {} });
    }
  };
}

export function connectBenchClient(
  endpoint: Endpoint,
  { doc = new Y.Doc(), localState = null as Record<string, unknown> | null } = {},
): BenchClient {
  const awareness = new Awareness(doc);
  // Presence is set before connecting, so the first messages carry it, as a browser's do.
  awareness.setLocalState(localState);
  let savedClock = 0;
  let destroyed = false;
  const closes: number[] = [];
  let destroyAll: () => void;
  let synced: Promise<void>;
  const client = {
    doc,
    awareness,
    closes,
    readOnly: null as boolean | null,
    reconnects: () => closes.length,
    isSaved: () => (Y.decodeStateVector(Y.encodeStateVector(doc)).get(doc.clientID) ?? 0) <= savedClock,
  };

  if (endpoint.protocol === "y-websocket") {
    const provider = new WebsocketProvider(endpoint.serverUrl, endpoint.room, doc, {
      WebSocketPolyfill: webSocketWithCookie(endpoint.cookie) as unknown as typeof globalThis.WebSocket,
      disableBc: true,
      awareness,
    });
    if (endpoint.concord) sendOwnPresenceOnly(provider);
    // Concord's own messages ([64, kind, payload]); other servers never send them.
    provider.messageHandlers[messageConcord] = (_encoder, decoder) => {
      const kind = decoding.readVarUint(decoder);
      if (kind === concordSaved) savedClock = Y.decodeStateVector(decoding.readVarUint8Array(decoder)).get(doc.clientID) ?? 0;
      else if (kind === concordAccess) client.readOnly = decoding.readVarUint(decoder) === 1;
    };
    provider.on("connection-close", (event: { code: number } | null) => {
      if (event && !destroyed) closes.push(event.code);
    });
    synced = new Promise<void>((resolve, reject) => {
      provider.on("sync", (isSynced: boolean) => isSynced && resolve());
      provider.on("closed", ({ code, reason }: { code: number; reason: string }) =>
        reject(new Error(`server closed the connection: ${code} ${reason}`)),
      );
    });
    destroyAll = () => provider.destroy();
  } else {
    // The provider opens its own socket (one per client) and passes this configuration on to it;
    // both versions take the same options and emit the same events.
    const Provider = endpoint.protocol === "hocuspocus-4" ? HocuspocusProvider4 : HocuspocusProvider;
    const provider = new Provider({
      url: endpoint.url,
      name: endpoint.name,
      document: doc,
      awareness,
      WebSocketPolyfill: WebSocket,
    } as ConstructorParameters<typeof HocuspocusProvider>[0] & ConstructorParameters<typeof HocuspocusProvider4>[0]);
    provider.on("close", ({ event }: { event: { code: number } }) => {
      if (!destroyed) closes.push(event.code);
    });
    synced = new Promise<void>((resolve, reject) => {
      provider.on("synced", ({ state }: { state: boolean }) => state && resolve());
      provider.on("authenticationFailed", ({ reason }: { reason: string }) => reject(new Error(`authentication failed: ${reason}`)));
    });
    destroyAll = () => provider.destroy();
  }
  synced.catch(() => {});
  return {
    ...client,
    get readOnly() {
      return client.readOnly;
    },
    synced,
    destroy() {
      if (destroyed) return;
      destroyed = true;
      destroyAll();
      awareness.destroy();
      doc.destroy();
    },
  };
}

/** performance.now() on the machine-wide clock: comparable between processes on one machine. */
export const now = () => performance.timeOrigin + performance.now();

export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export async function waitUntil(predicate: () => boolean, timeoutMs: number, intervalMs = 20): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  return true;
}
