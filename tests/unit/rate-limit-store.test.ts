import { describe, expect, it } from 'vitest';
import { DbRateLimitStore } from '../../server/auth/rate-limit-store.js';
import type { RateLimitRepo } from '../../server/repositories/index.js';

/** Counters in memory whose giving back takes a while, as a busy database's would. */
function slowRepo(returnMs: number) {
  const hits = new Map<string, number>();
  const repo = {
    hit: async (key: string, now: number, windowMs: number) => {
      hits.set(key, (hits.get(key) ?? 0) + 1);
      return { hits: hits.get(key)!, resetAt: now + windowMs };
    },
    unhit: async (key: string) => {
      await new Promise((r) => setTimeout(r, returnMs));
      hits.set(key, Math.max(0, (hits.get(key) ?? 0) - 1));
    },
    reset: async (key: string) => void hits.delete(key),
    prune: async () => undefined,
  };
  return repo as unknown as RateLimitRepo;
}

describe('the login attempt counter', () => {
  it('when logins succeed one after another, then each gives its attempt back before the next is counted, however slow the database', async () => {
    const store = new DbRateLimitStore(slowRepo(30));
    for (let i = 0; i < 5; i++) {
      // what express-rate-limit does: count the attempt, answer, give it back once the answer went out (not awaited)
      expect((await store.increment('user:viewer')).totalHits).toBe(1);
      void store.decrement('user:viewer');
    }
    // a failure after them counts as the first
    expect((await store.increment('user:viewer')).totalHits).toBe(1);
    expect((await store.increment('user:viewer')).totalHits).toBe(2);
    // another key does not wait
    expect((await store.increment('user:other')).totalHits).toBe(1);
  });
});
