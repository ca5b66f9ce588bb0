import type { JSONContent } from "@tiptap/core";
import type { CDPSession, Page } from "playwright-core";
import type { Sql } from "../server/db/sql";
import { statementUpdate } from "../app/statement/yjs-state";
import { createStoredDocument } from "../server/negotiation/statement";
import { createComment } from "../server/queries/comments";
import { launchBrowser, signedInContext } from "../tests/support/browser";
import { createClauseState, createConference, createPosition, createProposal, createSignedInPerson } from "../tests/support/factories";
import { largeStatement } from "./lib/statement";
import { cpuProfileDir, startConcordInstance } from "./lib/servers";
import { ms } from "./lib/stats";

/** Targets of issue 13: a large statement ready in the browser within this, its page's HTML and data within that. */
const readyTargetMs = 1500;
const bytesTarget = 1024 * 1024;

export interface OpenBytes {
  /** The document itself (the server-rendered page with its loader data). */
  html: number;
  /** What the collaboration socket brought (the statement's Yjs state, presence), until ready. */
  collab: number;
  /** Fetches, XHR and the event stream, until ready. */
  fetch: number;
  js: number;
  css: number;
  other: number;
}

export interface OpenRun {
  /** From navigation start: first contentful paint, the first clause's text painted, the editor synced and editable. */
  fcpMs: number;
  textMs: number;
  readyMs: number;
  bytes: OpenBytes;
}

export interface OpenResult {
  clauses: number;
  proposals: number;
  comments: number;
  /** The first open after the server started (its code not yet warm), not in the medians. */
  first: OpenRun;
  runs: OpenRun[];
  median: { fcpMs: number; textMs: number; readyMs: number; htmlAndDataBytes: number; jsBytes: number; cssBytes: number };
  targets: { readyMs: number; readyMet: boolean; bytes: number; bytesMet: boolean };
}

export interface OpenOptions {
  databaseUrl: string;
  sql: Sql;
  clauses: number;
  opens: number;
  log: (line: string) => void;
}

/**
 * A statement of `clauses` clauses under negotiation (proposals with positions, comment threads,
 * clause states), opened by its chair in Chromium `opens` times, each in a new browser context
 * (empty cache, new connections), one at a time.
 */
export async function openTimings({ databaseUrl, sql, clauses, opens, log }: OpenOptions): Promise<OpenResult> {
  const fixture = await negotiatedStatement(sql, clauses);
  const server = await startConcordInstance({ databaseUrl, cpuProfileDir });
  const browser = await launchBrowser();
  try {
    const url = `http://127.0.0.1:${server.port}`;
    const once = async () => {
      const context = await signedInContext(browser, url, fixture.chairCookie);
      try {
        return await openOnce(await context.newPage(), `${url}/documents/${fixture.documentId}`);
      } finally {
        await context.close();
      }
    };
    const first = await once();
    const runs: OpenRun[] = [];
    for (let i = 0; i < opens; i++) {
      // The room is released when its last connection leaves; the next open loads it from the database again.
      await new Promise((r) => setTimeout(r, 1000));
      runs.push(await once());
    }
    const median = {
      fcpMs: middle(runs.map((r) => r.fcpMs)),
      textMs: middle(runs.map((r) => r.textMs)),
      readyMs: middle(runs.map((r) => r.readyMs)),
      htmlAndDataBytes: middle(runs.map((r) => htmlAndData(r.bytes))),
      jsBytes: middle(runs.map((r) => r.bytes.js)),
      cssBytes: middle(runs.map((r) => r.bytes.css)),
    };
    return {
      clauses,
      proposals: fixture.proposals,
      comments: fixture.comments,
      first,
      runs,
      median,
      targets: {
        readyMs: readyTargetMs,
        readyMet: median.readyMs <= readyTargetMs,
        bytes: bytesTarget,
        bytesMet: median.htmlAndDataBytes <= bytesTarget,
      },
    };
  } catch (err) {
    log(`open: ${(err as Error).message}`);
    throw err;
  } finally {
    await browser.close();
    await server.stop();
  }
}

const htmlAndData = (b: OpenBytes) => b.html + b.collab + b.fetch;
const middle = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;

export function printOpen(r: OpenResult, log: (line: string) => void): void {
  log("");
  log(
    `Opening a statement of ${r.clauses} clauses (${r.proposals} proposals, ${r.comments} comments) as its chair in Chromium, ` +
      `median of ${r.runs.length} opens, each in a new browser context`,
  );
  const line = (label: string, o: OpenRun) =>
    `  ${label.padEnd(24)} first paint ${ms(o.fcpMs)} ms, text ${ms(o.textMs)} ms, editor ready ${ms(o.readyMs)} ms; ` +
    `HTML ${kb(o.bytes.html)} + collaboration ${kb(o.bytes.collab)} + fetches ${kb(o.bytes.fetch)}; JS ${kb(o.bytes.js)}, CSS ${kb(o.bytes.css)}`;
  log(line("after the server started", r.first));
  for (const [i, run] of r.runs.entries()) log(line(`open ${i + 1}`, run));
  const m = r.median;
  log(
    `  median: text painted ${ms(m.textMs)} ms, editor ready ${ms(m.readyMs)} ms — ${r.targets.readyMet ? "met" : "NOT met"} (≤ ${ms(
      r.targets.readyMs,
    )} ms); HTML + data ${kb(m.htmlAndDataBytes)} — ${r.targets.bytesMet ? "met" : "NOT met"} (≤ ${kb(r.targets.bytes)}); JS ${kb(
      m.jsBytes,
    )}, CSS ${kb(m.cssBytes)}`,
  );
}

/**
 * Records, from navigation start, the first contentful paint, the frame that paints the first
 * clause's text, and the moment the editor is synced (the connection badge says so) and editable.
 */
function pageProbe() {
  const probe: { fcp?: number; text?: number; ready?: number } = {};
  (window as unknown as { __openProbe: typeof probe }).__openProbe = probe;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.name === "first-contentful-paint") probe.fcp = e.startTime;
  }).observe({ type: "paint", buffered: true });
  const observer = new MutationObserver(() => {
    const clause = document.querySelector(".statement .clause p");
    if (probe.text === undefined && clause?.textContent?.trim()) {
      probe.text = -1;
      // The callback runs just before the frame that paints what is in the DOM now.
      requestAnimationFrame((t) => (probe.text = t));
    }
    const synced = document.querySelector('.connection-badge[data-connection="connected"]');
    const editable = document.querySelector('.statement[contenteditable="true"]');
    if (probe.ready === undefined && clause && synced && editable) {
      probe.ready = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
}

async function openOnce(page: Page, url: string): Promise<OpenRun> {
  const cdp = await page.context().newCDPSession(page);
  const bytes = await countBytes(cdp);
  await page.addInitScript(pageProbe);
  await page.goto(url, { waitUntil: "commit" });
  await page.waitForFunction(
    () => {
      const p = (window as unknown as { __openProbe?: { text?: number; ready?: number } }).__openProbe;
      return p?.ready !== undefined && p.text !== undefined && p.text >= 0;
    },
    undefined,
    { timeout: 60_000, polling: 50 },
  );
  const probe = await page.evaluate(
    () => (window as unknown as { __openProbe: { fcp?: number; text: number; ready: number } }).__openProbe,
  );
  return { fcpMs: probe.fcp ?? NaN, textMs: probe.text, readyMs: probe.ready, bytes: bytes.total() };
}

/** Bytes received, by kind, from the Chrome DevTools protocol's network events (headers included). */
async function countBytes(cdp: CDPSession): Promise<{ total(): OpenBytes }> {
  const kinds = new Map<string, keyof OpenBytes>();
  const counted: OpenBytes = { html: 0, collab: 0, fetch: 0, js: 0, css: 0, other: 0 };
  const kindOf = (type: string | undefined): keyof OpenBytes =>
    type === "Document"
      ? "html"
      : type === "Script"
        ? "js"
        : type === "Stylesheet"
          ? "css"
          : type === "Fetch" || type === "XHR" || type === "EventSource"
            ? "fetch"
            : "other";
  cdp.on("Network.requestWillBeSent", (e) => kinds.set(e.requestId, kindOf(e.type)));
  // The event stream stays open: its bytes are counted as they arrive, everything else when complete.
  cdp.on("Network.dataReceived", (e) => {
    if (kinds.get(e.requestId) === "fetch") counted.fetch += e.encodedDataLength || e.dataLength;
  });
  cdp.on("Network.loadingFinished", (e) => {
    const kind = kinds.get(e.requestId) ?? "other";
    if (kind !== "fetch") counted[kind] += e.encodedDataLength;
  });
  cdp.on("Network.webSocketFrameReceived", (e) => {
    // Binary frames come base64-encoded.
    const data = e.response.payloadData;
    counted.collab += e.response.opcode === 2 ? Buffer.byteLength(data, "base64") : Buffer.byteLength(data);
  });
  await cdp.send("Network.enable");
  return { total: () => ({ ...counted }) };
}

/**
 * A statement under negotiation, as a chair opens it in the middle of a conference: proposals
 * from six delegations on every fifth clause with co-sponsors and objections, comment threads
 * with replies on every fourth, a tenth of the clauses agreed.
 */
async function negotiatedStatement(
  sql: Sql,
  clauses: number,
): Promise<{ documentId: string; chairCookie: string; proposals: number; comments: number }> {
  const conference = await createConference(sql, { title: "Benchmark conference" });
  const content = largeStatement(clauses, 7);
  const document = await createStoredDocument(sql, {
    conferenceId: conference.id,
    title: "Large statement",
    update: statementUpdate(content),
  });
  const chair = await createSignedInPerson(sql, { conferenceId: conference.id, role: "chair", name: "Chair" });
  const delegates = await Promise.all(
    Array.from({ length: 6 }, (_, i) =>
      createSignedInPerson(sql, { conferenceId: conference.id, role: "delegate", name: `Delegate ${i + 1}` }),
    ),
  );
  const clauseNodes = (content.content ?? [])
    .slice(1)
    .flatMap((part, p) => (part.content ?? []).map((c) => ({ clause: c, part: p === 0 ? "pp" : "op" })));
  let proposals = 0;
  let comments = 0;
  const kinds = ["replace", "replace", "delete", "retain"] as const;
  for (const [i, { clause, part }] of clauseNodes.entries()) {
    const clauseId = (clause.attrs as { id: string }).id;
    const text = clauseText(clause);
    if (i % 5 === 0) {
      const sponsor = delegates[i % delegates.length];
      const kind = kinds[(i / 5) % kinds.length];
      const proposal = await createProposal(sql, {
        documentId: document.id,
        createdBy: sponsor.id,
        delegationId: sponsor.delegationId,
        kind,
        clauseId,
        part: part as "pp" | "op",
        baseText: text,
        text: kind === "replace" ? `${text.slice(0, -1)}, in line with national priorities and the standards agreed.` : "",
      });
      proposals++;
      const cosponsor = delegates[(i + 1) % delegates.length];
      const objector = delegates[(i + 2) % delegates.length];
      await createPosition(sql, {
        proposalId: proposal.id,
        delegationId: cosponsor.delegationId!,
        position: "cosponsor",
        userId: cosponsor.id,
      });
      await createPosition(sql, {
        proposalId: proposal.id,
        delegationId: objector.delegationId!,
        position: "object",
        userId: objector.id,
        reason: "The current wording reflects the balance reached in the informal consultations.",
      });
    }
    if (i % 4 === 0) {
      const author = delegates[(i + 3) % delegates.length];
      const thread = await createComment(sql, {
        documentId: document.id,
        clauseId,
        parentId: null,
        anchor: null,
        body: "Could the chair clarify whether this paragraph is meant to cover the survey and clearance of urban areas alike?",
        authorId: author.id,
        authorRole: "delegate",
        delegationId: author.delegationId,
      });
      await createComment(sql, {
        documentId: document.id,
        clauseId,
        parentId: thread,
        anchor: null,
        body: "It is: the wording follows the agreed language of the previous conference.",
        authorId: chair.id,
        authorRole: "chair",
        delegationId: null,
      });
      comments += 2;
    }
    if (i % 10 === 9) await createClauseState(sql, { documentId: document.id, clauseId, state: "agreed", userId: chair.id });
  }
  return { documentId: document.id, chairCookie: chair.cookie, proposals, comments };
}

const clauseText = (clause: JSONContent): string =>
  (clause.content ?? []).flatMap((p) => (p.content ?? []).map((t) => t.text ?? "")).join("");
