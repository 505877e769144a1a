import type { Knex } from 'knex';
import type { SiteEvent } from './types.js';
import { type Db, TableRepo } from './table.js';

/** Dated events of a site (renovation, opening, closure, capacity change). */
export class EventRepo extends TableRepo<SiteEvent> {
  constructor(db: Knex) {
    super(db, 'site_events', ['estimated']);
  }

  async deleteForSite(siteId: number, db: Db = this.db): Promise<void> {
    await this.query(db).where({ site_id: siteId }).del();
  }
}
