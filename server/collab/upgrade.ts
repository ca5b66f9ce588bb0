import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { WebSocket, WebSocketServer } from "ws";
import type { Admitted } from "./connection";
import type { LogFunction } from "../log";

/** Who is connecting and what they may do, decided before the WebSocket handshake. */
export type Authorization = { ok: false; status: 401 | 403 | 404; reason?: string } | ({ ok: true } & Admitted);

export interface UpgradeOptions {
  wss: WebSocketServer;
  /** Authenticates an upgrade request for a document; a refusal is answered with its HTTP status, no socket. */
  authorize: (req: IncomingMessage, documentId: string) => Promise<Authorization>;
  /** Open connections one person may have, all documents together; more are refused with HTTP 429. */
  maxConnectionsPerUser: number;
  /** A socket was admitted to a document; `socket` is the connection the WebSocket runs on. */
  admitted: (ws: WebSocket, socket: Duplex, documentId: string, who: Admitted, log: LogFunction) => void;
}

/** One upgrade request as the server's log knows it. */
export interface UpgradeRequest {
  /** Its request id, echoed as X-Request-Id in the answer, a refusal or the handshake. */
  id: string;
  /** Its log: a failure to authorize it, then its connection's. */
  log: LogFunction;
  /** It was answered with this HTTP status (101: the WebSocket is open). */
  answered(status: number): void;
}

const pathPattern = /^\/collab\/([^/?#]+)$/;

const statusText: Record<number, string> = {
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  429: "Too Many Requests",
  503: "Service Unavailable",
};

function refuse(socket: Duplex, request: UpgradeRequest, status: number, reason = statusText[status] ?? "Error") {
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\nX-Request-Id: ${request.id}\r\nContent-Length: ${Buffer.byteLength(
      reason,
    )}\r\n\r\n${reason}`,
  );
  request.answered(status);
}

/** Browsers send Origin on WebSocket handshakes; scripts may send none. */
function fromThisSite(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

/**
 * The way into the collaboration server: an HTTP upgrade for /collab/<documentId> becomes a
 * WebSocket only for a person signed in, from this site, with access to the document, and within
 * their number of connections. Everything else is answered with an HTTP status and no socket.
 */
export class UpgradeHandler {
  /** Open connections (and upgrades under way) per person. */
  private readonly perUser = new Map<string, number>();
  private closing = false;
  /** Upgrades being answered, for the handshake's X-Request-Id. */
  private readonly requestIds = new WeakMap<IncomingMessage, string>();

  constructor(private readonly options: UpgradeOptions) {
    options.wss.on("headers", (headers, req) => {
      const id = this.requestIds.get(req);
      if (id) headers.push(`X-Request-Id: ${id}`);
    });
  }

  /** From now on every upgrade is refused (503). */
  close(): void {
    this.closing = true;
  }

  /** Handles an HTTP upgrade if it is for /collab/…; returns false for other paths. */
  handle(req: IncomingMessage, socket: Duplex, head: Buffer, request: UpgradeRequest): boolean {
    const url = new URL(req.url ?? "/", "http://localhost");
    const match = pathPattern.exec(url.pathname);
    if (!match) return false;
    if (this.closing) {
      refuse(socket, request, 503);
      return true;
    }
    // A page of another site must not open a connection with this site's cookie.
    if (!fromThisSite(req)) {
      refuse(socket, request, 403);
      return true;
    }
    let documentId: string;
    try {
      documentId = decodeURIComponent(match[1]);
    } catch {
      refuse(socket, request, 404);
      return true;
    }
    this.options.authorize(req, documentId).then(
      (who) => {
        if (!who.ok) return refuse(socket, request, who.status, who.reason);
        // The client gave up while it was being authorized.
        if (socket.destroyed) return;
        if (!this.count(who.userId, socket)) return refuse(socket, request, 429);
        this.requestIds.set(req, request.id);
        this.options.wss.handleUpgrade(req, socket, head, (ws) => {
          request.answered(101);
          this.options.admitted(ws, socket, documentId, who, request.log);
        });
      },
      (err) => {
        request.log(`upgrade for ${documentId} failed`, err);
        refuse(socket, request, 503);
      },
    );
    return true;
  }

  /** Counts a person's socket from here, and until it closes, however the upgrade ends; false past their limit. */
  private count(userId: string, socket: Duplex): boolean {
    const open = this.perUser.get(userId) ?? 0;
    if (open >= this.options.maxConnectionsPerUser) return false;
    this.perUser.set(userId, open + 1);
    socket.once("close", () => {
      const left = (this.perUser.get(userId) ?? 1) - 1;
      if (left > 0) this.perUser.set(userId, left);
      else this.perUser.delete(userId);
    });
    return true;
  }
}
