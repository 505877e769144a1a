import type { IncrementResponse, Options, Store } from 'express-rate-limit';
import type { RateLimitRepo } from '../repositories/index.js';

/**
 * express-rate-limit's counter in the database, so that several app processes share one limit
 * (in memory, each process would allow the full number of attempts).
 */
export class DbRateLimitStore implements Store {
  localKeys = false;
  prefix = 'login:';
  private windowMs = 15 * 60 * 1000;
  private calls = 0;
  /** attempts of successful logins being given back, per key: the key's next attempt is counted after them */
  private readonly returning = new Map<string, Promise<void>>();

  constructor(private readonly repo: RateLimitRepo) {}

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  private key(key: string): string {
    return (this.prefix + key).slice(0, 200);
  }

  async increment(key: string): Promise<IncrementResponse> {
    // a success just before (its attempt given back after its answer went out) does not count against this one
    await this.returning.get(this.key(key));
    const now = Date.now();
    const { hits, resetAt } = await this.repo.hit(this.key(key), now, this.windowMs);
    if (++this.calls % 100 === 0) await this.repo.prune(now); // forget old windows now and then
    return { totalHits: hits, resetTime: new Date(resetAt) };
  }

  /** A successful login gives its attempt back, after the answer went out: a failure here is harmless. */
  async decrement(key: string): Promise<void> {
    const k = this.key(key);
    const before = this.returning.get(k);
    const done = (async () => {
      await before;
      await this.repo.unhit(k).catch(() => undefined);
    })();
    this.returning.set(k, done);
    await done;
    if (this.returning.get(k) === done) this.returning.delete(k);
  }

  async resetKey(key: string): Promise<void> {
    await this.repo.reset(this.key(key));
  }
}
