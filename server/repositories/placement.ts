import type { Knex } from 'knex';
import type { PlanMove } from '../planning/types.js';
import { LEDGER_COLUMNS } from './moves.js';
import { type Db, insertChunked } from './table.js';

export interface NewScenarioMove {
  unit_id: number;
  from_site_id: number | null;
  /** the floor of from_site_id people leave (absent: none named) */
  from_floor_id?: number | null;
  to_site_id: number;
  headcount: number;
}

/** What applying a placement proposal writes: a scenario's moves, copied or new. */
export class PlacementRepo {
  constructor(private readonly db: Knex) {}

  /** Copies another scenario's moves and site events into a new one. */
  async copyScenario(fromId: number, toId: number, stamp: Record<string, unknown>, db: Db = this.db): Promise<void> {
    const strip = <T extends Record<string, unknown>>(r: T) => {
      const { id: _id, ...rest } = r;
      return { ...rest, scenario_id: toId, ...stamp };
    };
    await insertChunked(db, 'moves', (await db('moves').where({ scenario_id: fromId })).map(strip));
    await insertChunked(db, 'site_events', (await db('site_events').where({ scenario_id: fromId })).map(strip));
  }

  /** Inserts proposed moves of one date into a scenario; returns their ids. */
  async insertMoves(
    scenarioId: number,
    date: string,
    moves: readonly NewScenarioMove[],
    note: string,
    stamp: Record<string, unknown>,
    db: Db = this.db,
  ): Promise<number[]> {
    return insertChunked(
      db,
      'moves',
      moves.map((m) => ({
        unit_id: m.unit_id,
        from_site_id: m.from_site_id,
        from_floor_id: m.from_floor_id ?? null,
        to_site_id: m.to_site_id,
        headcount: m.headcount,
        date,
        status: 'proposed',
        scenario_id: scenarioId,
        note,
        ...stamp,
      })),
    );
  }

  /** The ledger rows of the baseline and one scenario (for the headcount rule). */
  async ledger(scenarioId: number, db: Db = this.db): Promise<PlanMove[]> {
    return (await db('moves')
      .where((w) => w.whereNull('scenario_id').orWhere('scenario_id', scenarioId))
      .select('id', ...LEDGER_COLUMNS)) as PlanMove[];
  }
}
