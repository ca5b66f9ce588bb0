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
