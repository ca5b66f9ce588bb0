// The negotiation fan-out case of `npm run bench` (issue 13): N statement pages open on a long
// statement deep in negotiation, a negotiation event every second through the real HTTP actions,
// and how soon every page is current again, at what server CPU and what bytes per page. The pages
// live in forked processes (bench/fanout-pages.ts). See bench/README.md.
import path from "node:path";
import { fork, type ChildProcess } from "node:child_process";
import { now } from "./lib/client";
import { cpuProfileDir, startConcordInstance, repoRoot } from "./lib/servers";
import { machineBusySeconds, totalCpuSeconds, treeCpuSeconds } from "./lib/proc";
import { ms, round, summarize, table, type Summary } from "./lib/stats";
import { createNegotiationDataset, type Actor, type NegotiationDataset } from "./lib/negotiation";
import type { BenchDatabase } from "./lib/concord";
import type { FanoutFromWorker, FanoutToWorker, PageReport } from "./lib/fanout-messages";
import { csrfTokenFor, request } from "../tests/support/http";

const env = process.env;
const int = (v: string | undefined, d: number) => (v && Number.isFinite(Number(v)) ? Number(v) : d);

export const fanoutSettings = {
  enabled: env.BENCH_FANOUT !== "0",
  pages: int(env.BENCH_FANOUT_PAGES, 300),
  seconds: int(env.BENCH_FANOUT_SECONDS, 60),
  workers: int(env.BENCH_FANOUT_WORKERS, 0),
  clauses: 300,
  proposals: 200,
  comments: 1000,
  /** After the last action answered, how long pages may take to become current before the rest count as never current. */
  drainMs: int(env.BENCH_FANOUT_DRAIN_MS, 120_000),
};

/** The targets of issue 13. */
const targets = { p99Ms: 1000, cpuMsPerEvent: 100, bytesPerPagePerEvent: 5000 };

type EventKind = "comment" | "reply" | "signal" | "proposal" | "revision" | "state";
const topicOf: Record<EventKind, string> = {
  comment: "comments",
  reply: "comments",
  signal: "signals",
  proposal: "proposals",
  revision: "proposals",
  state: "states",
};

interface SentEvent {
  index: number;
  kind: EventKind;
  topic: string;
  sentAt: number;
  respondedAt: number;
  status: number;
}

export interface FanoutResult {
  ok: boolean;
  error?: string;
  pages: number;
  seconds: number;
  dataset?: NegotiationDataset["counts"];
  open?: { ms: number; failures: string[]; htmlBytes: Summary | null; dataBytes: Summary | null; liveVersion: boolean };
  events?: { count: number; failed: { kind: EventKind; status: number }[]; actionMs: Summary | null; byKind: Record<string, number> };
  /** From the action's request being sent until each page is current, over every (event, page) pair. */
  currency?: Summary | null;
  /** The same from the action's answer (negative when the page was current before its author had the answer). */
  currencyFromAnswer?: Summary | null;
  /** Pairs where the page never got the event's message, or never became current within the drain. */
  missed?: number;
  notCurrent?: number;
  currencyByKind?: Record<string, Summary | null>;
  cpuMsPerEvent?: number;
  databaseCpuMsPerEvent?: number | null;
  clientCpuSeconds?: number;
  bytesPerPagePerEvent?: { total: number; sse: number; reload: number };
  reloadsPerEvent?: number;
  patchedShare?: number;
  drops?: number;
  reloadFailures?: number;
  reloadErrors?: string[];
  /** The server's error lines, when an action failed. */
  serverErrors?: string[];
  drainMs?: number;
  drained?: boolean;
  /** Where the pages stood when the drain ran out: messages expected, received and current, pages still reloading. */
  drainStatus?: { expected: number; received: number; current: number; busyPages: number };
  machineBusy?: number;
  /** CPU seconds other processes on the machine (other helpers' work) took during the events phase. */
  otherCpuSeconds?: number;
  targets?: { p99: boolean; cpu: boolean; bytes: boolean };
}

interface Worker {
  child: ChildProcess;
  send(m: FanoutToWorker): void;
  next<T extends FanoutFromWorker["type"]>(type: T, timeoutMs: number): Promise<Extract<FanoutFromWorker, { type: T }>>;
}

function forkWorker(): Worker {
  const child = fork(path.join(repoRoot, "bench/fanout-pages.ts"), [], {
    execArgv: ["--import", "tsx"],
    serialization: "advanced",
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const inbox: FanoutFromWorker[] = [];
  let wake: (() => void) | null = null;
  let exited: string | null = null;
  child.on("message", (m: FanoutFromWorker) => {
    inbox.push(m);
    wake?.();
  });
  child.on("exit", (code, signal) => {
    exited = `page process exited (code ${code}, signal ${signal})`;
    wake?.();
  });
  return {
    child,
    send: (m) => child.send(m),
    async next(type, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const error = inbox.find((m) => m.type === "error");
        if (error) throw new Error(`page process failed: ${(error as { message: string }).message}`);
        const i = inbox.findIndex((m) => m.type === type);
        if (i >= 0) return inbox.splice(i, 1)[0] as never;
        if (exited) throw new Error(exited);
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for a page process's "${type}"`);
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, left);
          wake = () => {
            clearTimeout(t);
            wake = null;
            resolve();
          };
        });
      }
    },
  };
}

async function stopWorker(w: Worker): Promise<void> {
  if (w.child.exitCode !== null || w.child.signalCode !== null) return;
  const exited = new Promise((r) => w.child.once("exit", r));
  if (w.child.connected) w.child.disconnect();
  await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
  if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill("SIGKILL");
}

/** The negotiation events, in turn: a comment or reply, a signal, a new proposal or a revision, a clause state. */
function eventPlan(count: number): EventKind[] {
  const kinds: EventKind[] = [];
  for (let k = 0; k < count; k++) {
    const round = Math.floor(k / 4);
    kinds.push(
      (
        [
          ["comment", "reply"],
          ["signal", "signal"],
          ["proposal", "revision"],
          ["state", "state"],
        ] as const
      )[k % 4][round % 2],
    );
  }
  return kinds;
}

/**
 * Posts a form as the page's fetcher does (single fetch: the action's path + ".data"), with the
 * person's anti-forgery token. Through node:http, which waits as long as the browser does (fetch
 * gives up after 300 s without an answer, and an overloaded server can take longer).
 */
async function postAction(baseUrl: string, actor: Actor & { csrf: string }, path: string, fields: Record<string, string>): Promise<number> {
  const res = await request(`${baseUrl}${path}.data`, { headers: { cookie: actor.cookie }, form: { csrf: actor.csrf, ...fields } });
  return res.status;
}

/** Nearest-rank summary, with the values rounded for the JSON. */
const summary = (values: number[]): Summary | null => {
  const s = summarize(values);
  return s && { count: s.count, p50: round(s.p50), p95: round(s.p95), p99: round(s.p99), max: round(s.max), mean: round(s.mean) };
};

export async function fanoutCase(db: BenchDatabase, log: (line: string) => void): Promise<FanoutResult> {
  const { pages, seconds } = fanoutSettings;
  const result: FanoutResult = { ok: false, pages, seconds };
  const started = Date.now();
  const data = await createNegotiationDataset(db.sql, {
    pages,
    clauses: fanoutSettings.clauses,
    proposals: fanoutSettings.proposals,
    comments: fanoutSettings.comments,
    events: seconds,
  });
  result.dataset = data.counts;
  log(
    `  · dataset: ${data.counts.clauses} clauses, ${data.counts.proposals} proposals (${data.counts.revisions} revisions, ${data.counts.positions} positions), ${data.counts.comments} comments, ${data.counts.signals} signals, ${data.counts.states} clause states; ${pages} people (${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );
  const server = await startConcordInstance({ databaseUrl: db.url, cpuProfileDir });
  const baseUrl = `http://127.0.0.1:${server.port}`;
  const workerCount = fanoutSettings.workers || Math.max(2, Math.min(4, Math.ceil(pages / 100)));
  const workers: Worker[] = [];
  try {
    // The page once, so that the first pages do not pay for the server's warm-up alone.
    const warm = await fetch(`${baseUrl}/documents/${data.documentId}`, { headers: { cookie: data.chair.cookie } });
    await warm.arrayBuffer();
    if (warm.status !== 200) throw new Error(`the statement page answered ${warm.status} to the chair`);

    for (let i = 0; i < workerCount; i++) workers.push(forkWorker());
    await Promise.all(workers.map((w) => w.next("ready", 60_000)));
    const openStart = now();
    workers.forEach((w, i) =>
      w.send({
        type: "open",
        baseUrl,
        documentId: data.documentId,
        pages: data.pages.filter((p) => p.index % workerCount === i),
        concurrency: 2,
      }),
    );
    const opened = await Promise.all(workers.map((w) => w.next("opened", 30 * 60_000)));
    const failures = opened.flatMap((o) => o.failures);
    const versions = opened.flatMap((o) => o.versions);
    result.open = {
      ms: round(now() - openStart, 0),
      failures: failures.slice(0, 10),
      htmlBytes: summary(opened.flatMap((o) => o.htmlBytes)),
      dataBytes: summary(opened.flatMap((o) => o.dataBytes)),
      liveVersion: versions.some((v) => v !== null),
    };
    log(
      `  · ${pages - failures.length} of ${pages} pages open in ${(result.open.ms / 1000).toFixed(1)} s (${workerCount} page processes); HTML ${Math.round((result.open.htmlBytes?.p50 ?? 0) / 1024)} KiB, data ${Math.round((result.open.dataBytes?.p50 ?? 0) / 1024)} KiB per page; liveVersion in the data: ${result.open.liveVersion ? "yes" : "no"}`,
    );
    if (failures.length) throw new Error(`${failures.length} pages did not open: ${failures[0]}`);

    // The actors' anti-forgery tokens, as their pages hold them.
    const csrf = async (a: Actor) => ({ ...a, csrf: await csrfTokenFor(baseUrl, a.cookie) });
    const chair = await csrf(data.chair);
    const delegates = await Promise.all(data.delegates.map(csrf));
    // The streams and pages settle (their first keep-alives are far off) before the clock starts.
    await new Promise((r) => setTimeout(r, 2000));
    workers.forEach((w) => w.send({ type: "measure" }));
    await Promise.all(workers.map((w) => w.next("measuring", 10_000)));

    const plan = eventPlan(seconds);
    const counters = { comment: 0, reply: 0, signal: 0, proposal: 0, revision: 0, state: 0 };
    const perform = (kind: EventKind): Promise<number> => {
      const k = counters[kind]++;
      const doc = `/documents/${data.documentId}`;
      const someone = delegates[k % delegates.length];
      switch (kind) {
        case "comment":
          return postAction(baseUrl, someone, `${doc}/comments`, {
            intent: "create",
            clauseId: data.clauses[(k * 29 + 3) % (data.clauses.length - 20)].id,
            body: `A comment made during the benchmark (${k + 1}): the delegation asks for clarity on the wording here.`,
          });
        case "reply":
          return postAction(baseUrl, someone, `${doc}/comments`, {
            intent: "reply",
            threadId: data.threads[(k * 37) % data.threads.length],
            body: `A reply made during the benchmark (${k + 1}): we agree and suggest keeping the text as it is.`,
          });
        case "signal": {
          const signal = (["accept", "not_yet", "reservation"] as const)[k % 3];
          return postAction(baseUrl, someone, `${doc}/signals`, {
            clauseId: data.clauses[(k * 31 + 7) % data.clauses.length].id,
            signal,
            reason: signal === "accept" ? "" : `Consulting capital (${k + 1}).`,
          });
        }
        case "proposal":
        case "revision": {
          const { proposalId, delegate } = (kind === "proposal" ? data.drafts : data.revisable)[k];
          return postAction(baseUrl, delegates[delegate], `${doc}/proposals/${proposalId}`, { intent: "submit" });
        }
        case "state":
          return postAction(baseUrl, chair, `${doc}/states`, {
            clauseId: data.stateClauses[k % data.stateClauses.length],
            state: k % 2 === 0 ? "under_negotiation" : "agreed_ad_ref",
          });
      }
    };

    const workerPids = workers.map((w) => w.child.pid!);
    const postmaster = db.postmaster();
    const reading = () => ({
      t: now(),
      server: totalCpuSeconds([server.pid]),
      clients: totalCpuSeconds(workerPids),
      db: postmaster ? treeCpuSeconds(postmaster) : null,
      machine: machineBusySeconds(),
    });
    const before = reading();
    const t0 = now() + 200;
    const sent = await Promise.all(
      plan.map(async (kind, index): Promise<SentEvent> => {
        await new Promise((r) => setTimeout(r, Math.max(0, t0 + index * 1000 - now())));
        const sentAt = now();
        // -1: no answer at all (the connection failed).
        const status = await perform(kind).catch(() => -1);
        return { index, kind, topic: topicOf[kind], sentAt, respondedAt: now(), status };
      }),
    );
    // An overloaded server answers actions late: the drain counts from the last answer.
    const lastAnswer = Math.max(...sent.map((e) => e.respondedAt));

    // Every page has every event's message and is current with it, or the drain runs out.
    const expected = pages * sent.filter((e) => e.status === 200).length;
    let drained = false;
    let last = { expected, received: 0, current: 0, busyPages: 0 };
    while (now() - lastAnswer < fanoutSettings.drainMs) {
      workers.forEach((w) => w.send({ type: "status" }));
      const status = await Promise.all(workers.map((w) => w.next("status", 30_000)));
      const received = status.reduce((s, x) => s + x.received, 0);
      const current = status.reduce((s, x) => s + x.current, 0);
      last = { expected, received, current, busyPages: status.reduce((s, x) => s + x.busy, 0) };
      if (received >= expected && current === received && status.every((x) => x.busy === 0)) {
        drained = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    const after = reading();
    workers.forEach((w) => w.send({ type: "finish" }));
    const reports = (await Promise.all(workers.map((w) => w.next("report", 60_000)))).flatMap((r) => r.pages);

    const events = sent.length;
    const failed = sent.filter((e) => e.status !== 200).map((e) => ({ kind: e.kind, status: e.status }));
    const latencies = attribute(sent, reports);
    result.events = {
      count: events,
      failed,
      actionMs: summary(sent.map((e) => e.respondedAt - e.sentAt)),
      byKind: Object.fromEntries(Object.entries(counters).filter(([, n]) => n > 0)),
    };
    result.currency = summary(latencies.all);
    result.currencyFromAnswer = summary(latencies.fromAnswer);
    result.currencyByKind = Object.fromEntries(Object.entries(latencies.byKind).map(([k, v]) => [k, summary(v)]));
    result.missed = latencies.missed;
    result.notCurrent = latencies.notCurrent;
    result.cpuMsPerEvent = round(((after.server - before.server) * 1000) / events, 1);
    result.databaseCpuMsPerEvent = after.db !== null && before.db !== null ? round(((after.db - before.db) * 1000) / events, 1) : null;
    result.clientCpuSeconds = round(after.clients - before.clients, 2);
    result.machineBusy = round((after.machine - before.machine) / ((after.t - before.t) / 1000), 2);
    result.otherCpuSeconds = round(
      Math.max(
        0,
        after.machine -
          before.machine -
          (after.server - before.server) -
          (after.clients - before.clients) -
          ((after.db ?? 0) - (before.db ?? 0)),
      ),
      1,
    );
    const sse = reports.reduce((s, p) => s + p.sseBytes, 0);
    const reload = reports.reduce((s, p) => s + p.reloadBytes, 0);
    const perPageEvent = (bytes: number) => round(bytes / reports.length / events, 0);
    result.bytesPerPagePerEvent = { total: perPageEvent(sse + reload), sse: perPageEvent(sse), reload: perPageEvent(reload) };
    result.reloadsPerEvent = round(reports.reduce((s, p) => s + p.reloads, 0) / events, 1);
    const messages = reports.flatMap((p) => p.messages);
    result.patchedShare = round(messages.filter((m) => m.patched).length / Math.max(1, messages.length), 3);
    result.drops = reports.reduce((s, p) => s + p.drops, 0);
    result.reloadFailures = reports.reduce((s, p) => s + p.reloadFailures, 0);
    result.reloadErrors = [...new Set(reports.flatMap((p) => (p.reloadError ? [p.reloadError] : [])))].slice(0, 5);
    result.drainMs = round(after.t - lastAnswer, 0);
    result.drained = drained;
    if (!drained) result.drainStatus = last;
    result.targets = {
      p99: (result.currency?.p99 ?? Infinity) <= targets.p99Ms && result.notCurrent === 0 && result.missed === 0,
      cpu: result.cpuMsPerEvent <= targets.cpuMsPerEvent,
      bytes: result.bytesPerPagePerEvent.total <= targets.bytesPerPagePerEvent,
    };
    result.ok = failed.length === 0;
    if (failed.length)
      result.serverErrors = server
        .output()
        .split("\n")
        .filter((l) => /error/i.test(l))
        .slice(0, 5);
    if (failed.length) result.error = `${failed.length} of ${events} actions failed (first: ${failed[0].kind}, status ${failed[0].status})`;
    return result;
  } catch (err) {
    result.error = (err as Error).message.split("\n")[0];
    console.error(err);
    return result;
  } finally {
    await Promise.all(workers.map(stopWorker));
    await server.stop();
  }
}

/**
 * Each page's messages of a topic, in order, are the events of that topic in the order they
 * committed (taken as the order their actions answered; events of one topic are 4 s apart). The
 * latency of a pair: from the action's request until the page was current with its message.
 */
function attribute(sent: SentEvent[], reports: PageReport[]) {
  const byTopic = new Map<string, SentEvent[]>();
  for (const e of sent.filter((x) => x.status === 200).sort((a, b) => a.respondedAt - b.respondedAt)) {
    if (!byTopic.has(e.topic)) byTopic.set(e.topic, []);
    byTopic.get(e.topic)!.push(e);
  }
  const all: number[] = [];
  const fromAnswer: number[] = [];
  const byKind: Record<string, number[]> = {};
  let missed = 0;
  let notCurrent = 0;
  for (const page of reports) {
    for (const [topic, events] of byTopic) {
      const messages = page.messages.filter((m) => m.topic === topic);
      events.forEach((e, i) => {
        const m = messages[i];
        if (!m) return void missed++;
        if (m.currentAt === null) return void notCurrent++;
        const v = m.currentAt - e.sentAt;
        all.push(v);
        fromAnswer.push(m.currentAt - e.respondedAt);
        (byKind[e.kind] ??= []).push(v);
      });
    }
  }
  return { all, fromAnswer, byKind, missed, notCurrent };
}

export function printFanout(r: FanoutResult, log: (line: string) => void): void {
  log("");
  log(`Negotiation fan-out: ${r.pages} pages, a negotiation event a second for ${r.seconds} s`);
  if (r.error) log(`  FAILED: ${r.error}`);
  if (!r.currency || !r.bytesPerPagePerEvent || !r.targets) return;
  const c = r.currency;
  log(
    table(
      ["", "p50", "p99", "max", "CPU ms/event", "KB/page/event", "reloads/event", "patched", "missed", "never current"],
      [
        [
          "all events",
          ms(c.p50),
          ms(c.p99),
          ms(c.max),
          r.cpuMsPerEvent!.toFixed(0),
          (r.bytesPerPagePerEvent.total / 1000).toFixed(1),
          r.reloadsPerEvent!.toFixed(0),
          `${(r.patchedShare! * 100).toFixed(0)} %`,
          r.missed!,
          r.notCurrent!,
        ],
        ...Object.entries(r.currencyByKind ?? {}).map(([kind, s]) => [
          `  ${kind}`,
          ms(s?.p50),
          ms(s?.p99),
          ms(s?.max),
          "",
          "",
          "",
          "",
          "",
          "",
        ]),
      ],
    ),
  );
  log(
    `  · latency: from the action's request until the page is current (its patch applied, or a reload started after the message completed); from the action's answer p50 ${ms(r.currencyFromAnswer?.p50)}, p99 ${ms(r.currencyFromAnswer?.p99)} ms; actions took ${ms(r.events?.actionMs?.p50)} ms (p50), ${ms(r.events?.actionMs?.max)} ms at most`,
  );
  log(
    `  · bytes per page per event: ${(r.bytesPerPagePerEvent.sse / 1000).toFixed(2)} KB event stream + ${(r.bytesPerPagePerEvent.reload / 1000).toFixed(1)} KB reloads; PostgreSQL ${r.databaseCpuMsPerEvent ?? "–"} CPU ms/event; page processes ${r.clientCpuSeconds} CPU s; machine ${r.machineBusy} cores busy (other processes ${r.otherCpuSeconds} CPU s); ${r.drained ? `all current ${((r.drainMs ?? 0) / 1000).toFixed(1)} s after the last action answered` : `NOT all current when the drain ran out (${JSON.stringify(r.drainStatus)})`}${r.drops ? `; ${r.drops} stream drops` : ""}${r.reloadFailures ? `; ${r.reloadFailures} failed reloads (${r.reloadErrors?.join(", ")})` : ""}`,
  );
  for (const line of r.serverErrors ?? []) log(`  · server: ${line}`);
  const verdict = (met: boolean) => (met ? "met" : "NOT met");
  log(
    `  targets: current within ${targets.p99Ms} ms p99 — ${verdict(r.targets.p99)}; ≤ ${targets.cpuMsPerEvent} CPU ms per event — ${verdict(r.targets.cpu)}; ≤ ${targets.bytesPerPagePerEvent / 1000} KB per page per event — ${verdict(r.targets.bytes)}`,
  );
}
