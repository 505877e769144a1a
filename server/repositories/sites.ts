import type { Knex } from 'knex';
import { type Db, TableRepo } from './table.js';
import type { Site } from './types.js';

export class SiteRepo extends TableRepo<Site> {
  constructor(db: Knex) {
    super(db, 'sites', ['capacity_estimated', 'earmarked_until_estimated']);
  }

  async usedByLedger(id: number, db: Db = this.db): Promise<boolean> {
    const r = await db('moves').where('from_site_id', id).orWhere('to_site_id', id).first('id');
    return Boolean(r);
  }

  /** Every site's position and district, for deriving districts again. */
  async positions(db: Db = this.db): Promise<{ id: number; lat: number; lon: number; district_id: number | null }[]> {
    return this.query(db).select('id', 'lat', 'lon', 'district_id');
  }

  /** Sets the derived district of a site (no version bump: it is derived, not edited). */
  async setDistrict(id: number, districtId: number | null, db: Db = this.db): Promise<void> {
    await this.query(db).where({ id }).update({ district_id: districtId });
  }

  async clearDistrict(districtId: number, db: Db = this.db): Promise<void> {
    await this.query(db).where({ district_id: districtId }).update({ district_id: null });
  }
}
