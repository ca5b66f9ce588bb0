import * as Y from "yjs";
import * as decoding from "lib0/decoding";
import WebSocket from "ws";
import { WebsocketProvider } from "y-websocket";
import * as syncProtocol from "y-protocols/sync";
import { concordAccess, concordSaved, concordSaving, messageConcord, messageSync } from "../../app/statement/protocol";
import { onCleanup } from "./cleanup";
import { encodeMessage } from "./raw-socket";
import { statementFragment, typeInClause } from "./statement";
import { waitFor, withTimeout } from "./wait";

export { waitFor, withTimeout };

/** Whether state vector `sv` includes everything `target` does. */
export function covers(sv: Uint8Array | Map<number, number>, target: Uint8Array | Map<number, number>): boolean {
  const have = sv instanceof Map ? sv : Y.decodeStateVector(sv);
  const want = target instanceof Map ? target : Y.decodeStateVector(target);
  for (const [client, clock] of want) if ((have.get(client) ?? 0) < clock) return false;
  return true;
}

export interface TestClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** State vectors of the server's "saved" acknowledgments ([64, 0, sv]), in arrival order. */
  saved: Uint8Array[];
  /** The read-only flag of the server's last access message ([64, 1, flag]); null before one came. */
  readOnly: boolean | null;
  /** The flag of the server's last "saving paused" message ([64, 2, flag]) on this connection. */
  savingPaused: boolean;
  /** Resolves on the first completed sync; rejects if the server closes the connection for good. */
  synced: Promise<void>;
  /** Whether the server has acknowledged as durable every edit this client made. */
  isSaved(): boolean;
  destroy(): void;
}

/** A stock y-websocket client, as the browser uses it, connected from Node. */
/** The `ws` WebSocket with a fixed Cookie header, in the shape the provider constructs. */
function webSocketWithCookie(cookie: string | undefined) {
  return class extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers: cookie ? { cookie } : {} });
    }
  };
}

export function connectClient(
  wsUrl: string,
  documentId: string,
  { doc = new Y.Doc(), cookie }: { doc?: Y.Doc; cookie?: string } = {},
): TestClient {
  const provider = new WebsocketProvider(wsUrl, documentId, doc, {
    WebSocketPolyfill: webSocketWithCookie(cookie) as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  const saved: Uint8Array[] = [];
  provider.messageHandlers[messageConcord] = (_encoder, decoder) => {
    const kind = decoding.readVarUint(decoder);
    if (kind === concordSaved) saved.push(decoding.readVarUint8Array(decoder));
    else if (kind === concordAccess) client.readOnly = decoding.readVarUint(decoder) === 1;
    else if (kind === concordSaving) client.savingPaused = decoding.readVarUint(decoder) === 1;
  };
  // A new connection's greeting says again whether saving is paused.
  provider.on("status", ({ status }: { status: string }) => status === "connecting" && (client.savingPaused = false));
  const synced = new Promise<void>((resolve, reject) => {
    provider.on("sync", (isSynced: boolean) => isSynced && resolve());
    provider.on("closed", ({ code, reason }: { code: number; reason: string }) =>
      reject(new Error(`server closed the connection: ${code} ${reason}`)),
    );
  });
  synced.catch(() => {});
  let destroyed = false;
  const destroy = () => {
    if (destroyed) return;
    destroyed = true;
    provider.destroy();
    provider.awareness.destroy();
    doc.destroy();
  };
  onCleanup(destroy);
  const client: TestClient = {
    doc,
    provider,
    saved,
    readOnly: null,
    savingPaused: false,
    synced,
    isSaved: () => {
      // What it received from others came from the server, which relays only what is durable.
      const own = Y.decodeStateVector(Y.encodeStateVector(doc)).get(doc.clientID) ?? 0;
      const acknowledged = saved.length > 0 ? (Y.decodeStateVector(saved[saved.length - 1]).get(doc.clientID) ?? 0) : 0;
      return acknowledged >= own;
    },
    destroy,
  };
  return client;
}

export async function connectSyncedClient(
  wsUrl: string,
  documentId: string,
  options?: { doc?: Y.Doc; cookie?: string },
): Promise<TestClient> {
  const client = connectClient(wsUrl, documentId, options);
  await withTimeout(client.synced, 15_000, `first sync of ${documentId}`);
  return client;
}

/** Same state vector and same content everywhere, and everyone's edits acknowledged as saved. */
export function converged(clients: TestClient[]): boolean {
  const [first, ...rest] = clients;
  const sv = Y.encodeStateVector(first.doc);
  const json = JSON.stringify(statementFragment(first.doc).toJSON());
  return (
    clients.every((c) => c.isSaved()) &&
    rest.every(
      (c) => Buffer.from(Y.encodeStateVector(c.doc)).equals(Buffer.from(sv)) && JSON.stringify(statementFragment(c.doc).toJSON()) === json,
    )
  );
}

export async function waitForConvergence(clients: TestClient[], timeoutMs = 20_000): Promise<void> {
  try {
    await waitFor(() => converged(clients), { timeoutMs, what: `${clients.length} clients to converge` });
  } catch (err) {
    const state = clients.map(
      (c, i) => `  #${i} client ${c.doc.clientID}: saved=${c.isSaved()} sv=${describeStateVector(Y.encodeStateVector(c.doc))}`,
    );
    throw new Error(`${(err as Error).message}\n${state.join("\n")}`, { cause: err });
  }
}

export const describeStateVector = (sv: Uint8Array | Map<number, number>) =>
  JSON.stringify(Object.fromEntries(sv instanceof Map ? sv : Y.decodeStateVector(sv)));

export interface Typist {
  /** Every word typed so far, in order. */
  words: string[];
  /** Resolves once the typist stops (its limit reached, or stop() called). */
  done: Promise<string[]>;
  stop(): string[];
}

/**
 * Types a new, uniquely tagged word (" [tag17]") at the end of a clause every `everyMs`, each in
 * its own transaction, so each becomes its own update message, like a person typing.
 */
export function startTyping(
  doc: Y.Doc,
  { clause, tag, everyMs = 5, limit = Infinity }: { clause: number; tag: string; everyMs?: number; limit?: number },
): Typist {
  const words: string[] = [];
  let finish: (words: string[]) => void;
  const done = new Promise<string[]>((resolve) => (finish = resolve));
  const timer = setInterval(() => {
    if (words.length >= limit) return stop();
    const word = `[${tag}${words.length}]`;
    typeInClause(doc, clause, ` ${word}`);
    words.push(word);
  }, everyMs);
  const stop = () => {
    clearInterval(timer);
    finish(words);
    return words;
  };
  onCleanup(stop);
  return { words, done, stop };
}

/**
 * Resolves once the server has answered a message sent now. The server handles a connection's
 * messages in order and TCP delivers its replies in order, so anything the server sent this
 * client before handling the probe has arrived by then. The probe is a sync step 1 (the
 * provider applies the step 2 answer, which adds nothing it lacks); no other step 2 reaches a
 * synced client, so the answer cannot be mistaken.
 */
export async function roundTrip(client: TestClient): Promise<void> {
  const handlers = client.provider.messageHandlers;
  const original = handlers[messageSync];
  let answered = false;
  handlers[messageSync] = (encoder, decoder, ...rest) => {
    if (decoding.readVarUint(decoding.clone(decoder)) === syncProtocol.messageYjsSyncStep2) answered = true;
    original(encoder, decoder, ...rest);
  };
  try {
    client.provider.ws!.send(encodeMessage(messageSync, syncProtocol.messageYjsSyncStep1, Y.encodeStateVector(client.doc)));
    await waitFor(() => answered, { what: "the server to answer a sync step 1" });
  } finally {
    handlers[messageSync] = original;
  }
}
