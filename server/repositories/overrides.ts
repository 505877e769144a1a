import type { PlanOverride } from '../planning/types.js';
import type { Knex } from 'knex';
import { type Clock, type Db, type Row, chunks, rowsPerInsert, systemClock } from './table.js';

/** The fields of a baseline move or event that a scenario replaces (null is a value too). */
export type OverrideChanges = Record<string, string | number | boolean | null>;

export interface Override {
  id: number;
  scenario_id: number;
  move_id: number | null;
  event_id: number | null;
  changes: OverrideChanges;
  version: number;
  updated_by: number | null;
  created_at: string;
  updated_at: string;
}

export type OverrideTarget = { move_id: number } | { event_id: number };

/** Scenario overrides of baseline moves and events; `changes` is stored as JSON text. */
export class OverrideRepo {
  readonly table = 'scenario_overrides';
  /** when a write happens (set by createRepos) */
  clock: Clock = systemClock;
  constructor(private readonly db: Knex) {}

  private map(row: Row): Override {
    return { ...(row as unknown as Override), changes: typeof row.changes === 'string' ? JSON.parse(row.changes) : (row.changes as OverrideChanges) };
  }

  async list(where: { scenario_id?: number } = {}, db: Db = this.db): Promise<Override[]> {
    const rows = await db(this.table).where(where).orderBy('id');
    return rows.map((r: Row) => this.map(r));
  }

  /** The scenarios (ids, ascending) whose overrides send a move to or from one of the sites or floors (their ids are in the changes' JSON). */
  async scenariosNaming(kind: 'site' | 'floor', ids: readonly number[], db: Db = this.db): Promise<number[]> {
    if (ids.length === 0) return [];
    const wanted = new Set(ids);
    const fields = kind === 'site' ? (['from_site_id', 'to_site_id'] as const) : (['from_floor_id', 'to_floor_id'] as const);
    const naming = (await this.list({}, db)).filter((o) => fields.some((f) => typeof o.changes[f] === 'number' && wanted.has(o.changes[f])));
    return [...new Set(naming.map((o) => o.scenario_id))].sort((a, b) => a - b);
  }

  /** Every override as the planning engine takes it (all scenarios). */
  async listForPlan(db: Db = this.db): Promise<PlanOverride[]> {
    return (await this.list({}, db)).map((o) => ({ scenario_id: o.scenario_id, move_id: o.move_id, event_id: o.event_id, changes: o.changes }));
  }

  async get(id: number, db: Db = this.db): Promise<Override | undefined> {
    const row = await db(this.table).where({ id }).first();
    return row ? this.map(row) : undefined;
  }

  async find(scenarioId: number, target: OverrideTarget, db: Db = this.db): Promise<Override | undefined> {
    const row = await db(this.table)
      .where({ scenario_id: scenarioId, ...target })
      .first();
    return row ? this.map(row) : undefined;
  }

  async insert(scenarioId: number, target: OverrideTarget, changes: OverrideChanges, userId: number | null, db: Db = this.db): Promise<Override> {
    const now = this.clock();
    const [row] = await db(this.table)
      .insert({
        scenario_id: scenarioId,
        move_id: null,
        event_id: null,
        ...target,
        changes: JSON.stringify(changes),
        version: 1,
        updated_by: userId,
        created_at: now,
        updated_at: now,
      })
      .returning('*');
    return this.map(row);
  }

  /** Inserts many overrides of one scenario (in pieces under the engines' limits); returns them in order. */
  async insertMany(
    scenarioId: number,
    items: readonly { target: OverrideTarget; changes: OverrideChanges }[],
    userId: number | null,
    db: Db = this.db,
  ): Promise<Override[]> {
    const now = this.clock();
    const rows = items.map((i) => ({
      scenario_id: scenarioId,
      move_id: null,
      event_id: null,
      ...i.target,
      changes: JSON.stringify(i.changes),
      version: 1,
      updated_by: userId,
      created_at: now,
      updated_at: now,
    }));
    const out: Override[] = [];
    for (const part of chunks(rows, rowsPerInsert(9))) out.push(...(await db(this.table).insert(part).returning('*')).map((r: Row) => this.map(r)));
    return out;
  }

  /** Replaces the changes when `version` matches; null when the override changed meanwhile. */
  async update(id: number, version: number, changes: OverrideChanges, userId: number | null, db: Db = this.db): Promise<Override | null> {
    const n = await db(this.table)
      .where({ id, version })
      .update({ changes: JSON.stringify(changes), version: version + 1, updated_by: userId, updated_at: this.clock() });
    return n === 0 ? null : ((await this.get(id, db)) ?? null);
  }

  async delete(id: number, db: Db = this.db): Promise<number> {
    return db(this.table).where({ id }).del();
  }

  async deleteForScenario(scenarioId: number, db: Db = this.db): Promise<number> {
    return db(this.table).where({ scenario_id: scenarioId }).del();
  }

  /** The latest change of any override of the scenario (null: none). */
  async lastChange(scenarioId: number, db: Db = this.db): Promise<string | null> {
    const r = await db(this.table).where({ scenario_id: scenarioId }).max({ at: 'updated_at' }).first();
    return (r?.at as string | null) ?? null;
  }

  /**
   * Overrides whose baseline record changed after the override was last written: the scenario's
   * change rests on a record that is no longer what the planner saw.
   */
  async staleTargets(
    scenarioId: number,
    db: Db = this.db,
  ): Promise<{ override_id: number; move_id: number | null; event_id: number | null; changed_at: string }[]> {
    const [moves, events] = await Promise.all([
      db(`${this.table} as o`)
        .join('moves as m', (j) => {
          j.on('m.id', '=', 'o.move_id').andOn('m.updated_at', '>', 'o.updated_at');
        })
        .where('o.scenario_id', scenarioId)
        .select({ override_id: 'o.id', move_id: 'o.move_id', changed_at: 'm.updated_at' }),
      db(`${this.table} as o`)
        .join('site_events as e', (j) => {
          j.on('e.id', '=', 'o.event_id').andOn('e.updated_at', '>', 'o.updated_at');
        })
        .where('o.scenario_id', scenarioId)
        .select({ override_id: 'o.id', event_id: 'o.event_id', changed_at: 'e.updated_at' }),
    ]);
    return [
      ...moves.map((r: Row) => ({ override_id: Number(r.override_id), move_id: Number(r.move_id), event_id: null, changed_at: String(r.changed_at) })),
      ...events.map((r: Row) => ({ override_id: Number(r.override_id), move_id: null, event_id: Number(r.event_id), changed_at: String(r.changed_at) })),
    ];
  }
}
