// A client process of the fan-out case (bench/fanout.ts): hosts a share of the statement pages,
// each behaving as app/negotiation/live.ts makes a browser behave, and answers the coordinator
// over IPC. Started with child_process.fork, never on its own.
import http from "node:http";
import { decode } from "turbo-stream";
import { now } from "./lib/client";
import type { FanoutFromWorker, FanoutToWorker, PageReport, PageSpec, ReceivedMessage } from "./lib/fanout-messages";

const routeId = "routes/documents.$documentId";

interface Fetched {
  status: number;
  body: Buffer;
  /** Bytes on the wire: the status line and headers as received, and the body (the server does not compress). */
  bytes: number;
}

/**
 * A GET as the browser sends it, on the page's own connection (a browser keeps one per origin
 * alive for its fetches). When the server closed that connection as it was being reused, the
 * request is sent again on a new one, as browsers do.
 */
function get(url: URL, cookie: string, agent: http.Agent | false, accept: string): Promise<Fetched> {
  return once(url, cookie, agent, accept).catch((err: Error & { reused?: boolean }) => {
    if (err.reused) return once(url, cookie, agent, accept);
    throw err;
  });
}

function once(url: URL, cookie: string, agent: http.Agent | false, accept: string): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { agent, headers: { cookie, accept } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, body, bytes: headerBytes(res) + body.length });
      });
      res.on("error", reject);
    });
    req.on("error", (err: Error & { reused?: boolean }) => {
      err.reused = req.reusedSocket && (err as NodeJS.ErrnoException).code === "ECONNRESET";
      reject(err);
    });
    req.end();
  });
}

function headerBytes(res: http.IncomingMessage): number {
  let n = `HTTP/1.1 ${res.statusCode} ${res.statusMessage}\r\n\r\n`.length;
  for (let i = 0; i < res.rawHeaders.length; i += 2) n += res.rawHeaders[i].length + res.rawHeaders[i + 1].length + 4;
  return n;
}

/**
 * The route's `liveVersion` in a single-fetch answer (turbo-stream, decoded with the package Remix
 * uses). An answer that does not mention it has none, and is not decoded: a browser has a CPU of
 * its own for that, the benchmark's client processes share the server's.
 */
async function liveVersionOf(body: Buffer): Promise<string | null> {
  if (!body.includes("liveVersion")) return null;
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(new Uint8Array(body));
      c.close();
    },
  });
  const { value, done } = await decode(stream);
  await done;
  const data = (value as Record<string, { data?: { liveVersion?: unknown } } | undefined>)[routeId]?.data;
  return typeof data?.liveVersion === "string" ? data.liveVersion : null;
}

/** A page as it runs; what it reports is kept as it will be sent. */
interface Page extends Omit<PageReport, "index" | "role"> {
  spec: PageSpec;
  agent: http.Agent;
  version: string | null;
  reloading: boolean;
  /** An event arrived during a reload: exactly one more follows it. */
  pending: boolean;
  /** Messages waiting for a reload to start after them. */
  waiting: ReceivedMessage[];
  stream: http.ClientRequest | null;
  closed: boolean;
}

let base: URL;
let documentId = "";
const pages: Page[] = [];
/** Bytes and reloads count from the start of the events phase. */
let measuring = false;

const send = (m: FanoutFromWorker) => process.send!(m);

function reload(page: Page): void {
  if (page.reloading) {
    page.pending = true;
    return;
  }
  page.reloading = true;
  const covered = page.waiting.splice(0);
  void (async () => {
    let failed = false;
    try {
      const res = await get(new URL(`/documents/${documentId}.data`, base), page.spec.cookie, page.agent, "*/*");
      if (measuring) {
        page.reloadBytes += res.bytes;
        page.reloads++;
      }
      if (res.status !== 200) throw new Error(`status ${res.status}`);
      const version = await liveVersionOf(res.body);
      if (version !== null) page.version = version;
      const at = now();
      for (const m of covered) m.currentAt = at;
    } catch (err) {
      page.reloadFailures++;
      page.reloadError = (err as Error).message;
      // What it covered still needs a reload: another, a second later (an overloaded server is not hammered).
      page.waiting.unshift(...covered);
      failed = true;
      await new Promise((r) => setTimeout(r, 1000));
    }
    page.reloading = false;
    if ((page.pending || failed) && !page.closed) {
      page.pending = false;
      reload(page);
    }
  })();
}

function onMessage(page: Page, data: string, bytes: number): void {
  const at = now();
  let parsed: { topic?: unknown; version?: unknown; patch?: { from?: unknown; to?: unknown } | null } = {};
  try {
    parsed = JSON.parse(data) as typeof parsed;
  } catch {
    // not JSON: reloaded all the same, as the page does
  }
  const m: ReceivedMessage = {
    topic: typeof parsed.topic === "string" ? parsed.topic : "",
    version: typeof parsed.version === "string" ? parsed.version : null,
    at,
    bytes,
    currentAt: null,
    patched: false,
  };
  page.messages.push(m);
  const patch = parsed.patch;
  if (patch && typeof patch.from === "string" && typeof patch.to === "string" && page.version !== null && patch.from === page.version) {
    page.version = patch.to;
    m.patched = true;
    m.currentAt = now();
    return;
  }
  page.waiting.push(m);
  reload(page);
}

/** The page's EventSource: parses the stream, counts its bytes, and comes back after a drop (reloading then, as the page does). */
function openStream(page: Page, reopened: boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      new URL(`/documents/${documentId}/events`, base),
      { agent: false, headers: { cookie: page.spec.cookie, accept: "text/event-stream", "cache-control": "no-cache" } },
      (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          reject(new Error(`event stream: status ${res.statusCode}`));
          return;
        }
        resolve();
        if (reopened) reload(page);
        let buffer = "";
        let pendingBytes = 0;
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          const size = Buffer.byteLength(chunk);
          if (measuring) page.sseBytes += size;
          pendingBytes += size;
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf("\n\n")) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = block
              .split("\n")
              .filter((l) => l.startsWith("data:"))
              .map((l) => l.slice(l.startsWith("data: ") ? 6 : 5))
              .join("\n");
            // Each message is charged the bytes that arrived with it (keep-alives included).
            if (data) {
              onMessage(page, data, pendingBytes);
              pendingBytes = 0;
            }
          }
        });
        res.on("close", () => {
          if (page.closed) return;
          page.drops++;
          reconnect(page);
        });
      },
    );
    // After the answer, an error ends the response too, and its close brings the stream back.
    req.on("error", reject);
    page.stream = req;
    req.end();
  });
}

/** As EventSource does (the server says `retry: 2000`): again and again until the stream is back. */
function reconnect(page: Page): void {
  setTimeout(() => {
    if (!page.closed) openStream(page, true).catch(() => reconnect(page));
  }, 2000);
}

async function openPage(spec: PageSpec): Promise<{ htmlBytes: number; dataBytes: number }> {
  const page: Page = {
    spec,
    agent: new http.Agent({ keepAlive: true, maxSockets: 1 }),
    version: null,
    reloading: false,
    pending: false,
    waiting: [],
    messages: [],
    sseBytes: 0,
    reloadBytes: 0,
    reloads: 0,
    reloadFailures: 0,
    reloadError: null,
    drops: 0,
    stream: null,
    closed: false,
  };
  const html = await get(new URL(`/documents/${documentId}`, base), spec.cookie, page.agent, "text/html");
  if (html.status !== 200) throw new Error(`the statement page answered ${html.status}`);
  // The page's data as its loader gives it (the HTML carries the same, inlined for hydration).
  const data = await get(new URL(`/documents/${documentId}.data`, base), spec.cookie, page.agent, "*/*");
  if (data.status !== 200) throw new Error(`the statement's data answered ${data.status}`);
  page.version = await liveVersionOf(data.body);
  await openStream(page, false);
  pages.push(page);
  return { htmlBytes: html.bytes, dataBytes: data.bytes };
}

async function open(m: Extract<FanoutToWorker, { type: "open" }>): Promise<void> {
  base = new URL(m.baseUrl);
  documentId = m.documentId;
  const htmlBytes: number[] = [];
  const dataBytes: number[] = [];
  const failures: string[] = [];
  const queue = [...m.pages];
  // A few pages at a time: 300 pages loading at once would only measure the queue.
  await Promise.all(
    Array.from({ length: m.concurrency }, async () => {
      for (let spec = queue.shift(); spec; spec = queue.shift()) {
        try {
          const r = await openPage(spec);
          htmlBytes.push(r.htmlBytes);
          dataBytes.push(r.dataBytes);
        } catch (err) {
          failures.push(`page ${spec.index} (${spec.role}): ${(err as Error).message}`);
        }
      }
    }),
  );
  send({ type: "opened", htmlBytes, dataBytes, failures, versions: pages.map((p) => p.version) });
}

function report(): PageReport[] {
  return pages.map((p) => ({
    index: p.spec.index,
    role: p.spec.role,
    messages: p.messages,
    sseBytes: p.sseBytes,
    reloadBytes: p.reloadBytes,
    reloads: p.reloads,
    reloadFailures: p.reloadFailures,
    reloadError: p.reloadError,
    drops: p.drops,
  }));
}

process.on("message", (m: FanoutToWorker) => {
  try {
    switch (m.type) {
      case "open":
        void open(m).catch((err: Error) => send({ type: "error", message: err.stack ?? err.message }));
        break;
      case "measure":
        measuring = true;
        for (const p of pages) p.messages = [];
        send({ type: "measuring" });
        break;
      case "status": {
        let received = 0;
        let current = 0;
        let busy = 0;
        for (const p of pages) {
          received += p.messages.length;
          current += p.messages.filter((x) => x.currentAt !== null).length;
          if (p.reloading || p.waiting.length) busy++;
        }
        send({ type: "status", pages: pages.length, received, current, busy });
        break;
      }
      case "finish":
        measuring = false;
        for (const p of pages) {
          p.closed = true;
          p.stream?.destroy();
          p.agent.destroy();
        }
        send({ type: "report", pages: report() });
        break;
    }
  } catch (err) {
    send({ type: "error", message: (err as Error).stack ?? String(err) });
  }
});

process.on("disconnect", () => process.exit(0));
send({ type: "ready" });
