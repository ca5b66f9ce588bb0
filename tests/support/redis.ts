import { randomBytes } from "node:crypto";
import net from "node:net";
import { Redis } from "ioredis";
import { decodeRelayMessage } from "../../server/collab/redis-relay";
import { onCleanup } from "./cleanup";

/** The Redis the multi-instance tests use (no persistence needed). */
export const redisUrl = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/**
 * Environment for instances that serve documents together, with a channel prefix of this test
 * file's own, so that files running in parallel never hear each other.
 */
export function redisEnv(url = redisUrl): { REDIS_URL: string; REDIS_PREFIX: string } {
  return { REDIS_URL: url, REDIS_PREFIX: `concord-test-${randomBytes(5).toString("hex")}:` };
}

export interface ChannelTap {
  messages: { kind: number; instance: string; payload: Uint8Array; at: number }[];
  /** Resolves once the subscription is active. */
  ready: Promise<void>;
}

/** Listens on a document's relay channel, as another instance would, recording every message. */
export function tapDocumentChannel(
  env: { REDIS_URL: string; REDIS_PREFIX: string },
  documentId: string,
  onMessage?: (m: ChannelTap["messages"][number]) => void,
): ChannelTap {
  const sub = new Redis(env.REDIS_URL, { maxRetriesPerRequest: null });
  sub.on("error", () => {});
  onCleanup(() => sub.disconnect());
  const tap: ChannelTap = { messages: [], ready: sub.subscribe(`${env.REDIS_PREFIX}doc:${documentId}`).then(() => {}) };
  sub.on("messageBuffer", (_channel: Buffer, message: Buffer) => {
    const m = { ...decodeRelayMessage(Buffer.from(message)), at: Date.now() };
    tap.messages.push(m);
    onMessage?.(m);
  });
  return tap;
}

export interface RedisProxy {
  /** redis://127.0.0.1:<port> */
  url: string;
  /** Drops every connection through the proxy and refuses new ones: Redis is unreachable. */
  cut(): void;
  restore(): void;
}

/** A TCP proxy in front of Redis, to take Redis away from instances without stopping it. */
export async function startRedisProxy(target = redisUrl): Promise<RedisProxy> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<net.Socket>();
  let refusing = false;
  const server = net.createServer((client) => {
    if (refusing) return void client.destroy();
    const upstream = net.connect(Number(port || 6379), hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("error", () => {});
      s.on("close", () => {
        sockets.delete(s);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  onCleanup(
    () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  );
  return {
    url: `redis://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    cut() {
      refusing = true;
      for (const s of sockets) s.destroy();
    },
    restore() {
      refusing = false;
    },
  };
}
