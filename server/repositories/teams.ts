import type { Knex } from 'knex';
import { type Db, TableRepo } from './table.js';
import type { Team } from './types.js';

export class TeamRepo extends TableRepo<Team> {
  constructor(db: Knex) {
    super(db, 'teams');
  }
  async anyInDistrict(districtId: number, db: Db = this.db): Promise<boolean> {
    return Boolean(await this.query(db).where({ district_id: districtId }).first('id'));
  }
}
