import type { Knex } from 'knex';

export type Row = Record<string, unknown>;
export type Db = Knex | Knex.Transaction;
/** A write's transaction: services hand it on to repositories and never look inside. */
export type Tx = Knex.Transaction;

/** The time of a write as an ISO timestamp. Repositories take theirs from createRepos (a test injects one). */
export type Clock = () => string;
export const systemClock: Clock = () => new Date().toISOString();
/** The wall clock, for code that has no repositories (the seed); everything else asks its clock. */
export const nowIso = systemClock;

/**
 * The generic part of a repository: one table, its id, `version` and timestamps.
 * Repositories are the only users of knex; they translate rows to domain records
 * (booleans from SQLite's 0/1, JSON text columns).
 */
export class TableRepo<T extends { id: number }> {
  /** when a write happens (set by createRepos) */
  clock: Clock = systemClock;

  constructor(
    protected readonly db: Knex,
    readonly table: string,
    private readonly booleans: readonly string[] = [],
  ) {}

  protected map(row: Row): T {
    const out: Row = { ...row };
    for (const b of this.booleans) if (b in out) out[b] = out[b] === true || out[b] === 1 || out[b] === '1';
    return out as T;
  }

  query(db: Db = this.db): Knex.QueryBuilder {
    return db(this.table);
  }

  async list(where: Row = {}, db: Db = this.db): Promise<T[]> {
    const rows = await this.query(db).where(where).orderBy('id');
    return rows.map((r: Row) => this.map(r));
  }

  /**
   * Only the given columns of every row, read in pages by id: a large table (50,000 moves) never
   * sits in the driver twice over, which keeps the server's peak memory down.
   */
  async listColumns<K extends keyof T & string>(columns: readonly K[], pageSize = 5000, db: Db = this.db): Promise<Pick<T, K | 'id'>[]> {
    const cols = columns.includes('id' as K) ? [...columns] : ['id', ...columns];
    const out: Pick<T, K | 'id'>[] = [];
    let after = 0;
    for (;;) {
      const rows: Row[] = await this.query(db).select(cols).where('id', '>', after).orderBy('id').limit(pageSize);
      for (const r of rows) out.push(this.map(r) as Pick<T, K | 'id'>);
      if (rows.length < pageSize) return out;
      after = rows[rows.length - 1].id as number;
    }
  }

  async get(id: number, db: Db = this.db): Promise<T | undefined> {
    const row = await this.query(db).where({ id }).first();
    return row ? this.map(row) : undefined;
  }

  async insert(values: Row, db: Db = this.db): Promise<T> {
    const now = this.clock();
    const [row] = await this.query(db)
      .insert({ ...values, version: 1, created_at: now, updated_at: now })
      .returning('*');
    return this.map(row);
  }

  /** Updates when `version` matches; returns null when the record changed meanwhile. */
  async update(id: number, version: number, values: Row, db: Db = this.db): Promise<T | null> {
    const n = await this.query(db)
      .where({ id, version })
      .update({ ...values, version: version + 1, updated_at: this.clock() });
    if (n === 0) return null;
    return (await this.get(id, db)) ?? null;
  }

  /** Inserts many rows (version 1, timestamps now) in batches; returns their ids in order. */
  async insertMany(rows: readonly Row[], db: Db = this.db): Promise<number[]> {
    const now = this.clock();
    const ids: number[] = [];
    for (let i = 0; i < rows.length; i += 500) {
      const got = await this.query(db)
        .insert(rows.slice(i, i + 500).map((r) => ({ ...r, version: 1, created_at: now, updated_at: now })))
        .returning('id');
      ids.push(...got.map((g: { id: number } | number) => Number(typeof g === 'object' ? g.id : g)));
    }
    return ids;
  }

  /** Every id in the table. */
  async ids(db: Db = this.db): Promise<Set<number>> {
    return new Set((await this.query(db).select('id')).map((r: { id: number }) => Number(r.id)));
  }

  async delete(id: number, db: Db = this.db): Promise<number> {
    return this.query(db).where({ id }).del();
  }

  async count(db: Db = this.db): Promise<number> {
    const r = await this.query(db).count<{ n: number | string }[]>({ n: '*' });
    return Number(r[0].n);
  }
}
