import type { Knex } from 'knex';
import { rowsOf } from '../db/knex.js';

/** The sessions table (written by connect-session-knex): the one read every request makes. */
export class SessionRepo {
  constructor(private readonly db: Knex) {}
  /**
   * The session, its expiry and the data revision in one query. Raw SQL (portable): it runs on
   * every request the session cache cannot answer, and building it with the query builder costs
   * more than running it.
   */
  async getWithRevision(sid: string, nowIso: string): Promise<{ sess: unknown; expired: string; revision: number } | undefined> {
    const rows = rowsOf<{ sess: unknown; expired: string | Date; revision: number | string }>(
      await this.db.raw(
        'select sess, expired, (select revision from plan_revision where id = 1) as revision from sessions where sid = ? and expired >= ? limit 1',
        [sid, nowIso],
      ),
    );
    const row = rows[0];
    return row ? { sess: row.sess, expired: new Date(row.expired).toISOString(), revision: Number(row.revision) } : undefined;
  }
}
