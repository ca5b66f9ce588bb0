// A client process of the benchmark: hosts a share of the simulated participants (real
// y-websocket or Hocuspocus providers, each with its own Y.Doc and awareness) and answers the
// coordinator (bench/run.ts) over IPC. Started with child_process.fork, never on its own.
import * as Y from "yjs";
import { connectBenchClient, now, waitUntil, type BenchClient } from "./lib/client";
import { caretAt, clauseCount, clauseText, digest, randomWord, rng } from "./lib/statement";
import type { ClientReport, ClientSpec, FromWorker, SentEdit, ToWorker } from "./lib/messages";

interface Participant {
  spec: ClientSpec;
  client: BenchClient;
  /** tag → when this client's document first contained it */
  received: Map<string, number>;
  /** tags this client typed */
  own: Set<string>;
}

const participants: Participant[] = [];
/** Typed words ([w3-17]: typist 3's 17th) and the probes that check the server is caught up ([probe-2]). */
const tagPattern = /\[(?:w\d+|probe)-\d+\]/g;
const colors = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf"];

const send = (m: FromWorker) => process.send!(m);

function setCaret(p: Participant, clause: number, atEnd: boolean) {
  const { doc, awareness } = p.client;
  const count = clauseCount(doc);
  if (count === 0) return;
  const text = clauseText(doc, clause % count);
  awareness.setLocalStateField("cursor", caretAt(text, atEnd ? text.length : Math.min(text.length, 5)));
}

async function connect({ clients, t0, timeoutMs }: Extract<ToWorker, { type: "connect" }>) {
  const synced: [number, number][] = [];
  const failed: [number, string][] = [];
  await Promise.all(
    clients.map(async (spec) => {
      const doc = new Y.Doc();
      const localState = spec.role === "writer" ? null : { user: { name: spec.name, color: colors[spec.index % colors.length] } };
      const p: Participant = { spec, client: connectBenchClient(spec.endpoint, { doc, localState }), received: new Map(), own: new Set() };
      participants.push(p);
      // Every tagged word this document integrates from elsewhere, with the moment it did.
      doc.on("update", (update: Uint8Array, origin: unknown) => {
        if (origin === null) return; // this client's own typing
        const text = Buffer.from(update.buffer, update.byteOffset, update.byteLength).toString("latin1");
        if (!text.includes("[w") && !text.includes("[probe")) return;
        const at = now();
        for (const m of text.matchAll(tagPattern)) if (!p.received.has(m[0])) p.received.set(m[0], at);
      });
      let timer: NodeJS.Timeout;
      try {
        await Promise.race([
          p.client.synced,
          new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`not synced after ${timeoutMs} ms`)), timeoutMs))),
        ]);
        synced.push([spec.index, now()]);
        // The editor opens and places the caret: one more presence update, as in a browser.
        if (spec.role !== "writer") setCaret(p, spec.clause ?? spec.index, spec.role === "typist");
      } catch (err) {
        failed.push([spec.index, (err as Error).message]);
      } finally {
        clearTimeout(timer!);
      }
    }),
  );
  void t0;
  send({ type: "connected", synced, failed });
}

async function type({ startAt, seconds, perSecond, typists }: Extract<ToWorker, { type: "type" }>) {
  const interval = 1000 / perSecond;
  const count = Math.round(seconds * perSecond);
  const sent: SentEdit[] = [];
  await Promise.all(
    participants
      .filter((p) => p.spec.role === "typist")
      .map(async (p) => {
        const typist = p.spec.typist!;
        // Typists are spread evenly over the interval, each on an absolute schedule (no drift).
        const first = startAt + (typist / typists) * interval;
        for (let k = 0; k < count; k++) {
          const due = first + k * interval;
          const wait = due - now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          const tag = `[w${typist}-${k}]`;
          const { doc, awareness } = p.client;
          const text = clauseText(doc, p.spec.clause!);
          const at = now();
          doc.transact(() => text.insert(text.length, ` ${tag}`, {}));
          p.own.add(tag);
          sent.push([tag, at, p.spec.index, p.spec.instance]);
          // The caret moves with the typing, and the others see it move.
          awareness.setLocalStateField("cursor", caretAt(text, text.length));
        }
      }),
  );
  send({ type: "typed", sent });
}

function report(p: Participant): ClientReport {
  return {
    index: p.spec.index,
    digest: digest(p.client.doc),
    saved: p.client.isSaved(),
    readOnly: p.client.readOnly,
    reconnects: p.client.reconnects(),
    closes: p.client.closes,
  };
}

/**
 * Waits until every client here has every edit (but its own), as long as deliveries keep coming:
 * it gives up when nothing new arrived for `stallMs`, or after `timeoutMs` in all. What has not
 * arrived by then counts as missed.
 */
async function expect({ edits, timeoutMs, stallMs, reports }: Extract<ToWorker, { type: "expect" }>) {
  const receivers = participants.filter((p) => p.spec.role !== "writer");
  const complete = () => receivers.every((p) => edits.every(([tag, , sender]) => sender === p.spec.index || p.received.has(tag)));
  const receipts = () => receivers.reduce((sum, p) => sum + p.received.size, 0);
  const deadline = now() + timeoutMs;
  let last = receipts();
  let progressAt = now();
  while (!complete() && now() < deadline && now() - progressAt < stallMs) {
    await new Promise((r) => setTimeout(r, 50));
    const count = receipts();
    if (count > last) {
      last = count;
      progressAt = now();
    }
  }
  // Typists' own edits must be acknowledged as durable too (Concord only; others have no such message).
  if (reports)
    await waitUntil(() => receivers.every((p) => p.spec.role !== "typist" || p.client.isSaved() || p.client.readOnly === null), 5000, 50);
  const latency = new Float64Array(receivers.length * edits.length);
  receivers.forEach((p, row) => {
    edits.forEach(([tag, sentAt, sender], col) => {
      const at = p.received.get(tag);
      latency[row * edits.length + col] = sender === p.spec.index ? 0 : at === undefined ? Number.NaN : at - sentAt;
    });
  });
  send({
    type: "results",
    receivers: receivers.map((p) => p.spec.index),
    latency,
    clients: reports ? receivers.map(report) : [],
    uncaught: reports ? uncaught.splice(0) : [],
  });
}

/** One probe word typed by one client, to see how long the server takes to relay it to everyone. */
function probe({ index, tag }: Extract<ToWorker, { type: "probe" }>) {
  const p = participants.find((q) => q.spec.index === index)!;
  const text = clauseText(p.client.doc, p.spec.clause!);
  const at = now();
  p.client.doc.transact(() => text.insert(text.length, ` ${tag}`, {}));
  p.own.add(tag);
  send({ type: "probed", sentAt: at });
}

/** Cold-load history: each writer makes `edits` random edits (insertions and deletions) in random clauses. */
async function history({ edits, paceMs, seed, timeoutMs }: Extract<ToWorker, { type: "history" }>) {
  const writers = participants.filter((p) => p.spec.role === "writer");
  let made = 0;
  await Promise.all(
    writers.map(async (p) => {
      const r = rng(seed + p.spec.index);
      const { doc } = p.client;
      const clauses = clauseCount(doc);
      const start = now();
      for (let k = 0; k < edits; k++) {
        const wait = start + k * paceMs - now();
        if (wait > 0) await new Promise((res) => setTimeout(res, wait));
        const text = clauseText(doc, Math.floor(r() * clauses));
        const length = text.length;
        doc.transact(() => {
          // No attributes: the new word takes the formatting where it lands, as typed in the editor.
          if (length < 40 || r() < 0.7) text.insert(Math.floor(r() * (length + 1)), ` ${randomWord(r)}`);
          else text.delete(Math.floor(r() * (length - 10)), 1 + Math.floor(r() * 8));
        });
        made += 1;
      }
    }),
  );
  await waitUntil(() => writers.every((p) => p.client.isSaved()), timeoutMs, 50);
  send({
    type: "history-done",
    edits: made,
    unsaved: writers.filter((p) => !p.client.isSaved()).length,
    stateVectors: writers.map((p) => [p.spec.index, Buffer.from(Y.encodeStateVector(p.client.doc)).toString("base64")]),
  });
}

function digests() {
  send({
    type: "digests",
    clients: participants.map(report),
    stateVectors: participants.map((p) => [p.spec.index, Buffer.from(Y.encodeStateVector(p.client.doc)).toString("base64")]),
  });
}

let disconnecting = false;
/** Errors no provider handled, outside disconnecting: reported with the results. */
const uncaught: string[] = [];

async function disconnect() {
  disconnecting = true;
  for (const p of participants.splice(0)) p.client.destroy();
  // Let the close frames go out before the coordinator ends this process.
  await new Promise((r) => setTimeout(r, 200));
  send({ type: "disconnected" });
}

process.on("message", (m: ToWorker) => {
  const run = async () => {
    switch (m.type) {
      case "connect":
        return connect(m);
      case "type":
        return type(m);
      case "expect":
        return expect(m);
      case "probe":
        return probe(m);
      case "history":
        return history(m);
      case "digest":
        return digests();
      case "presence":
        // The fewest presences any of this worker's clients sees (its own included).
        return send({ type: "presence", fewest: Math.min(...participants.map((p) => p.client.awareness.getStates().size)) });
      case "disconnect":
        return disconnect();
    }
  };
  run().catch((err) => send({ type: "error", message: err instanceof Error ? (err.stack ?? err.message) : String(err) }));
});
process.on("disconnect", () => process.exit(0));
// A provider destroyed while its socket is still connecting can leave an unhandled 'error' event
// (Hocuspocus's, with the ws polyfill); while disconnecting that is expected, otherwise reported.
process.on("uncaughtException", (err) => {
  if (!disconnecting) uncaught.push(err.message);
});
// Reconnecting providers log to the console; the coordinator's output stays readable.
console.error = () => {};
console.warn = () => {};
send({ type: "ready" });
