import type { Knex } from 'knex';
import type { PlanMove } from '../planning/types.js';
import { type Db, type Row, TableRepo } from './table.js';
import type { Move } from './types.js';

/** The columns of a move the ledger folds (the engine's PlanMove without its id): read by the planning service and the placement's headcount rule. */
export const LEDGER_COLUMNS = [
  'unit_id',
  'from_site_id',
  'to_site_id',
  'from_floor_id',
  'to_floor_id',
  'headcount',
  'date',
  'until',
  'status',
  'scenario_id',
] as const satisfies readonly (keyof Move & keyof PlanMove)[];

export interface MoveFilter {
  status?: string;
  site_id?: number;
  unit_id?: number;
  team_id?: number;
  scenario_id?: number | 'baseline';
  /** the baseline and this scenario's own moves (what a scenario's moves list shows) */
  baseline_and?: number;
  project_id?: number;
  from?: string;
  to?: string;
}

/** The order of every list of moves: by date, then id (positionOf counts in it). */
const BY_DATE = [{ column: 'moves.date' }, { column: 'moves.id' }];

export class MoveRepo extends TableRepo<Move> {
  constructor(db: Knex) {
    super(db, 'moves', ['headcount_estimated', 'date_estimated']);
  }

  async find(f: MoveFilter, db: Db = this.db): Promise<Move[]> {
    const rows = await this.filtered(f, db).select('moves.*').orderBy(BY_DATE);
    return rows.map((r: Row) => this.map(r));
  }

  /**
   * The moves a filter selects, as `find` orders them, in pages of `size` (read page by page, never
   * held whole). Their order is read first (the ids alone), so a move changed meanwhile is listed
   * once, where it stood, with its values when its page is read; a move deleted meanwhile is left out.
   */
  async *pages(f: MoveFilter, size = 2000, db: Db = this.db): AsyncGenerator<Move[]> {
    const order: Row[] = await this.filtered(f, db).select('moves.id').orderBy(BY_DATE);
    for (let i = 0; i < order.length; i += size) {
      const part = order.slice(i, i + size).map((r) => Number(r.id));
      const byId = new Map((await this.getMany(part, db)).map((m) => [m.id, m]));
      yield part.flatMap((id) => byId.get(id) ?? []);
    }
  }

  /** One page of the moves a filter selects (by date, then id), and how many it selects in all. */
  async page(f: MoveFilter, limit: number, offset: number, db: Db = this.db): Promise<{ moves: Move[]; total: number }> {
    const counted = await this.filtered(f, db).count({ n: '*' }).first();
    const rows = await this.filtered(f, db).select('moves.*').orderBy(BY_DATE).limit(limit).offset(offset);
    return { moves: rows.map((r: Row) => this.map(r)), total: Number(counted?.n ?? 0) };
  }

  /** How many of the moves a filter selects come before this one in its order (null: it selects no such move). */
  async positionOf(f: MoveFilter, id: number, db: Db = this.db): Promise<number | null> {
    const m = await this.filtered(f, db).where('moves.id', id).first('moves.date', 'moves.id');
    if (!m) return null;
    const before = await this.filtered(f, db)
      .where((w) => w.where('moves.date', '<', m.date).orWhere((x) => x.where('moves.date', m.date).where('moves.id', '<', id)))
      .count({ n: '*' })
      .first();
    return Number(before?.n ?? 0);
  }

  private filtered(f: MoveFilter, db: Db): Knex.QueryBuilder {
    const q = this.query(db);
    if (f.status) q.where('moves.status', f.status);
    if (f.unit_id !== undefined) q.where('moves.unit_id', f.unit_id);
    const siteId = f.site_id;
    if (siteId !== undefined) q.where((w) => w.where('moves.from_site_id', siteId).orWhere('moves.to_site_id', siteId));
    if (f.team_id !== undefined) q.whereIn('moves.unit_id', (db as Knex)('units').select('id').where('team_id', f.team_id));
    if (f.scenario_id === 'baseline') q.whereNull('moves.scenario_id');
    else if (f.scenario_id !== undefined) q.where('moves.scenario_id', f.scenario_id);
    if (f.project_id !== undefined) q.where('moves.project_id', f.project_id);
    if (f.from) q.where('moves.date', '>=', f.from);
    if (f.to) q.where('moves.date', '<=', f.to);
    const also = f.baseline_and;
    if (also !== undefined) q.where((w) => w.whereNull('moves.scenario_id').orWhere('moves.scenario_id', also));
    return q;
  }

  /** The ledger rows of some units: read inside a write's transaction, where the headcount rule is checked. */
  async ledgerOfUnits(
    unitIds: readonly number[],
    db: Db = this.db,
  ): Promise<
    Pick<Move, 'id' | 'unit_id' | 'from_site_id' | 'to_site_id' | 'from_floor_id' | 'to_floor_id' | 'headcount' | 'date' | 'until' | 'status' | 'scenario_id'>[]
  > {
    const rows: Row[] = await this.query(db)
      .select('id', 'unit_id', 'from_site_id', 'to_site_id', 'from_floor_id', 'to_floor_id', 'headcount', 'date', 'until', 'status', 'scenario_id')
      .whereIn('unit_id', [...new Set(unitIds)])
      .orderBy('id');
    return rows.map((r) => this.map(r));
  }

  /** Every move that belongs to a project, by date. */
  async inProjects(db: Db = this.db): Promise<Move[]> {
    const rows = await this.query(db)
      .whereNotNull('project_id')
      .orderBy([{ column: 'date' }, { column: 'id' }]);
    return rows.map((r: Row) => this.map(r));
  }

  async anyForUnit(unitId: number, db: Db = this.db): Promise<boolean> {
    return Boolean(await this.query(db).where({ unit_id: unitId }).first('id'));
  }

  /** The baseline ledger as the engine reads it (inside a write's transaction, to check its rules). */
  async baselineLedger(db: Db = this.db): Promise<PlanMove[]> {
    return this.query(db)
      .whereNull('scenario_id')
      .select('id', 'unit_id', 'from_site_id', 'to_site_id', 'from_floor_id', 'to_floor_id', 'headcount', 'date', 'until', 'status', 'scenario_id');
  }
}
