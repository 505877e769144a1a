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

  constructor(private readonly repo: RateLimitRepo) {}

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  private key(key: string): string {
    return (this.prefix + key).slice(0, 200);
  }

  async increment(key: string): Promise<IncrementResponse> {
    const now = Date.now();
    const { hits, resetAt } = await this.repo.hit(this.key(key), now, this.windowMs);
    if (++this.calls % 100 === 0) await this.repo.prune(now); // forget old windows now and then
    return { totalHits: hits, resetTime: new Date(resetAt) };
  }

  /** A successful login gives its attempt back, after the answer went out: a failure here is harmless. */
  async decrement(key: string): Promise<void> {
    await this.repo.unhit(this.key(key)).catch(() => undefined);
  }

  async resetKey(key: string): Promise<void> {
    await this.repo.reset(this.key(key));
  }
}
