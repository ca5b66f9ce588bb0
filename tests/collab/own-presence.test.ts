import { expect, it } from "vitest";
import * as Y from "yjs";
import * as decoding from "lib0/decoding";
import * as awarenessProtocol from "y-protocols/awareness";
import { WebsocketProvider } from "y-websocket";
import { WebSocket as NodeWebSocket } from "ws";
import { sendOwnPresenceOnly } from "../../app/editor/own-presence";
import { messageAwareness } from "../../app/statement/protocol";

/** The editor's provider, not connected: what it would send goes to `sent` instead of a socket. */
function editorProvider() {
  const provider = new WebsocketProvider("ws://127.0.0.1:1", "doc", new Y.Doc(), {
    connect: false,
    disableBc: true,
    WebSocketPolyfill: NodeWebSocket as unknown as typeof WebSocket,
  });
  sendOwnPresenceOnly(provider);
  const sent: number[][] = [];
  // As once connected: the provider writes to its socket when it is open.
  provider.wsconnected = true;
  provider.ws = {
    readyState: 1,
    OPEN: 1,
    send: (message: Uint8Array) => {
      const d = decoding.createDecoder(message);
      expect(decoding.readVarUint(d)).toBe(messageAwareness);
      const u = decoding.createDecoder(decoding.readVarUint8Array(d));
      const ids: number[] = [];
      for (let n = decoding.readVarUint(u); n > 0; n--) {
        ids.push(decoding.readVarUint(u));
        decoding.readVarUint(u);
        decoding.readVarString(u);
      }
      sent.push(ids);
    },
  } as unknown as WebSocket;
  return { provider, sent };
}

it("sends its own presence changes, renewals and leaving, and none of the others' it hears", () => {
  const { provider, sent } = editorProvider();
  const own = provider.awareness.clientID;
  provider.awareness.setLocalStateField("cursor", null);
  expect(sent).toEqual([[own]]);
  // Someone else's state, as the server relays it: applied, not sent back.
  const other = new awarenessProtocol.Awareness(new Y.Doc());
  other.setLocalState({ user: { name: "Ann" }, cursor: null });
  awarenessProtocol.applyAwarenessUpdate(provider.awareness, awarenessProtocol.encodeAwarenessUpdate(other, [other.clientID]), provider);
  expect(provider.awareness.getStates().has(other.clientID)).toBe(true);
  expect(sent).toEqual([[own]]);
  provider.awareness.setLocalState(null);
  expect(sent).toEqual([[own], [own]]);
  // Destroying the provider unregisters the handler it was given.
  provider.wsconnected = false;
  provider.ws = null;
  provider.destroy();
  other.setLocalState({ user: { name: "Ann" }, cursor: { anchor: 1 } });
  awarenessProtocol.applyAwarenessUpdate(provider.awareness, awarenessProtocol.encodeAwarenessUpdate(other, [other.clientID]), "late");
  expect(sent).toEqual([[own], [own]]);
  other.destroy();
});
