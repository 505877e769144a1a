import type { Knex } from 'knex';
import type { Fact, PlanMove } from '../planning/types.js';
import { type Db, type Row, TableRepo } from './table.js';

/** A floor of a site (SPEC section 14): level 0 Erdgeschoss, 1 1. OG, −1 UG. */
export interface Floor {
  id: number;
  site_id: number;
  level: number;
  name: string;
  /** the floor's workplaces: typed, or the sum of its rooms' when it has rooms */
  workplaces: number;
  /** the workplaces are our estimate, not a sourced number */
  workplaces_estimated: boolean;
  area_m2: number | null;
  /** reachable without steps from the entrance (by lift or at ground level) */
  step_free_access: Fact;
  notes: string | null;
  version: number;
  updated_by: number | null;
  created_at: string;
  updated_at: string;
}

/** The floors of sites. */
export class FloorRepo extends TableRepo<Floor> {
  constructor(db: Knex) {
    super(db, 'floors', ['workplaces_estimated']);
  }

  /** A site's floors, top floor first. */
  async ofSite(siteId: number, db: Db = this.db): Promise<Floor[]> {
    const rows: Row[] = await this.query(db)
      .where({ site_id: siteId })
      .orderBy([{ column: 'level', order: 'desc' }, { column: 'id' }]);
    return rows.map((r) => this.map(r));
  }

  /** The floor of a site at a level, if there is one. */
  async atLevel(siteId: number, level: number, db: Db = this.db): Promise<Floor | undefined> {
    const row = await this.query(db).where({ site_id: siteId, level }).first();
    return row ? this.map(row) : undefined;
  }

  /** Σ workplaces of a site's floors and whether any rests on an estimate (null: the site has no floors). */
  async totalOfSite(siteId: number, db: Db = this.db): Promise<{ workplaces: number; estimated: boolean } | null> {
    const floors = await this.ofSite(siteId, db);
    if (!floors.length) return null;
    return { workplaces: floors.reduce((a, f) => a + f.workplaces, 0), estimated: floors.some((f) => f.workplaces_estimated) };
  }

  /** The ids of the sites that have floors. */
  async siteIdsWithFloors(db: Db = this.db): Promise<Set<number>> {
    const rows: { site_id: number }[] = await this.query(db).distinct('site_id');
    return new Set(rows.map((r) => Number(r.site_id)));
  }

  /** The moves (any selection, any status) that name the floor, as the engine reads them. */
  async movesNaming(id: number, db: Db = this.db): Promise<PlanMove[]> {
    const rows: Row[] = await db('moves')
      .where('from_floor_id', id)
      .orWhere('to_floor_id', id)
      .select('id', 'unit_id', 'from_site_id', 'to_site_id', 'from_floor_id', 'to_floor_id', 'headcount', 'date', 'until', 'status', 'scenario_id');
    return rows as unknown as PlanMove[];
  }

  /** Whether a move of the ledger (any selection, any status) names the floor. */
  /** The names of the units whose moves name the floor (at most `limit`, in order), and how many units there are. */
  async unitsMovingVia(id: number, limit: number, db: Db = this.db): Promise<{ names: string[]; total: number }> {
    const rows: { name: string }[] = await db('moves')
      .join('units', 'units.id', 'moves.unit_id')
      .where((q) => q.where('moves.from_floor_id', id).orWhere('moves.to_floor_id', id))
      .distinct('units.name')
      .orderBy('units.name');
    return { names: rows.slice(0, limit).map((r) => r.name), total: rows.length };
  }

  /** Whether a move names a floor of the site (the site's floors cannot go while one does). */
  async siteFloorsUsedByMoves(siteId: number, db: Db = this.db): Promise<boolean> {
    const floorsOfSite = () => this.query(db).select('id').where({ site_id: siteId });
    return Boolean(await db('moves').whereIn('from_floor_id', floorsOfSite()).orWhereIn('to_floor_id', floorsOfSite()).first('id'));
  }

  /** Deletes a site's floors and their rooms (the site is being deleted). */
  async deleteForSite(siteId: number, db: Db = this.db): Promise<void> {
    await db('rooms')
      .whereIn('floor_id', this.query(db).select('id').where({ site_id: siteId }))
      .del();
    await this.query(db).where({ site_id: siteId }).del();
  }

  /** Sets the workplaces a floor takes from its rooms (no version bump: derived, audited by the room's write). */
  async setWorkplaces(id: number, workplaces: number, db: Db = this.db): Promise<void> {
    await this.query(db).where({ id }).update({ workplaces });
  }
}
