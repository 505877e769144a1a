import type { Knex } from 'knex';
import { type Db, TableRepo } from './table.js';
import type { Unit } from './types.js';

export class UnitRepo extends TableRepo<Unit> {
  constructor(db: Knex) {
    super(db, 'units', ['public_facing']);
  }
  async anyInTeam(teamId: number, db: Db = this.db): Promise<boolean> {
    return Boolean(await this.query(db).where({ team_id: teamId }).first('id'));
  }
}
