import * as Y from "yjs";
import type { ClientClaims } from "./client-owners";

/** An admitted update waiting to be durable. */
export interface Write<P> {
  update: Uint8Array;
  from: P;
  /** Client ids this update is the first to use: stored in the same transaction as it. */
  claims: ClientClaims;
  /** Called once the update is durable and applied. */
  done?: () => void;
}

export interface WriteTarget<P> {
  /** Makes a batch durable, its updates merged into one; a rejection keeps the batch for the next try. */
  store(update: Uint8Array, claims: ClientClaims): Promise<void>;
  /** A batch is durable: called once per batch, in order, before the next one is stored. */
  stored(batch: readonly Write<P>[], update: Uint8Array, claims: ClientClaims): void;
  /** Writes fail (edits are held), or succeed again. */
  pausedChanged(paused: boolean): void;
  /** Everything pushed so far is durable. */
  idle(): void;
  log(msg: string, err?: unknown): void;
}

/** How long to wait before trying again after this many failures in a row. */
export const retryDelay = (failures: number) => Math.min(5000, 100 * 2 ** failures);

/**
 * A room's updates on their way to the database. Whatever arrives while a write is under way goes
 * in the next one, as one merged update: under load that is one INSERT per round trip, not per
 * keystroke. A failed write is retried, with backoff, until the database takes it; in the
 * meantime nothing is lost and nothing after it overtakes it.
 */
export class WriteQueue<P> {
  private writes: Write<P>[] = [];
  private flushing: Promise<void> | null = null;
  private paused = false;
  private closed = false;

  /** `name` is what the log calls the queue's document. */
  constructor(
    private readonly name: string,
    private readonly target: WriteTarget<P>,
    private readonly delay: (failures: number) => number = retryDelay,
  ) {}

  push(write: Write<P>): void {
    this.writes.push(write);
    // A rejection here would be unhandled, and end the process.
    this.flushing ??= this.flush()
      .catch((err) => this.target.log(`saving ${this.name} stopped`, err))
      .finally(() => (this.flushing = null));
  }

  /** Admitted and not yet durable, oldest first. */
  get pending(): readonly Write<P>[] {
    return this.writes;
  }

  /** The last write failed: edits are held until one succeeds. */
  get savingPaused(): boolean {
    return this.paused;
  }

  /** Resolves once everything pushed so far is durable (or the queue was closed). */
  async drain(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  /** Stops retrying: a room being destroyed keeps what it could not store to itself. */
  close(): void {
    this.closed = true;
  }

  private async flush(): Promise<void> {
    let failures = 0;
    while (this.writes.length > 0) {
      const batch = this.writes.slice();
      const claims: ClientClaims = new Map();
      for (const write of batch) for (const [client, owner] of write.claims) claims.set(client, owner);
      let stored: Uint8Array;
      try {
        stored = batch.length === 1 ? batch[0].update : Y.mergeUpdates(batch.map((w) => w.update));
        await this.target.store(stored, claims);
      } catch (err) {
        failures += 1;
        if (failures === 1) this.target.log(`saving ${this.name} failed; holding edits and retrying`, err);
        this.setPaused(true);
        if (this.closed) return;
        await new Promise((r) => setTimeout(r, this.delay(failures)));
        continue;
      }
      failures = 0;
      this.setPaused(false);
      this.writes.splice(0, batch.length);
      this.target.stored(batch, stored, claims);
    }
    this.target.idle();
  }

  private setPaused(paused: boolean): void {
    if (this.paused === paused) return;
    this.paused = paused;
    this.target.pausedChanged(paused);
  }
}
