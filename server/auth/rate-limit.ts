/**
 * Counts events per key in a sliding window. Sign-in uses one per account and one per address,
 * so guessing one password is slow and spraying many accounts from one address is too.
 */
export class RateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  private recent(key: string, now: number): number[] {
    const list = (this.hits.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (list.length === 0) this.hits.delete(key);
    else this.hits.set(key, list);
    return list;
  }

  /** Milliseconds until another attempt is allowed; 0 when allowed now. */
  retryAfter(key: string, now = Date.now()): number {
    const list = this.recent(key, now);
    return list.length < this.limit ? 0 : this.windowMs - (now - list[0]);
  }

  hit(key: string, now = Date.now()): void {
    const list = this.recent(key, now);
    list.push(now);
    this.hits.set(key, list);
  }

  reset(key: string): void {
    this.hits.delete(key);
  }
}
