import type { Knex } from 'knex';
import type { IncrementResponse, Options, Store } from 'express-rate-limit';

/**
 * express-rate-limit's counter in the database, so that several app processes share one limit
 * (in memory, each process would allow the full number of attempts). One statement per attempt:
 * an upsert that starts a new window when the old one has run out.
 */
export class KnexRateLimitStore implements Store {
  localKeys = false;
  prefix = 'login:';
  private windowMs = 15 * 60 * 1000;
  private calls = 0;

  constructor(private readonly db: Knex) {}

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  async increment(key: string): Promise<IncrementResponse> {
    const now = Date.now();
    const k = (this.prefix + key).slice(0, 200);
    const result = await this.db.raw(
      `insert into rate_limits (rkey, hits, reset_at) values (?, 1, ?)
       on conflict (rkey) do update set
         hits = case when rate_limits.reset_at <= ? then 1 else rate_limits.hits + 1 end,
         reset_at = case when rate_limits.reset_at <= ? then ? else rate_limits.reset_at end
       returning hits, reset_at`,
      [k, now + this.windowMs, now, now, now + this.windowMs],
    );
    const row = (Array.isArray(result) ? result[0] : result.rows[0]) as { hits: number | string; reset_at: number | string };
    if (++this.calls % 100 === 0) await this.db('rate_limits').where('reset_at', '<', now).del(); // forget old windows now and then
    return { totalHits: Number(row.hits), resetTime: new Date(Number(row.reset_at)) };
  }

  async decrement(key: string): Promise<void> {
    await this.db('rate_limits').where('rkey', (this.prefix + key).slice(0, 200)).andWhere('hits', '>', 0).decrement('hits', 1);
  }

  async resetKey(key: string): Promise<void> {
    await this.db('rate_limits').where('rkey', (this.prefix + key).slice(0, 200)).del();
  }
}
