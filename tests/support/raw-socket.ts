import * as Y from "yjs";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import WebSocket from "ws";
import { onCleanup } from "./cleanup";

export interface RawSocket {
  ws: WebSocket;
  /** Binary messages the server sent. */
  received: Uint8Array[];
  opened: Promise<void>;
  closed: Promise<{ code: number; reason: string }>;
}

/** A bare WebSocket on a room, for sending what the stock client never would. */
export function openRawSocket(wsUrl: string, documentId: string, { cookie }: { cookie?: string } = {}): RawSocket {
  const ws = new WebSocket(`${wsUrl}/${documentId}`, { headers: cookie ? { cookie } : {} });
  const received: Uint8Array[] = [];
  ws.on("message", (data: Buffer) => received.push(new Uint8Array(data)));
  ws.on("error", () => {});
  const opened = new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("unexpected-response", (_req, res) => reject(new Error(`upgrade refused with HTTP ${res.statusCode}`)));
  });
  opened.catch(() => {});
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once("close", (code, reason) => resolve({ code, reason: reason.toString("utf8") })),
  );
  onCleanup(() => ws.terminate());
  return { ws, received, opened, closed };
}

/** The HTTP status with which the server answers a WebSocket upgrade it refuses (or 101 if it accepts). */
export function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const { origin, ...rest } = headers;
    const ws = new WebSocket(url, { headers: rest, ...(origin ? { origin } : {}) });
    ws.on("error", () => {});
    ws.once("unexpected-response", (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
      ws.terminate();
    });
    ws.once("open", () => {
      resolve(101);
      ws.terminate();
    });
    ws.once("close", () => reject(new Error(`no HTTP answer to the upgrade of ${url}`)));
  });
}

/** A y-websocket message: the type, then the fields as lib0 var-uints / var-length byte arrays. */
export function encodeMessage(...fields: (number | Uint8Array)[]): Uint8Array {
  const e = encoding.createEncoder();
  for (const f of fields) {
    if (typeof f === "number") encoding.writeVarUint(e, f);
    else encoding.writeVarUint8Array(e, f);
  }
  return encoding.toUint8Array(e);
}

/** An awareness update of arbitrary entries (client ids, clocks and JSON states the stock client would never send). */
export function awarenessUpdate(entries: { id: number; clock: number; state: string }[]): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, entries.length);
  for (const { id, clock, state } of entries) {
    encoding.writeVarUint(e, id);
    encoding.writeVarUint(e, clock);
    encoding.writeVarString(e, state);
  }
  return encoding.toUint8Array(e);
}

/** Index of the first sync step 2 (the server's answer to a sync step 1) received from `from` on. */
function step2After(raw: RawSocket, from: number): number {
  for (let i = from; i < raw.received.length; i++) if (raw.received[i][0] === 0 && raw.received[i][1] === 1) return i;
  return -1;
}

async function askForDocument(raw: RawSocket, timeoutMs: number): Promise<Uint8Array> {
  const from = raw.received.length;
  // A sync step 1 with an empty state vector; the answer is the whole document. The server never
  // sends a step 2 unasked, and answers in order, so it has handled everything sent before.
  raw.ws.send(encodeMessage(0, 0, Uint8Array.of(0)));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const at = step2After(raw, from);
    if (at >= 0) {
      const d = decoding.createDecoder(raw.received[at]);
      decoding.readVarUint(d);
      decoding.readVarUint(d);
      return decoding.readVarUint8Array(d);
    }
    if (raw.ws.readyState !== raw.ws.OPEN) throw new Error("the raw connection closed before the server answered");
    if (Date.now() > deadline) throw new Error("the server did not answer the sync step 1 of a raw connection");
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** The document as the server sends it to this raw connection, in a Y.Doc of its own (to make well-formed updates from). */
export async function replicate(raw: RawSocket, timeoutMs = 10_000): Promise<Y.Doc> {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, await askForDocument(raw, timeoutMs));
  return doc;
}

/** Resolves once the server has handled everything sent on this connection so far; rejects if it closes first. */
export async function rawRoundTrip(raw: RawSocket, timeoutMs = 10_000): Promise<void> {
  await askForDocument(raw, timeoutMs);
}
