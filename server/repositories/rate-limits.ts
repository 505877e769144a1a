import type { Knex } from 'knex';
import { rowsOf } from '../db/knex.js';

/** Counters of login attempts per key and time window, shared by every app process. */
export class RateLimitRepo {
  constructor(private readonly db: Knex) {}
  /** Counts one hit; a window that has run out starts again at 1. One statement (upsert). */
  async hit(key: string, now: number, windowMs: number): Promise<{ hits: number; resetAt: number }> {
    const rows = rowsOf<{ hits: number | string; reset_at: number | string }>(
      await this.db.raw(
        `insert into rate_limits (rkey, hits, reset_at) values (?, 1, ?)
       on conflict (rkey) do update set
         hits = case when rate_limits.reset_at <= ? then 1 else rate_limits.hits + 1 end,
         reset_at = case when rate_limits.reset_at <= ? then ? else rate_limits.reset_at end
       returning hits, reset_at`,
        [key, now + windowMs, now, now, now + windowMs],
      ),
    );
    return { hits: Number(rows[0].hits), resetAt: Number(rows[0].reset_at) };
  }
  async unhit(key: string): Promise<void> {
    await this.db('rate_limits').where('rkey', key).andWhere('hits', '>', 0).decrement('hits', 1);
  }
  async reset(key: string): Promise<void> {
    await this.db('rate_limits').where('rkey', key).del();
  }
  async prune(now: number): Promise<void> {
    await this.db('rate_limits').where('reset_at', '<', now).del();
  }
  /** Deletes counters whose window ended before `before` (ms); returns how many. */
  async pruneBefore(before: number): Promise<number> {
    return Number(await this.db('rate_limits').where('reset_at', '<', before).del());
  }
}
