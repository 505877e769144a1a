import type { Knex } from 'knex';
import { type Db, type Row, TableRepo } from './table.js';

export type RoomUse = 'office' | 'counter' | 'meeting' | 'waiting' | 'archive' | 'other';
export const ROOM_USES: readonly RoomUse[] = ['office', 'counter', 'meeting', 'waiting', 'archive', 'other'];

/** A room under a floor. */
export interface Room {
  id: number;
  floor_id: number;
  number: string;
  name: string | null;
  use: RoomUse;
  workplaces: number;
  area_m2: number | null;
  version: number;
  updated_by: number | null;
  created_at: string;
  updated_at: string;
}

/** The rooms of floors. */
export class RoomRepo extends TableRepo<Room> {
  constructor(db: Knex) {
    super(db, 'rooms');
  }

  async ofFloor(floorId: number, db: Db = this.db): Promise<Room[]> {
    const rows: Row[] = await this.query(db)
      .where({ floor_id: floorId })
      .orderBy([{ column: 'number' }, { column: 'id' }]);
    return rows.map((r) => this.map(r));
  }

  /** The rooms of a site's floors. */
  async ofSite(siteId: number, db: Db = this.db): Promise<Room[]> {
    const rows: Row[] = await this.query(db)
      .whereIn('floor_id', db('floors').select('id').where({ site_id: siteId }))
      .orderBy([{ column: 'number' }, { column: 'id' }]);
    return rows.map((r) => this.map(r));
  }

  async byNumber(floorId: number, number: string, db: Db = this.db): Promise<Room | undefined> {
    const row = await this.query(db).where({ floor_id: floorId, number }).first();
    return row ? this.map(row) : undefined;
  }

  /** Σ workplaces of a floor's rooms (null: the floor has no rooms). */
  async totalOfFloor(floorId: number, db: Db = this.db): Promise<number | null> {
    const r = await this.query(db).where({ floor_id: floorId }).count<{ n: number | string }[]>({ n: '*' }).sum({ w: 'workplaces' });
    const row = r[0] as unknown as { n: number | string; w: number | string | null };
    return Number(row.n) > 0 ? Number(row.w ?? 0) : null;
  }

  async deleteForFloor(floorId: number, db: Db = this.db): Promise<void> {
    await this.query(db).where({ floor_id: floorId }).del();
  }
}
