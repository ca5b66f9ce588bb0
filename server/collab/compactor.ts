export interface CompactorOptions {
  /** Folds the log into the snapshot; appends may go on meanwhile. */
  compact(): Promise<unknown>;
  /** Rows appended since the last compaction after which the next one starts. */
  after: number;
  log(msg: string, err?: unknown): void;
}

/**
 * When a room folds its update log into the snapshot: in the background, so that editing is never
 * held up, and one at a time. Loading a document reads its whole log, so a log left to grow makes
 * every cold open slower; compacting after every write would cost a rewrite per keystroke.
 */
export class Compactor {
  private rows = 0;
  private running: Promise<void> | null = null;

  /** `name` is what the log calls the document. */
  constructor(
    private readonly name: string,
    private readonly options: CompactorOptions,
  ) {}

  /** Rows were added to the log (or found there on loading). */
  appended(rows: number): void {
    this.rows += rows;
  }

  /** Starts a compaction if enough rows were appended since the last one. */
  compactIfDue(): void {
    if (this.rows >= this.options.after) this.compact();
  }

  /** Starts a compaction unless one is under way; rows appended from now on count towards the next. */
  compact(): void {
    if (this.running) return;
    this.rows = 0;
    this.running = this.options
      .compact()
      .then(() => undefined)
      // A failed compaction loses nothing (the log is still there); the next threshold tries again.
      .catch((err) => this.options.log(`compacting ${this.name} failed`, err))
      .finally(() => (this.running = null));
  }

  /** Resolves once the compaction under way, if any, is over. */
  async finished(): Promise<void> {
    if (this.running) await this.running;
  }
}
