import * as decoding from "lib0/decoding";
import * as syncProtocol from "y-protocols/sync";
import { encodeAwareness, encodeSyncStep2, messageAwareness, messageQueryAwareness, messageSync } from "../../app/statement/protocol";
import { ProtocolError, type Peer } from "./room";

/** A client's message, read from its frame. */
export type ClientMessage =
  | { type: "sync-step-1"; stateVector: Uint8Array }
  /** Sync step 2 and an update are the same to the server: a document update. */
  | { type: "update"; update: Uint8Array }
  | { type: "awareness"; update: Uint8Array }
  | { type: "query-awareness" };

/** What a message is applied to: a room (see Room for what each does). */
export interface MessageTarget {
  diffFor(stateVector: Uint8Array): Uint8Array;
  receiveUpdate(update: Uint8Array, from: Peer): void;
  receiveAwareness(update: Uint8Array, from: Peer): void;
  awarenessState(): Uint8Array;
}

/** Reads a y-websocket frame; throws ProtocolError for what is not one. */
export function decodeMessage(frame: Uint8Array): ClientMessage {
  const decoder = decoding.createDecoder(frame);
  let type: number;
  try {
    type = decoding.readVarUint(decoder);
    switch (type) {
      case messageSync: {
        const step = decoding.readVarUint(decoder);
        const payload = decoding.readVarUint8Array(decoder);
        if (step === syncProtocol.messageYjsSyncStep1) return { type: "sync-step-1", stateVector: payload };
        if (step === syncProtocol.messageYjsSyncStep2 || step === syncProtocol.messageYjsUpdate) return { type: "update", update: payload };
        throw new ProtocolError(`unknown sync message ${step}`);
      }
      case messageAwareness:
        return { type: "awareness", update: decoding.readVarUint8Array(decoder) };
      case messageQueryAwareness:
        return { type: "query-awareness" };
    }
  } catch (err) {
    throw err instanceof ProtocolError ? err : new ProtocolError("malformed message");
  }
  throw new ProtocolError(`unknown message type ${type}`);
}

/**
 * One connection's side of the protocol: each frame it sends is read once and handed to its room,
 * and what the protocol answers directly (a sync step 2, the awareness asked for) goes back to it.
 */
export class MessageReceiver {
  constructor(
    private readonly room: MessageTarget,
    private readonly peer: Peer,
  ) {}

  /** Throws ProtocolError for what no honest client sends. */
  receive(frame: Uint8Array): void {
    const message = decodeMessage(frame);
    switch (message.type) {
      case "sync-step-1":
        this.peer.send(encodeSyncStep2(this.room.diffFor(message.stateVector)));
        return;
      case "update":
        this.room.receiveUpdate(message.update, this.peer);
        return;
      case "awareness":
        this.room.receiveAwareness(message.update, this.peer);
        return;
      case "query-awareness":
        this.peer.send(encodeAwareness(this.room.awarenessState()));
        return;
    }
  }
}
