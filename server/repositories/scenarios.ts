import type { Knex } from 'knex';
import { type Db, type Row, TableRepo, insertChunked } from './table.js';

export interface Scenario {
  id: number;
  name: string;
  description: string | null;
  version: number;
  updated_by: number | null;
  created_at: string;
  updated_at: string;
}

/** The plan's own tables that a scenario has records in. */
const RECORD_TABLES = ['moves', 'site_events'] as const;

/**
 * Scenarios, and the queries over the moves and events that belong to one: counts, the last change,
 * copying them into another scenario, adopting them into the baseline.
 */
export class ScenarioRepo extends TableRepo<Scenario> {
  constructor(db: Knex) {
    super(db, 'scenarios');
  }

  /** The names of the scenarios, in alphabetical order. */
  async namesOf(ids: readonly number[], db: Db = this.db): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows: { name: string }[] = await this.query(db).whereIn('id', ids).orderBy('name').select('name');
    return rows.map((r) => r.name);
  }

  /** How many moves and events the scenario has. */
  async recordCounts(id: number, db: Db = this.db): Promise<{ moves: number; events: number }> {
    const [moves, events] = await Promise.all(
      RECORD_TABLES.map(async (t) => Number((await db(t).where({ scenario_id: id }).count({ n: '*' }).first())?.n ?? 0)),
    );
    return { moves, events };
  }

  /** The latest `updated_at` of the scenario's moves and events (null: none). */
  async lastRecordChange(id: number, db: Db = this.db): Promise<string | null> {
    const rows = await Promise.all(RECORD_TABLES.map((t) => db(t).where({ scenario_id: id }).max({ at: 'updated_at' }).first()));
    return (
      rows
        .map((r) => (r?.at as string | null) ?? null)
        .filter((x): x is string => Boolean(x))
        .sort()
        .pop() ?? null
    );
  }

  /** Baseline moves and events changed after a moment: how many, and the latest change. */
  async baselineChangedSince(since: string, db: Db = this.db): Promise<{ count: number; latest: string | null }> {
    const rows = await Promise.all(
      RECORD_TABLES.map((t) => db(t).whereNull('scenario_id').where('updated_at', '>', since).count({ n: '*' }).max({ latest: 'updated_at' }).first()),
    );
    const count = rows.reduce((n, r) => n + Number(r?.n ?? 0), 0);
    const latest =
      rows
        .map((r) => r?.latest as string | null)
        .filter(Boolean)
        .sort()
        .pop() ?? null;
    return { count, latest };
  }

  /** Copies every move and event of scenario `fromId` into scenario `toId` (new ids, version 1). */
  async copyRecords(fromId: number, toId: number, userId: number, db: Db = this.db): Promise<{ moves: number; events: number }> {
    const now = this.clock();
    const strip = (r: Row) => {
      const { id: _id, ...rest } = r;
      return { ...rest, scenario_id: toId, version: 1, created_at: now, updated_at: now, updated_by: userId };
    };
    const out = { moves: 0, events: 0 };
    for (const t of RECORD_TABLES) {
      const rows: Row[] = await db(t).where({ scenario_id: fromId });
      await insertChunked(db, t, rows.map(strip));
      out[t === 'moves' ? 'moves' : 'events'] = rows.length;
    }
    return out;
  }

  /**
   * Makes the scenario's moves and events baseline: its proposed moves become approved, every record
   * loses its scenario. Returns the ids of the moves that count (not cancelled) and the number of events.
   */
  async adoptRecords(id: number, userId: number, db: Db = this.db): Promise<{ moveIds: number[]; events: number }> {
    const moveIds = (await db('moves').where({ scenario_id: id }).whereNot({ status: 'cancelled' }).select('id')).map((r: { id: number }) => r.id);
    const now = this.clock();
    await db('moves').where({ scenario_id: id }).where({ status: 'proposed' }).update({ status: 'approved', updated_at: now, updated_by: userId });
    await db('moves')
      .where({ scenario_id: id })
      .update({ scenario_id: null, updated_at: now, updated_by: userId, version: db.raw('version + 1') });
    const events = await db('site_events')
      .where({ scenario_id: id })
      .update({ scenario_id: null, updated_at: now, updated_by: userId, version: db.raw('version + 1') });
    return { moveIds, events: Number(events) };
  }

  /**
   * Adopting takes up the buildings on offer that the scenario moves people into: each becomes
   * planned, with a baseline opening on its available-from date (else the first move's). Returns them.
   */
  async takeUpCandidates(id: number, note: string, userId: number, db: Db = this.db): Promise<{ id: number; opening: string }[]> {
    const now = this.clock();
    const live = () => db('moves').where({ scenario_id: id }).whereNot({ status: 'cancelled' });
    const taken = await db('sites').where({ status: 'candidate' }).whereIn('id', live().whereNotNull('to_site_id').select('to_site_id'));
    const out: { id: number; opening: string }[] = [];
    for (const site of taken as { id: number; available_from: string | null; version: number }[]) {
      const first = await live().where({ to_site_id: site.id }).min({ date: 'date' }).first();
      const opening = site.available_from ?? (first?.date as string);
      await db('site_events').insert({
        site_id: site.id,
        scenario_id: null,
        kind: 'opening',
        date: opening,
        note,
        created_at: now,
        updated_at: now,
        updated_by: userId,
        version: 1,
      });
      await db('sites')
        .where({ id: site.id })
        .update({ status: 'planned', updated_at: now, updated_by: userId, version: site.version + 1 });
      out.push({ id: site.id, opening });
    }
    return out;
  }
}
