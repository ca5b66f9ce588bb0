import type { Endpoint } from "./client";

/** One simulated participant, hosted by a worker process. */
export interface ClientSpec {
  index: number;
  /** typist: types tagged words into one clause; observer: reads; writer: builds cold-load history. */
  role: "typist" | "observer" | "writer";
  /** typists: their number (0…) and clause */
  typist?: number;
  clause?: number;
  /** Which server instance it is connected to (0 unless several). */
  instance: number;
  endpoint: Endpoint;
  name: string;
}

/** [tag, sent at (ms, machine clock), sender's client index, sender's instance] */
export type SentEdit = [string, number, number, number];

export type ToWorker =
  | { type: "connect"; clients: ClientSpec[]; t0: number; timeoutMs: number }
  | { type: "type"; startAt: number; seconds: number; perSecond: number; typists: number }
  /** Wait for these edits (see worker.ts); `reports`: with every client's digest etc. */
  | { type: "expect"; edits: SentEdit[]; timeoutMs: number; stallMs: number; reports: boolean }
  | { type: "probe"; index: number; tag: string }
  | { type: "history"; edits: number; paceMs: number; seed: number; timeoutMs: number }
  | { type: "digest" }
  | { type: "presence" }
  | { type: "disconnect" };

export interface ClientReport {
  index: number;
  digest: string;
  saved: boolean;
  readOnly: boolean | null;
  reconnects: number;
  closes: number[];
}

export type FromWorker =
  | { type: "ready" }
  | { type: "connected"; synced: [number, number][]; failed: [number, string][] }
  | { type: "typed"; sent: SentEdit[] }
  | { type: "probed"; sentAt: number }
  | {
      type: "results";
      /** the client indices of this worker's receivers, in the order of `latency`'s rows */
      receivers: number[];
      /**
       * receivers × edits (in the order of the "expect" message), row-major: ms from the edit to
       * the receiver's document containing it; NaN when it never arrived, 0 for a receiver's own edit
       */
      latency: Float64Array;
      clients: ClientReport[];
      /** errors that no provider handled (e.g. a socket error while connecting) */
      uncaught: string[];
    }
  | { type: "history-done"; edits: number; unsaved: number; stateVectors: [number, string][] }
  | { type: "digests"; clients: ClientReport[]; stateVectors: [number, string][] }
  | { type: "presence"; fewest: number }
  | { type: "disconnected" }
  | { type: "error"; message: string };
