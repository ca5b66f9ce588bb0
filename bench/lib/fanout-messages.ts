// What the fan-out case's coordinator (bench/fanout.ts) and its page processes (bench/fanout-pages.ts) say to each other.

export interface PageSpec {
  index: number;
  role: "chair" | "secretariat" | "delegate" | "observer";
  cookie: string;
}

/** One event-stream message as a page received it. */
export interface ReceivedMessage {
  topic: string;
  /** The statement's version the message announces (the new protocol), if it says. */
  version: string | null;
  at: number;
  /** The stream's bytes that came with it (keep-alives before it included). */
  bytes: number;
  /** When the page was current with it: the patch applied, or the first reload started after it completed. */
  currentAt: number | null;
  /** Current by its patch, without a reload. */
  patched: boolean;
}

export interface PageReport {
  index: number;
  role: PageSpec["role"];
  messages: ReceivedMessage[];
  /** From the start of the events phase: the event stream's bytes, the reloads' bytes and count. */
  sseBytes: number;
  reloadBytes: number;
  reloads: number;
  reloadFailures: number;
  /** Why the last failed reload failed. */
  reloadError: string | null;
  drops: number;
}

export type FanoutToWorker =
  | { type: "open"; baseUrl: string; documentId: string; pages: PageSpec[]; concurrency: number }
  | { type: "measure" }
  | { type: "status" }
  | { type: "finish" };

export type FanoutFromWorker =
  | { type: "ready" }
  | { type: "error"; message: string }
  | { type: "opened"; htmlBytes: number[]; dataBytes: number[]; failures: string[]; versions: (string | null)[] }
  | { type: "measuring" }
  | { type: "status"; pages: number; received: number; current: number; busy: number }
  | { type: "report"; pages: PageReport[] };
