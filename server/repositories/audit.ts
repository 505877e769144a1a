import type { Knex } from 'knex';
import { type Clock, type Db, chunks, rowsPerInsert, systemClock } from './table.js';

export interface AuditEntry {
  id: number;
  at: string;
  user_id: number | null;
  username: string | null;
  action: string;
  entity: string;
  entity_id: number | null;
  before: string | null;
  after: string | null;
}

/** Which entries: by kind and record, by who (the name the entry carries; `system` for the server), by day (ISO dates, both inclusive). */
export interface AuditFilter {
  entity?: string;
  entity_id?: number;
  username?: string;
  from?: string;
  to?: string;
}

/** Records an audit entry can name; `move` and `site_event` are named after their unit and site. */
export type NamedKind = 'site' | 'unit' | 'team' | 'district' | 'scenario' | 'project' | 'place' | 'user' | 'move' | 'site_event' | 'floor';

const NAME_COLUMN: Record<Exclude<NamedKind, 'move' | 'site_event' | 'user'>, string> = {
  site: 'sites',
  unit: 'units',
  team: 'teams',
  district: 'districts',
  scenario: 'scenarios',
  project: 'projects',
  place: 'places',
  floor: 'floors',
};
/** Bound variables per statement stay far below SQLite's and PostgreSQL's limits. */
const CHUNK = 500;

/** The day after an ISO date (the end of a date range, exclusive). */
function dayAfter(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

export class AuditRepo {
  /** when a write happens (set by createRepos) */
  clock: Clock = systemClock;
  constructor(private readonly db: Knex) {}

  async record(
    entry: { user_id: number | null; username: string | null; action: string; entity: string; entity_id: number | null; before?: unknown; after?: unknown },
    db: Db = this.db,
  ): Promise<void> {
    await db('audit_log').insert({
      at: this.clock(),
      user_id: entry.user_id,
      username: entry.username,
      action: entry.action,
      entity: entry.entity,
      entity_id: entry.entity_id,
      before: entry.before === undefined || entry.before === null ? null : JSON.stringify(entry.before),
      after: entry.after === undefined || entry.after === null ? null : JSON.stringify(entry.after),
    });
  }

  /** Records many entries (a bulk write's per-record entries) in pieces under the engines' limits. */
  async recordMany(
    entries: readonly {
      user_id: number | null;
      username: string | null;
      action: string;
      entity: string;
      entity_id: number | null;
      before?: unknown;
      after?: unknown;
    }[],
    db: Db = this.db,
  ): Promise<void> {
    const at = this.clock();
    const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));
    const rows = entries.map((e) => ({
      at,
      user_id: e.user_id,
      username: e.username,
      action: e.action,
      entity: e.entity,
      entity_id: e.entity_id,
      before: json(e.before),
      after: json(e.after),
    }));
    for (const part of chunks(rows, rowsPerInsert(8))) await db('audit_log').insert(part);
  }

  /** Deletes entries recorded before the ISO timestamp; returns how many. */
  async pruneBefore(iso: string, db: Db = this.db): Promise<number> {
    return Number(await db('audit_log').where('at', '<', iso).del());
  }

  private filtered(f: AuditFilter) {
    const q = this.db('audit_log');
    if (f.entity) q.where('entity', f.entity);
    if (f.entity_id !== undefined) q.where('entity_id', f.entity_id);
    if (f.username) q.where('username', f.username);
    // `at` is an ISO timestamp: text order is time order on both databases
    if (f.from) q.where('at', '>=', f.from);
    if (f.to) q.where('at', '<', dayAfter(f.to));
    return q;
  }

  async find(f: AuditFilter & { limit?: number; offset?: number }): Promise<AuditEntry[]> {
    return this.filtered(f)
      .orderBy('id', 'desc')
      .limit(f.limit ?? 100)
      .offset(f.offset ?? 0);
  }

  async count(f: AuditFilter): Promise<number> {
    const row = (await this.filtered(f).count({ n: '*' }).first()) as { n: number | string } | undefined;
    return Number(row?.n ?? 0);
  }

  /** Everyone who appears in the log (for the page's filter), by name. */
  async usernames(): Promise<string[]> {
    const rows = (await this.db('audit_log').distinct('username').whereNotNull('username').orderBy('username')) as { username: string }[];
    return rows.map((r) => r.username);
  }

  /**
   * The names of records by id, for the log in words: a site's, unit's … name, a user's display
   * name or user name, a move's unit, an event's site. Records deleted since are missing.
   */
  async names(kind: NamedKind, ids: readonly number[]): Promise<Map<number, string>> {
    const out = new Map<number, string>();
    for (let i = 0; i < ids.length; i += CHUNK) {
      const part = ids.slice(i, i + CHUNK);
      let rows: { id: number; name: string | null }[];
      if (kind === 'user') {
        rows = (await this.db('users').select('id', 'username', 'display_name').whereIn('id', part)).map(
          (u: { id: number; username: string; display_name: string | null }) => ({ id: u.id, name: u.display_name || u.username }),
        );
      } else if (kind === 'move') {
        rows = await this.db('moves').join('units', 'units.id', 'moves.unit_id').select('moves.id as id', 'units.name as name').whereIn('moves.id', part);
      } else if (kind === 'site_event') {
        rows = await this.db('site_events')
          .join('sites', 'sites.id', 'site_events.site_id')
          .select('site_events.id as id', 'sites.name as name')
          .whereIn('site_events.id', part);
      } else {
        rows = await this.db(NAME_COLUMN[kind]).select('id', 'name').whereIn('id', part);
      }
      for (const r of rows) if (r.name) out.set(Number(r.id), r.name);
    }
    // a record deleted since (an adopted scenario): its name as the log last recorded it
    const gone = ids.filter((id) => !out.has(id));
    if (gone.length && kind !== 'move' && kind !== 'site_event') {
      for (let i = 0; i < gone.length; i += CHUNK) {
        const rows = (await this.db('audit_log')
          .select('entity_id', 'before', 'after')
          .where('entity', kind)
          .whereIn('entity_id', gone.slice(i, i + CHUNK))
          .orderBy('id', 'desc')) as { entity_id: number; before: string | null; after: string | null }[];
        for (const r of rows) {
          if (out.has(Number(r.entity_id))) continue;
          const rec = JSON.parse(r.after ?? r.before ?? '{}') as { name?: unknown; username?: unknown };
          const name = rec.name ?? rec.username ?? (JSON.parse(r.before ?? '{}') as { name?: unknown }).name;
          if (typeof name === 'string') out.set(Number(r.entity_id), name);
        }
      }
    }
    return out;
  }
}
