import * as encoding from "lib0/encoding";
import * as syncProtocol from "y-protocols/sync";

/** Message types of the y-websocket protocol. */
export const messageSync = 0;
export const messageAwareness = 1;
export const messageAuth = 2;
export const messageQueryAwareness = 3;

/**
 * Concord's own message, which the stock client ignores unless a handler is registered on
 * `provider.messageHandlers`: [messageConcord, kind, payload].
 */
export const messageConcord = 64;
export const concordSaved = 0; // payload: the server's state vector after a durable write
export const concordAccess = 1; // payload: 1 when the server accepts no edits from this connection, else 0
export const concordSaving = 2; // payload: 1 while the database cannot be written (edits are held, not relayed), 0 again after

/** WebSocket close codes. 4400–4499 tell the stock client not to reconnect. */
export const closeCodes = {
  malformed: 4400,
  signedOut: 4401,
  accessRemoved: 4403,
  notFound: 4404,
  /** An edit changed a locked (agreed) clause and was not saved; the client reopens a fresh copy. */
  clauseLocked: 4409,
  /** An edit would have broken the document's schema or bounds and was not saved; the client reopens a fresh copy. */
  schemaViolation: 4422,
  tooLarge: 1009,
  goingAway: 1001,
  slowConsumer: 4503,
} as const;

/** A message of varuints and length-prefixed byte arrays, in order. */
function message(...parts: (number | Uint8Array)[]): Uint8Array {
  const e = encoding.createEncoder();
  for (const part of parts) {
    if (typeof part === "number") encoding.writeVarUint(e, part);
    else encoding.writeVarUint8Array(e, part);
  }
  return encoding.toUint8Array(e);
}

export const encodeSyncStep1 = (stateVector: Uint8Array) => message(messageSync, syncProtocol.messageYjsSyncStep1, stateVector);
export const encodeSyncStep2 = (update: Uint8Array) => message(messageSync, syncProtocol.messageYjsSyncStep2, update);
export const encodeUpdate = (update: Uint8Array) => message(messageSync, syncProtocol.messageYjsUpdate, update);
export const encodeAwareness = (update: Uint8Array) => message(messageAwareness, update);
export const encodeSaved = (stateVector: Uint8Array) => message(messageConcord, concordSaved, stateVector);
export const encodeAccess = (readOnly: boolean) => message(messageConcord, concordAccess, readOnly ? 1 : 0);
export const encodeSavingPaused = (paused: boolean) => message(messageConcord, concordSaving, paused ? 1 : 0);
