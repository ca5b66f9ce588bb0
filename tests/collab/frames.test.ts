import { afterAll, beforeAll, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocket, WebSocketServer } from "ws";
import { framesOf } from "../../server/collab/frames";

/** A server that writes these bytes to each socket it accepts, as the collaboration endpoint writes its frames. */
let server: Server;
let bytesToSend: Buffer;

beforeAll(async () => {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  server = createServer();
  server.on("upgrade", (req, socket, head) => wss.handleUpgrade(req, socket, head, () => socket.write(bytesToSend)));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** What a WebSocket client receives when the server writes these bytes: each message's payload, in order. */
function received(bytes: Buffer, count: number): Promise<Buffer[]> {
  bytesToSend = bytes;
  const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`, { maxPayload: 1 << 24 });
  const messages: Buffer[] = [];
  return new Promise((resolve, reject) => {
    client.on("message", (data: Buffer, isBinary: boolean) => {
      if (!isBinary) reject(new Error("a text frame"));
      messages.push(data);
      if (messages.length === count) {
        client.terminate();
        resolve(messages);
      }
    });
    client.on("error", reject);
  });
}

function message(length: number, seed: number): Uint8Array {
  const m = new Uint8Array(length);
  for (let i = 0; i < length; i++) m[i] = (i * 31 + seed) % 256;
  return m;
}

it("frames messages of every length class as a client reads them, several together in order", async () => {
  // Each length form of RFC 6455: 7 bits, 16 bits, 64 bits; and their limits.
  const messages = [0, 1, 125, 126, 65535, 65536, 70000].map(message);
  // Compared as hex: element by element, large buffers take seconds.
  const hex = (ms: Uint8Array[]) => ms.map((m) => Buffer.from(m).toString("hex"));
  expect(hex(await received(framesOf(messages), messages.length))).toEqual(hex(messages));
  for (const m of messages) expect(hex(await received(framesOf([m]), 1))).toEqual(hex([m]));
});

it("frames the same messages once, however many sockets they go to, and other messages apart", () => {
  const [a, b] = [message(10, 1), message(300, 2)];
  expect(framesOf([a])).toBe(framesOf([a]));
  expect(framesOf([a, b])).toBe(framesOf([a, b]));
  const c = message(300, 2);
  expect(framesOf([a, c])).not.toBe(framesOf([a, b]));
  expect(framesOf([a, c])).toEqual(framesOf([a, b]));
  expect(framesOf([a, b, c]).length).toBe(framesOf([a, b]).length + framesOf([c]).length);
});
