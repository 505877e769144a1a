import type session from 'express-session';
import { ConnectSessionKnexStore } from 'connect-session-knex';
import type { Knex } from 'knex';
import type { ReadStart, RevisionRepo } from './revision.js';
import type { SessionRepo } from './sessions.js';

interface Cached {
  /** the session as stored (JSON), parsed anew for each request: express-session changes its copy */
  json: string;
  /** the change signal's token when it was read (see server/db/change-signal.ts) */
  token: string;
  /** when the stored session expires (ms) */
  expires: number;
  /** when it was read from or written to the database (ms) */
  at: number;
}

/**
 * Sessions in the database (shared by all processes), with a short-lived copy in this process.
 *
 * - A session read is kept at most `maxAgeMs` (SESSION_CACHE_MS), and only while the database's
 *   change signal says that no process has committed anything since it was read: a request is
 *   then answered without asking the database. What this process does to a session (a login, a
 *   save, a logout) updates or drops its copy at once and tells the other processes (PostgreSQL:
 *   NOTIFY; SQLite: the commit itself). A credential change ends sessions through the user's
 *   session epoch, read per data revision (every write bumps it; see RevisionRepo).
 * - A rolling session is touched at most once a minute per process instead of on every request,
 *   so reads do not turn into writes.
 */
export class ThrottledSessionStore extends ConnectSessionKnexStore {
  private readonly touched = new Map<string, number>();
  private readonly cache = new Map<string, Cached>();
  /** counts this process's session writes: a read that began before one does not keep its copy */
  private writes = 0;
  static readonly MAX_CACHED = 20_000;

  constructor(
    private readonly knex: Knex,
    private readonly sessions: SessionRepo,
    private readonly revision: RevisionRepo,
    private readonly maxAgeMs = 0,
  ) {
    // A failed pruning of expired sessions is retried at the next one; meanwhile a read never returns an expired session.
    super({ knex, tableName: 'sessions', createTable: false, cleanupInterval: 15 * 60 * 1000, onDbCleanupError: () => undefined });
    // The base class checks its table at once, unawaited: a failure then (a shutdown right after the start,
    // the database away) reaches the next operation that awaits `ready`, not the process as an unhandled rejection.
    this.ready.catch(() => undefined);
  }

  /** The session from this process's copy, if it is recent and not expired. */
  private cached(sid: string): session.SessionData | null | undefined {
    const hit = this.cache.get(sid);
    if (!hit) return undefined;
    // Date.now(), as express-session uses for the cookie's expiry (tests move that clock)
    const now = Date.now();
    if (now - hit.at >= this.maxAgeMs || now < hit.at || hit.expires < now || this.revision.signal.token() !== hit.token) {
      this.cache.delete(sid);
      return undefined;
    }
    return JSON.parse(hit.json) as session.SessionData;
  }

  private keep(sid: string, json: string, expires: number, start: ReadStart, writes: number): void {
    if (!this.revision.mayKeep(start) || writes !== this.writes) return;
    if (this.cache.size >= ThrottledSessionStore.MAX_CACHED) this.cache.clear();
    this.cache.set(sid, { json, expires, at: Date.now(), token: start.token });
  }

  private forget(sid: string): void {
    this.cache.delete(sid);
    this.writes++;
  }

  /**
   * Reads the session and the data revision in one query (the revision repository keeps the value
   * while the change signal allows, so the request's planning reads need not ask again), unless
   * this process's copy answers. A database error goes to the callback only
   * (express-session answers it as 503): the base class also rethrows it, which nobody awaits,
   * and an unhandled rejection would end the process.
   */
  override async get(sid: string, callback?: (err: unknown, session?: session.SessionData | null) => void): Promise<session.SessionData | null> {
    let sess = this.cached(sid) ?? null;
    if (!sess) {
      try {
        await this.ready;
        const start = this.revision.readStart();
        const writes = this.writes;
        const row = await this.sessions.getWithRevision(sid, new Date(Date.now()).toISOString());
        if (row) {
          const json = typeof row.sess === 'string' ? row.sess : JSON.stringify(row.sess);
          sess = JSON.parse(json) as session.SessionData;
          this.keep(sid, json, Date.parse(row.expired), start, writes);
          this.revision.remember(row.revision, start);
        }
      } catch (err) {
        if (callback) {
          callback(err);
          return null;
        }
        throw err;
      }
    }
    callback?.(null, sess);
    return sess;
  }

  override async set(sid: string, sess: session.SessionData, callback?: (err?: unknown) => void): Promise<void> {
    this.forget(sid);
    return settle(async () => {
      await super.set(sid, sess);
      this.forget(sid);
      await this.revision.signal.notify(this.knex);
    }, callback);
  }

  override async destroy(sid: string, callback?: (err?: unknown) => void): Promise<number> {
    this.forget(sid);
    let n = 0;
    await settle(async () => {
      n = await super.destroy(sid);
      this.forget(sid);
      await this.revision.signal.notify(this.knex);
    }, callback);
    return n;
  }

  override async touch(sid: string, session: session.SessionData, callback?: () => void): Promise<void> {
    const now = Date.now();
    if (now - (this.touched.get(sid) ?? 0) < 60_000) {
      callback?.();
      return;
    }
    if (this.touched.size > 50_000) this.touched.clear();
    this.touched.set(sid, now);
    this.forget(sid);
    return settle(() => super.touch(sid, session), callback);
  }
}

/** Runs a store operation and reports to the callback (if any) instead of rejecting unobserved. */
async function settle(op: () => Promise<unknown>, callback?: (err?: unknown) => void): Promise<void> {
  if (!callback) {
    await op();
    return;
  }
  let failed: unknown = null;
  try {
    await op();
  } catch (err) {
    failed = err ?? new Error('session store failed');
  }
  if (failed) callback(failed);
  else callback();
}
