import type { Knex } from 'knex';
import { type Db, type Row, TableRepo } from './table.js';

/** A warning a planner acknowledged for its subject (code + team, site or unit), with a reason. */
export interface Acknowledgement {
  id: number;
  code: string;
  team_id: number | null;
  site_id: number | null;
  unit_id: number | null;
  reason: string;
  /** the last day it holds (null: until withdrawn) */
  until: string | null;
  version: number;
  updated_by: number | null;
  created_at: string;
  updated_at: string;
}

/** Acknowledged warnings (SPEC section 16). */
export class AcknowledgementRepo extends TableRepo<Acknowledgement> {
  constructor(db: Knex) {
    super(db, 'acknowledgements');
  }

  /** Every acknowledgement with the names of its subject and of who wrote it, by code and id. */
  async listNamed(
    db: Db = this.db,
  ): Promise<(Acknowledgement & { team: string | null; site: string | null; unit: string | null; updated_by_name: string | null })[]> {
    const rows: Row[] = await this.query(db)
      .leftJoin('teams', 'teams.id', 'acknowledgements.team_id')
      .leftJoin('sites', 'sites.id', 'acknowledgements.site_id')
      .leftJoin('units', 'units.id', 'acknowledgements.unit_id')
      .leftJoin('users', 'users.id', 'acknowledgements.updated_by')
      .select('acknowledgements.*', 'teams.name as team', 'sites.name as site', 'units.name as unit', 'users.username as updated_by_name')
      .orderBy([{ column: 'acknowledgements.code' }, { column: 'acknowledgements.id' }]);
    return rows.map((r) => this.map(r) as Acknowledgement & { team: string | null; site: string | null; unit: string | null; updated_by_name: string | null });
  }
}
