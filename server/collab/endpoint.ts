import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type * as Y from "yjs";
import * as decoding from "lib0/decoding";
import * as syncProtocol from "y-protocols/sync";
import { WebSocketServer, type WebSocket, type RawData } from "ws";
import { Room, ProtocolError, type DocumentStore, type Peer } from "./room";
import type { RoomLocks } from "./clause-locks";
import type { Relay } from "./relay";
import type { PresenceIdentity } from "./presence";
import type { DocumentModel } from "./schema-guard";
import type { AccessEvent } from "../auth/access-events";
import { closeCodes, encodeAwareness, encodeSyncStep2, messageAwareness, messageQueryAwareness, messageSync } from "../../app/statement/protocol";

/** Who is connecting and what they may do, decided before the WebSocket handshake. */
export type Authorization =
  | { ok: false; status: 401 | 403 | 404 }
  | { ok: true; userId: string; sessionId: string; conferenceId: string; canWrite: boolean; identity: PresenceIdentity };

export interface CollabOptions {
  store: DocumentStore;
  /** What of a document's text nobody may change now; read when a room loads and on refreshLocks. */
  loadLocks?: (documentId: string) => Promise<RoomLocks>;
  /** What a document may hold (its schema and bounds); every update is checked against it. */
  loadModel: (documentId: string) => Promise<DocumentModel>;
  /** Authenticates an upgrade request for a document; a refusal is answered with its HTTP status, no socket. */
  authorize(req: IncomingMessage, documentId: string): Promise<Authorization>;
  /** A person's current right to write in a document: null when they may no longer have it open. */
  recheck(userId: string, documentId: string): Promise<{ canWrite: boolean } | null>;
  maxMessageBytes: number;
  compactAfter: number;
  /** A peer whose unsent output exceeds this is disconnected (it resyncs when it reconnects). */
  maxBufferedBytes?: number;
  /** Open connections one person may have, all documents together; more are refused with HTTP 429. */
  maxConnectionsPerUser?: number;
  log?: (msg: string, err?: unknown) => void;
  /** Other instances serving the same documents (REDIS_URL); none when this process is alone. */
  relay?: Relay;
}

export interface CollabEndpoint {
  /** Handles an HTTP upgrade if it is for /collab/…; returns false for other paths. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Applies a change of someone's access to their open connections (close or switch to read-only). */
  handleAccessEvent(event: AccessEvent): Promise<void>;
  /** Rooms currently in memory (for tests and metrics). */
  rooms: ReadonlyMap<string, Room>;
  /**
   * Changes a document on the server's own account (see Room.change), whether or not anyone has
   * it open; resolves once the change is durable and has been sent to everyone present.
   */
  changeDocument(documentId: string, edit: (doc: Y.Doc) => void): Promise<void>;
  /** Reloads a document's locks if it is open here (a clause state or the silence procedure changed). */
  refreshLocks(documentId: string): Promise<void>;
  /** What the endpoint holds right now (for tests and metrics). */
  stats(): { rooms: number; connections: number; awarenessStates: number; bufferedBytes: number };
  close(): Promise<void>;
}

const pathPattern = /^\/collab\/([^/?#]+)$/;

const statusText: Record<number, string> = {
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  429: "Too Many Requests",
  503: "Service Unavailable",
};

/** A peer with the identity it was admitted with. */
interface Connection extends Peer {
  room: Room;
  userId: string;
  sessionId: string;
  conferenceId: string;
  documentId: string;
}

function refuse(socket: Duplex, status: number, reason = statusText[status] ?? "Error") {
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(
      reason
    )}\r\n\r\n${reason}`
  );
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

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

export function createCollabEndpoint(options: CollabOptions): CollabEndpoint {
  const log = options.log ?? ((msg: string, err?: unknown) => console.error(`[collab] ${msg}`, err ?? ""));
  const maxBuffered = options.maxBufferedBytes ?? 8 * 1024 * 1024;
  const maxPerUser = options.maxConnectionsPerUser ?? 20;
  /** Open connections (and upgrades under way) per person. */
  const perUser = new Map<string, number>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes, perMessageDeflate: false });
  const rooms = new Map<string, Room>();
  const connections = new Set<Connection>();
  let closing = false;

  function roomFor(documentId: string): Room {
    let room = rooms.get(documentId);
    if (!room) {
      room = new Room(documentId, options.store, {
        compactAfter: options.compactAfter,
        log,
        relay: options.relay,
        loadLocks: options.loadLocks,
        loadModel: options.loadModel,
        maxHeldBytes: options.maxMessageBytes,
      });
      rooms.set(documentId, room);
      const created = room;
      created.ready.catch((err) => {
        log(`loading ${documentId} failed`, err);
        if (rooms.get(documentId) === created) rooms.delete(documentId);
        for (const peer of created.peers) peer.close(1011, "document could not be loaded");
        created.destroy();
      });
    }
    return room;
  }

  async function releaseIfEmpty(room: Room) {
    await room.drain();
    if (room.peers.size > 0 || rooms.get(room.documentId) !== room) return;
    rooms.delete(room.documentId);
    room.compactInBackground();
    await room.drain();
    room.destroy();
  }

  function handleMessage(room: Room, peer: Peer, message: Uint8Array) {
    const decoder = decoding.createDecoder(message);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case messageSync: {
        const step = decoding.readVarUint(decoder);
        const payload = decoding.readVarUint8Array(decoder);
        if (step === syncProtocol.messageYjsSyncStep1) {
          let diff: Uint8Array;
          try {
            diff = room.diffFor(payload);
          } catch {
            throw new ProtocolError("malformed state vector");
          }
          peer.send(encodeSyncStep2(diff));
        } else if (step === syncProtocol.messageYjsSyncStep2 || step === syncProtocol.messageYjsUpdate) {
          room.receiveUpdate(payload, peer);
        } else {
          throw new ProtocolError(`unknown sync message ${step}`);
        }
        return;
      }
      case messageAwareness:
        room.receiveAwareness(decoding.readVarUint8Array(decoder), peer);
        return;
      case messageQueryAwareness:
        peer.send(encodeAwareness(room.awarenessState()));
        return;
      default:
        throw new ProtocolError(`unknown message type ${type}`);
    }
  }

  function connect(ws: WebSocket, documentId: string, who: Extract<Authorization, { ok: true }>) {
    const room = roomFor(documentId);
    let alive = true;
    const peer: Connection = {
      room,
      userId: who.userId,
      sessionId: who.sessionId,
      conferenceId: who.conferenceId,
      documentId,
      canWrite: who.canWrite,
      owner: who.userId,
      identity: who.identity,
      awarenessClients: new Set(),
      send(message) {
        if (ws.readyState !== ws.OPEN) return;
        if (ws.bufferedAmount > maxBuffered) {
          peer.close(closeCodes.slowConsumer, "too far behind; reconnect to resync");
          return;
        }
        ws.send(message);
      },
      close(code, reason) {
        if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close(code, reason.slice(0, 120));
        // A peer that does not complete the closing handshake is dropped anyway.
        setTimeout(() => ws.terminate(), 2000).unref();
      },
    };
    const onMessage = (data: RawData, isBinary: boolean) => {
      if (!room.peers.has(peer)) return;
      try {
        if (!isBinary) throw new ProtocolError("text frames are not part of the protocol");
        handleMessage(room, peer, toBytes(data));
      } catch (err) {
        const reason = err instanceof ProtocolError ? err.message : "malformed message";
        peer.close(closeCodes.malformed, reason);
        room.leave(peer);
      }
    };
    ws.on("message", (data, isBinary) => {
      // Until the document is fully loaded, messages wait in arrival order.
      room.ready.then(
        () => onMessage(data, isBinary),
        () => {}
      );
    });
    ws.on("pong", () => (alive = true));
    const ping = setInterval(() => {
      if (!alive) return ws.terminate();
      alive = false;
      ws.ping();
    }, 30_000);
    ws.on("error", (err) => log(`socket error on ${documentId}: ${err.message}`));
    connections.add(peer);
    ws.on("close", () => {
      clearInterval(ping);
      connections.delete(peer);
      room.leave(peer);
      void releaseIfEmpty(room);
    });
    room.ready.then(
      () => {
        if (ws.readyState !== ws.OPEN) return;
        room.peers.add(peer);
        room.greet(peer);
      },
      () => {}
    );
  }

  return {
    rooms,
    async changeDocument(documentId, edit) {
      if (closing) throw new Error("the collaboration server is shutting down");
      const room = roomFor(documentId);
      try {
        await room.change(edit);
      } finally {
        void releaseIfEmpty(room);
      }
    },
    async refreshLocks(documentId) {
      await rooms.get(documentId)?.refreshLocks();
    },
    stats() {
      let awarenessStates = 0;
      for (const room of rooms.values()) awarenessStates += room.awareness.getStates().size;
      let bufferedBytes = 0;
      for (const ws of wss.clients) bufferedBytes += ws.bufferedAmount;
      return { rooms: rooms.size, connections: wss.clients.size, awarenessStates, bufferedBytes };
    },
    handleUpgrade(req, socket, head) {
      const url = new URL(req.url ?? "/", "http://localhost");
      const match = pathPattern.exec(url.pathname);
      if (!match) return false;
      if (closing) {
        refuse(socket, 503);
        return true;
      }
      // A page of another site must not open a connection with this site's cookie.
      if (!fromThisSite(req)) {
        refuse(socket, 403);
        return true;
      }
      let documentId: string;
      try {
        documentId = decodeURIComponent(match[1]);
      } catch {
        refuse(socket, 404);
        return true;
      }
      options.authorize(req, documentId).then(
        (who) => {
          if (!who.ok) return refuse(socket, who.status);
          // The client gave up while it was being authorized.
          if (socket.destroyed) return;
          const open = perUser.get(who.userId) ?? 0;
          if (open >= maxPerUser) return refuse(socket, 429);
          // Counted from here, and until the socket closes, however the upgrade ends.
          perUser.set(who.userId, open + 1);
          socket.once("close", () => {
            const left = (perUser.get(who.userId) ?? 1) - 1;
            if (left > 0) perUser.set(who.userId, left);
            else perUser.delete(who.userId);
          });
          wss.handleUpgrade(req, socket, head, (ws) => connect(ws, documentId, who));
        },
        (err) => {
          log(`upgrade for ${documentId} failed`, err);
          refuse(socket, 503);
        }
      );
      return true;
    },
    async handleAccessEvent(event) {
      if (event.type === "session-ended" || event.type === "user-sessions-ended") {
        for (const c of connections) {
          if (event.type === "session-ended" ? c.sessionId === event.sessionId : c.userId === event.userId) {
            c.close(closeCodes.signedOut, "signed out");
          }
        }
        return;
      }
      const affected = [...connections].filter((c) =>
        event.type === "document" ? c.documentId === event.documentId : c.userId === event.userId && c.conferenceId === event.conferenceId
      );
      // One check per person and document, whatever number of tabs they have open.
      const checks = new Map<string, Promise<{ canWrite: boolean } | null>>();
      for (const c of affected) {
        const key = `${c.userId} ${c.documentId}`;
        if (!checks.has(key)) checks.set(key, options.recheck(c.userId, c.documentId));
        const now = await checks.get(key)!;
        if (!now) {
          c.close(closeCodes.accessRemoved, `your access to this ${event.type === "document" ? "document" : "conference"} was removed`);
        } else if (now.canWrite !== c.canWrite) {
          c.canWrite = now.canWrite;
          c.room.accessChanged(c);
        }
      }
    },
    async close() {
      closing = true;
      for (const ws of wss.clients) ws.close(closeCodes.goingAway, "server shutting down");
      await Promise.all([...rooms.values()].map((room) => room.drain()));
      for (const room of rooms.values()) room.destroy();
      rooms.clear();
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}
