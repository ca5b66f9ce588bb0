import type { Duplex } from "node:stream";
import type { WebSocket, RawData } from "ws";
import { closeCodes } from "../../app/statement/protocol";
import { ProtocolError, type Peer, type Room } from "./room";
import { MessageReceiver } from "./message-receiver";
import { framesOf } from "./frames";
import type { PresenceIdentity } from "./presence";

/** Who a connection was admitted as (see Authorization). */
export interface Admitted {
  userId: string;
  sessionId: string;
  conferenceId: string;
  canWrite: boolean;
  identity: PresenceIdentity;
}

export interface ConnectionOptions {
  /** A peer whose unsent output exceeds this is disconnected (it resyncs when it reconnects). */
  maxBufferedBytes: number;
  log: (msg: string, err?: unknown) => void;
  /** The socket closed, however that came about; the connection has left its room. */
  closed(connection: Connection): void;
}

/** How often a connection must answer a ping to be kept. */
const pingIntervalMs = 30_000;

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * One open WebSocket, from the moment it is admitted to its close: it joins its room once the
 * document is loaded, hands the room what it receives, and keeps the socket honest (answers to
 * pings, output it keeps up with, a closing handshake it completes).
 */
export class Connection implements Peer {
  canWrite: boolean;
  readonly owner: string;
  readonly identity: PresenceIdentity;
  readonly userId: string;
  readonly sessionId: string;
  readonly conferenceId: string;
  private readonly receiver: MessageReceiver;
  private alive = true;
  /** Until the document is fully loaded, messages wait here in arrival order; null once it is. */
  private early: { data: RawData; isBinary: boolean }[] | null = [];

  constructor(
    private readonly ws: WebSocket,
    /** The connection the WebSocket runs on: what is sent is written to it framed (see framesOf). */
    private readonly socket: Duplex,
    readonly room: Room,
    readonly documentId: string,
    who: Admitted,
    private readonly options: ConnectionOptions,
  ) {
    this.userId = who.userId;
    this.owner = who.userId;
    this.sessionId = who.sessionId;
    this.conferenceId = who.conferenceId;
    this.canWrite = who.canWrite;
    this.identity = who.identity;
    this.receiver = new MessageReceiver(room, this);
    ws.on("message", (data, isBinary) => {
      if (this.early) this.early.push({ data, isBinary });
      else this.receive(data, isBinary);
    });
    ws.on("pong", () => (this.alive = true));
    const ping = setInterval(() => {
      if (!this.alive) return ws.terminate();
      this.alive = false;
      ws.ping();
    }, pingIntervalMs);
    ws.on("error", (err) => options.log(`socket error on ${documentId}: ${err.message}`));
    ws.on("close", () => {
      clearInterval(ping);
      room.leave(this);
      options.closed(this);
    });
    room.ready.then(
      () => {
        if (ws.readyState === ws.OPEN) room.join(this);
        const early = this.early ?? [];
        this.early = null;
        for (const { data, isBinary } of early) this.receive(data, isBinary);
      },
      // Not loaded: the connection is closed, and nothing it sent is looked at.
      () => (this.early = null),
    );
  }

  send(...messages: Uint8Array[]): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    if (this.ws.bufferedAmount > this.options.maxBufferedBytes) {
      this.close(closeCodes.slowConsumer, "too far behind; reconnect to resync");
      return;
    }
    // Written to the socket as `ws.send` would (the endpoint's sockets have no compression, so
    // ws queues nothing of its own), but framed once for every peer sent the same messages.
    this.socket.write(framesOf(messages));
  }

  close(code: number, reason: string): void {
    if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) this.ws.close(code, reason.slice(0, 120));
    // A peer that does not complete the closing handshake is dropped anyway.
    setTimeout(() => this.ws.terminate(), 2000).unref();
  }

  private receive(data: RawData, isBinary: boolean): void {
    // Refused, or closed: whatever else it sent is not looked at.
    if (!this.room.peers.has(this)) return;
    try {
      if (!isBinary) throw new ProtocolError("text frames are not part of the protocol");
      this.receiver.receive(toBytes(data));
    } catch (err) {
      const reason = err instanceof ProtocolError ? err.message : "malformed message";
      this.close(closeCodes.malformed, reason);
      this.room.leave(this);
    }
  }
}
