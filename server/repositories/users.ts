import type { Knex } from 'knex';
import { type Db, TableRepo } from './table.js';
import type { User } from './types.js';

export class UserRepo extends TableRepo<User> {
  constructor(db: Knex) {
    super(db, 'users', ['active']);
  }

  async byUsername(username: string, db: Db = this.db): Promise<User | undefined> {
    const row = await this.query(db).where({ username }).first();
    return row ? this.map(row) : undefined;
  }

  /** The user linked to an account at the single sign-on provider. */
  async byOidcSubject(issuer: string, subject: string, db: Db = this.db): Promise<User | undefined> {
    const row = await this.query(db).where({ oidc_issuer: issuer, oidc_subject: subject }).first();
    return row ? this.map(row) : undefined;
  }

  async byFeedToken(token: string, db: Db = this.db): Promise<User | undefined> {
    const row = await this.query(db).where({ feed_token: token }).first();
    return row ? this.map(row) : undefined;
  }

  async siteIds(userId: number, db: Db = this.db): Promise<number[]> {
    const rows = await db('user_sites').where({ user_id: userId }).orderBy('site_id');
    return rows.map((r: { site_id: number }) => r.site_id);
  }

  async setSites(userId: number, siteIds: readonly number[], db: Db = this.db): Promise<void> {
    await db('user_sites').where({ user_id: userId }).del();
    if (siteIds.length) await db('user_sites').insert(siteIds.map((site_id) => ({ user_id: userId, site_id })));
  }
}
