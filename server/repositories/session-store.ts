import type { Knex } from 'knex';
import type session from 'express-session';
import { ConnectSessionKnexStore } from 'connect-session-knex';
import { requestScope } from '../request-scope.js';
import type { SessionRepo } from './index.js';

/**
 * Sessions in the database (shared by all processes). A rolling session is touched at most once
 * a minute per process instead of on every request, so reads do not turn into writes.
 */
export class ThrottledSessionStore extends ConnectSessionKnexStore {
  private readonly touched = new Map<string, number>();

  constructor(db: Knex, private readonly sessions: SessionRepo) {
    super({ knex: db, tableName: 'sessions', createTable: false, cleanupInterval: 15 * 60 * 1000 });
  }

  /**
   * Reads the session and the data revision in one query (the revision is then known for the request).
   * A database error goes to the callback only (express-session answers it as 503): the base class
   * also rethrows it, which nobody awaits, and an unhandled rejection would end the process.
   */
  override async get(sid: string, callback?: (err: unknown, session?: session.SessionData | null) => void): Promise<session.SessionData | null> {
    let sess: session.SessionData | null = null;
    try {
      await this.ready;
      // Date.now(), as express-session uses for the cookie's expiry (tests move that clock)
      const row = await this.sessions.getWithRevision(sid, new Date(Date.now()).toISOString());
      if (row) {
        sess = (typeof row.sess === 'string' ? JSON.parse(row.sess) : row.sess) as session.SessionData;
        const scope = requestScope.getStore();
        if (scope && !scope.revision) scope.revision = Promise.resolve(row.revision);
      }
    } catch (err) {
      if (callback) { callback(err); return null; }
      throw err;
    }
    callback?.(null, sess);
    return sess;
  }

  override async set(sid: string, sess: session.SessionData, callback?: (err?: unknown) => void): Promise<void> {
    return settle(() => super.set(sid, sess), callback);
  }

  override async destroy(sid: string, callback?: (err?: unknown) => void): Promise<number> {
    let n = 0;
    await settle(async () => { n = await super.destroy(sid); }, callback);
    return n;
  }

  override async touch(sid: string, session: session.SessionData, callback?: () => void): Promise<void> {
    const now = Date.now();
    if (now - (this.touched.get(sid) ?? 0) < 60_000) { callback?.(); return; }
    if (this.touched.size > 50_000) this.touched.clear();
    this.touched.set(sid, now);
    return settle(() => super.touch(sid, session), callback);
  }
}

/** Runs a store operation and reports to the callback (if any) instead of rejecting unobserved. */
async function settle(op: () => Promise<unknown>, callback?: (err?: unknown) => void): Promise<void> {
  if (!callback) { await op(); return; }
  let failed: unknown = null;
  try { await op(); } catch (err) { failed = err ?? new Error('session store failed'); }
  if (failed) callback(failed); else callback();
}
