import type { Knex } from 'knex';
import { type Db, type Row, TableRepo } from './table.js';

export interface Project {
  id: number;
  name: string;
  description: string | null;
  version: number;
  updated_by: number | null;
  created_at: string;
  updated_at: string;
}

/** Projects (Vorhaben) and which moves and site events belong to them. */
export class ProjectRepo extends TableRepo<Project> {
  constructor(db: Knex) {
    super(db, 'projects');
  }

  async byName(db: Db = this.db): Promise<Project[]> {
    const rows = await this.query(db).orderBy([{ column: 'name' }, { column: 'id' }]);
    return rows.map((r: Row) => this.map(r));
  }

  /** How many moves and events each project has (baseline and scenarios together). */
  async counts(db: Db = this.db): Promise<Map<number, { moves: number; events: number }>> {
    const out = new Map<number, { moves: number; events: number }>();
    const [moves, events] = await Promise.all([
      db('moves').whereNotNull('project_id').groupBy('project_id').select('project_id').count<{ project_id: number; n: number | string }[]>({ n: '*' }),
      db('site_events').whereNotNull('project_id').groupBy('project_id').select('project_id').count<{ project_id: number; n: number | string }[]>({ n: '*' }),
    ]);
    for (const r of moves) out.set(r.project_id, { moves: Number(r.n), events: 0 });
    for (const r of events) out.set(r.project_id, { moves: out.get(r.project_id)?.moves ?? 0, events: Number(r.n) });
    return out;
  }

  /** Detaches every move and event from the project (before it is deleted); the records stay. */
  async detach(id: number, db: Db = this.db): Promise<void> {
    await db('moves').where({ project_id: id }).update({ project_id: null });
    await db('site_events').where({ project_id: id }).update({ project_id: null });
  }
}
