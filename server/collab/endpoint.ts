import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type * as Y from "yjs";
import { WebSocketServer } from "ws";
import { Room, type DocumentStore } from "./room";
import { Connection } from "./connection";
import { UpgradeHandler, type Authorization, type UpgradeRequest } from "./upgrade";
import type { RoomLocks } from "./clause-locks";
import type { Relay } from "./relay";
import type { DocumentModel } from "./schema-guard";
import type { AccessEvent } from "../auth/access-events";
import { closeCodes } from "../../app/statement/protocol";
import type { LogFunction } from "../log";

export interface CollabOptions {
  store: DocumentStore;
  /** What of a document's text nobody may change now; read when a room loads and on refreshLocks. */
  loadLocks?: (documentId: string) => Promise<RoomLocks>;
  /** What a document may hold (its schema and bounds); every update is checked against it. */
  loadModel: (documentId: string) => Promise<DocumentModel>;
  /** Authenticates an upgrade request for a document; a refusal is answered with its HTTP status, no socket. */
  authorize: (req: IncomingMessage, documentId: string) => Promise<Authorization>;
  /** A person's current right to write in a document: null when they may no longer have it open. */
  recheck(userId: string, documentId: string): Promise<{ canWrite: boolean } | null>;
  maxMessageBytes: number;
  compactAfter: number;
  /** A peer whose unsent output exceeds this is disconnected (it resyncs when it reconnects). */
  maxBufferedBytes?: number;
  /** Open connections one person may have, all documents together; more are refused with HTTP 429. */
  maxConnectionsPerUser?: number;
  /** What happens to rooms (loading, saving, compacting); a connection's go to its upgrade request's log. */
  log: LogFunction;
  /** Other instances serving the same documents (REDIS_URL); none when this process is alone. */
  relay?: Relay;
}

export interface CollabEndpoint {
  /** Handles an HTTP upgrade if it is for /collab/…; returns false for other paths. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, request: UpgradeRequest): boolean;
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

/**
 * The collaboration server: the way in (UpgradeHandler), one Connection per open socket, and the
 * rooms they join, each held in memory while anyone has it open or a change to it is under way.
 */
export function createCollabEndpoint(options: CollabOptions): CollabEndpoint {
  const { log } = options;
  // No compression: connections write their frames to the socket themselves (see Connection.send).
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

  const upgrades = new UpgradeHandler({
    wss,
    authorize: options.authorize,
    maxConnectionsPerUser: options.maxConnectionsPerUser ?? 20,
    admitted: (ws, socket, documentId, who, connectionLog) => {
      const room = roomFor(documentId);
      const connection = new Connection(ws, socket, room, documentId, who, {
        maxBufferedBytes: options.maxBufferedBytes ?? 8 * 1024 * 1024,
        log: connectionLog,
        closed(c) {
          connections.delete(c);
          void releaseIfEmpty(room);
        },
      });
      connections.add(connection);
    },
  });

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
    handleUpgrade: (req, socket, head, request) => upgrades.handle(req, socket, head, request),
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
        event.type === "document" ? c.documentId === event.documentId : c.userId === event.userId && c.conferenceId === event.conferenceId,
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
      upgrades.close();
      for (const ws of wss.clients) ws.close(closeCodes.goingAway, "server shutting down");
      await Promise.all([...rooms.values()].map((room) => room.drain()));
      for (const room of rooms.values()) room.destroy();
      rooms.clear();
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}
