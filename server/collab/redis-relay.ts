import { randomBytes } from "node:crypto";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import type { Relay, RelayChannel, RelayReceiver } from "./relay";
import type { LogFunction } from "../log";

/**
 * The relay between Concord instances, through Redis pub/sub: one publishing and one subscribed
 * connection per process, a channel per open document (`<prefix>doc:<id>`), and a channel on
 * which every instance says it is alive once a second (`<prefix>instances`).
 *
 * A message is [kind, instance id (8 bytes), payload]; an instance ignores its own. The heartbeat's
 * payload is when it was sent (a float64 of milliseconds since 1970), from which the receivers
 * measure the relay's lag (an older instance's empty heartbeat is not measured). Pub/sub keeps
 * nothing, so whenever something may have been missed the rooms reload from PostgreSQL:
 * - this instance's subscription was down: on reconnection, every open room resyncs and asks the
 *   others for their clients' presence;
 * - this instance could not publish: on reconnection it tells the others to resync those rooms
 *   and publishes its clients' presence again;
 * - another instance went silent (killed between storing a batch and publishing it): every open
 *   room resyncs and drops the presence of that instance's clients. Without this, their states
 *   would still expire by the awareness timeout (30 s), as the clients stop renewing them.
 * Redis being down never stops an instance: it keeps serving its own clients, logs once, and
 * catches up as above when Redis is back.
 */

export const relayKinds = { update: 0, awareness: 1, awarenessQuery: 2, resync: 3, alive: 4, bye: 5, claims: 6 } as const;
type Kind = (typeof relayKinds)[keyof typeof relayKinds];

const instanceBytes = 8;

export function encodeRelayMessage(kind: Kind, instance: Buffer, payload?: Uint8Array): Buffer {
  const message = Buffer.allocUnsafe(1 + instanceBytes + (payload?.byteLength ?? 0));
  message[0] = kind;
  instance.copy(message, 1);
  if (payload) message.set(payload, 1 + instanceBytes);
  return message;
}

export function decodeRelayMessage(message: Buffer): { kind: number; instance: string; payload: Uint8Array } {
  if (message.length < 1 + instanceBytes) throw new Error("relay message too short");
  return {
    kind: message[0],
    instance: message.subarray(1, 1 + instanceBytes).toString("hex"),
    payload: new Uint8Array(message.buffer, message.byteOffset + 1 + instanceBytes, message.length - 1 - instanceBytes),
  };
}

/** A heartbeat's payload: when it is sent. */
function sentAt(): Uint8Array {
  const payload = new Uint8Array(8);
  new DataView(payload.buffer).setFloat64(0, Date.now());
  return payload;
}

const readSentAt = (payload: Uint8Array) => new DataView(payload.buffer, payload.byteOffset, 8).getFloat64(0);

function encodeClaims(claims: Map<number, string>): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, claims.size);
  for (const [client, owner] of claims) {
    encoding.writeVarUint(e, client);
    encoding.writeVarString(e, owner);
  }
  return encoding.toUint8Array(e);
}

function decodeClaims(payload: Uint8Array): Map<number, string> {
  const d = decoding.createDecoder(payload);
  const claims = new Map<number, string>();
  for (let n = decoding.readVarUint(d); n > 0; n--) claims.set(decoding.readVarUint(d), decoding.readVarString(d));
  return claims;
}

export interface RedisRelayOptions {
  /** redis:// or rediss:// */
  url: string;
  /** Prefix of every channel name, so that deployments (or test files) sharing a Redis stay apart. */
  prefix?: string;
  /** How often this instance says it is alive. */
  heartbeatMs?: number;
  /** Silence after which another instance is taken for gone. */
  goneAfterMs?: number;
  /** How long start-up waits for Redis before serving without it (it connects later). */
  connectTimeoutMs?: number;
  log: LogFunction;
  /** Told, at every heartbeat of another instance, how long it took from there to here (seconds). */
  lag?: (seconds: number) => void;
}

interface Entry {
  receivers: Set<RelayReceiver>;
  subscribed: Promise<void>;
}

const settleWithin = <T>(promise: Promise<T>, ms: number) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      () => (clearTimeout(timer), resolve()),
      (err: unknown) => (clearTimeout(timer), reject(err instanceof Error ? err : new Error(String(err)))),
    );
  });

/** The Redis relay, which can also say whether both its connections are up (for /readyz). */
export interface RedisRelay extends Relay {
  connected(): boolean;
}

export async function createRedisRelay(options: RedisRelayOptions): Promise<RedisRelay> {
  const { log, lag } = options;
  const prefix = options.prefix ?? "concord:";
  const docPrefix = `${prefix}doc:`;
  const instancesChannel = `${prefix}instances`;
  const heartbeatMs = options.heartbeatMs ?? 1000;
  const goneAfterMs = options.goneAfterMs ?? 5 * heartbeatMs;
  const self = randomBytes(instanceBytes);
  const selfHex = self.toString("hex");

  // The Redis client is loaded by instances that relay through Redis only (about 20 MB).
  const { Redis } = await import("ioredis");
  // Publishing never queues while Redis is away: what could not be sent is made up for by a resync.
  const pub = new Redis(options.url, { connectionName: "concord-publish", enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  const sub = new Redis(options.url, { connectionName: "concord-subscribe", maxRetriesPerRequest: null });
  const entries = new Map<string, Entry>();
  /** Other instances, with when they were last heard from. */
  const lastHeard = new Map<string, number>();
  /** Instances taken for gone; if one speaks again (it was only cut off), it is asked for its clients' presence. */
  const presumedGone = new Set<string>();
  let publishFailed = false;
  let closed = false;

  for (const [name, conn] of [
    ["publishing", pub],
    ["subscribed", sub],
  ] as const) {
    let down = false;
    const lost = (err?: unknown) => {
      if (down || closed) return;
      down = true;
      log(`the ${name} connection to Redis is down; serving this instance's clients only until it is back`, err);
    };
    conn.on("error", (err: Error) => lost(err.message));
    conn.on("close", () => lost());
    conn.on("ready", () => {
      if (down) log(`the ${name} connection to Redis is back`);
      down = false;
    });
  }

  const receiversOf = (channel: string) => entries.get(channel)?.receivers ?? [];
  const everyReceiver = () => [...entries.values()].flatMap((e) => [...e.receivers]);

  function publish(channel: string, kind: Kind, payload?: Uint8Array) {
    if (closed) return;
    if (pub.status !== "ready") {
      publishFailed = true;
      return;
    }
    pub.publish(channel, encodeRelayMessage(kind, self, payload)).catch(() => (publishFailed = true));
  }

  function subscribe(channel: string): Promise<void> {
    // While disconnected, the 'ready' handler subscribes and has the room resync.
    if (sub.status !== "ready") return Promise.resolve();
    return settleWithin(sub.subscribe(channel), 2000).catch((err) => log(`subscribing to ${channel} failed`, err));
  }

  sub.on("messageBuffer", (channelBytes: Buffer, message: Buffer) => {
    let m: ReturnType<typeof decodeRelayMessage>;
    try {
      m = decodeRelayMessage(message);
    } catch {
      return;
    }
    if (m.instance === selfHex) return;
    if (m.kind === relayKinds.bye) {
      lastHeard.delete(m.instance);
      return;
    }
    const now = Date.now();
    lastHeard.set(m.instance, now);
    if (lag && m.kind === relayKinds.alive && m.payload.byteLength === 8) lag(Math.max(0, now - readSentAt(m.payload)) / 1000);
    if (presumedGone.delete(m.instance)) for (const channel of entries.keys()) publish(channel, relayKinds.awarenessQuery);
    const channel = channelBytes.toString();
    for (const r of receiversOf(channel)) {
      try {
        switch (m.kind) {
          case relayKinds.update:
            r.update(m.payload, m.instance);
            break;
          case relayKinds.claims:
            r.claims(decodeClaims(m.payload), m.instance);
            break;
          case relayKinds.awareness:
            r.awareness(m.payload, m.instance);
            break;
          case relayKinds.awarenessQuery:
            r.awarenessQuery();
            break;
          case relayKinds.resync:
            r.resync();
            break;
        }
      } catch (err) {
        log(`a message from instance ${m.instance} on ${channel} could not be applied`, err);
      }
    }
  });

  // Also on the first connection: rooms opened before Redis was reachable catch up the same way.
  sub.on("ready", () => {
    // Silence while this instance was cut off says nothing about the others.
    for (const instance of lastHeard.keys()) lastHeard.set(instance, Date.now());
    const channels = [instancesChannel, ...entries.keys()];
    sub.subscribe(...channels).then(
      () => {
        if (closed) return;
        const now = Date.now();
        for (const instance of lastHeard.keys()) lastHeard.set(instance, now);
        for (const [channel, entry] of entries) {
          for (const r of entry.receivers) r.resync();
          publish(channel, relayKinds.awarenessQuery);
        }
      },
      (err) => log("subscribing again after reconnecting to Redis failed", err),
    );
  });

  /** After messages could not be published: the others reload those documents, and hear this instance's clients' presence again. */
  function makeUpForLostMessages() {
    if (!publishFailed || closed || pub.status !== "ready") return;
    publishFailed = false;
    for (const [channel, entry] of entries) {
      publish(channel, relayKinds.resync);
      for (const r of entry.receivers) r.awarenessQuery();
    }
  }
  pub.on("ready", makeUpForLostMessages);

  const heartbeat = setInterval(() => {
    // Also catches a publication that failed while the connection stayed up.
    makeUpForLostMessages();
    publish(instancesChannel, relayKinds.alive, sentAt());
    // Not hearing anyone while our own subscription is down says nothing about them.
    if (sub.status !== "ready") return;
    const now = Date.now();
    for (const [instance, heard] of lastHeard) {
      if (now - heard <= goneAfterMs) continue;
      lastHeard.delete(instance);
      if (presumedGone.size > 1000) presumedGone.clear();
      presumedGone.add(instance);
      for (const r of everyReceiver()) r.instanceGone(instance);
    }
  }, heartbeatMs);
  heartbeat.unref();

  const connectTimeoutMs = options.connectTimeoutMs ?? 2000;
  const ready = (conn: typeof pub) =>
    conn.status === "ready" ? Promise.resolve() : new Promise<void>((r) => conn.once("ready", () => r()));
  await settleWithin(Promise.all([ready(pub), ready(sub)]), connectTimeoutMs).catch(() =>
    log(`Redis is not reachable yet; serving this instance's clients only until it is`),
  );

  return {
    connected: () => pub.status === "ready" && sub.status === "ready",

    join(documentId, receiver): RelayChannel {
      const channel = docPrefix + documentId;
      let entry = entries.get(channel);
      if (!entry) {
        entry = { receivers: new Set(), subscribed: subscribe(channel) };
        entries.set(channel, entry);
      }
      const joined = entry;
      joined.receivers.add(receiver);
      return {
        subscribed: joined.subscribed,
        publishUpdate: (update) => publish(channel, relayKinds.update, update),
        publishClaims: (claims) => publish(channel, relayKinds.claims, encodeClaims(claims)),
        publishAwareness: (update) => publish(channel, relayKinds.awareness, update),
        queryAwareness: () => publish(channel, relayKinds.awarenessQuery),
        leave() {
          if (!joined.receivers.delete(receiver) || joined.receivers.size > 0) return;
          if (entries.get(channel) === joined) entries.delete(channel);
          if (!closed) sub.unsubscribe(channel).catch(() => {});
        },
      };
    },

    async close() {
      if (closed) return;
      // Sent before QUIT on the same connection: the others forget this instance without resyncing.
      publish(instancesChannel, relayKinds.bye);
      closed = true;
      clearInterval(heartbeat);
      entries.clear();
      await Promise.all(
        [pub, sub].map(async (conn) => {
          if (conn.status === "ready") await settleWithin(conn.quit(), 2000).catch(() => {});
          conn.disconnect();
        }),
      );
    },
  };
}
