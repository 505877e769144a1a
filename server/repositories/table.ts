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
 * Bulk statements are cut into pieces the engines accept (SPEC section 13): SQLite allows 500 terms
 * in a compound SELECT (a multi-row INSERT is one) and 32,766 bound variables, PostgreSQL 65,535
 * parameters per statement. Ids in a `whereIn` go 500 at a time.
 */
export const IDS_PER_STATEMENT = 500;

/** How many rows of this many columns one INSERT carries. */
export function rowsPerInsert(columns: number): number {
  return Math.max(1, Math.min(400, Math.floor(30_000 / Math.max(1, columns))));
}

/** The list in pieces of at most `size`. */
export function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** Inserts the rows in pieces (inside the caller's transaction, when given one); returns the new ids in order. */
export async function insertChunked(db: Db, table: string, rows: readonly Row[]): Promise<number[]> {
  if (!rows.length) return [];
  const columns = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) columns.add(k);
  const ids: number[] = [];
  for (const part of chunks(rows, rowsPerInsert(columns.size))) {
    const got = await db(table).insert(part).returning('id');
    ids.push(...got.map((g: { id: number } | number) => Number(typeof g === 'object' ? g.id : g)));
  }
  return ids;
}

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

  /** Every row in pages of `size` by id (a large table is written out page by page, never held whole). */
  async *pagesById(size = 2000, db: Db = this.db): AsyncGenerator<T[]> {
    let after = 0;
    for (;;) {
      const rows: Row[] = await this.query(db).where('id', '>', after).orderBy('id').limit(size);
      if (rows.length) yield rows.map((r) => this.map(r));
      if (rows.length < size) return;
      after = Number(rows[rows.length - 1].id);
    }
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
    return insertChunked(
      db,
      this.table,
      rows.map((r) => ({ ...r, version: 1, created_at: now, updated_at: now })),
    );
  }

  /** The rows with these ids (read in pieces), in id order; ids without a row are left out. */
  async getMany(ids: readonly number[], db: Db = this.db): Promise<T[]> {
    const out: T[] = [];
    for (const part of chunks([...new Set(ids)], IDS_PER_STATEMENT)) {
      const rows: Row[] = await this.query(db).whereIn('id', part);
      for (const r of rows) out.push(this.map(r));
    }
    return out.sort((a, b) => a.id - b.id);
  }

  /**
   * Updates each row whose `version` still matches (its version + 1, timestamp `at`: now, unless the
   * caller records the write elsewhere with its own time), without reading
   * it back; returns the ids of the rows that had changed meanwhile (then nothing is updated). Rows
   * with the same new values and version share one statement per 500 ids: a shift of 10,000 moves
   * costs a few hundred statements, not 10,000.
   */
  async updateEach(rows: readonly { id: number; version: number; values: Row }[], db: Db = this.db, at: string = this.clock()): Promise<number[]> {
    const expected = new Map(rows.map((r) => [r.id, r.version]));
    const stale: number[] = [];
    for (const part of chunks([...expected.keys()], IDS_PER_STATEMENT)) {
      const current: Row[] = await this.query(db).select('id', 'version').whereIn('id', part);
      const seen = new Map(current.map((r) => [Number(r.id), Number(r.version)]));
      for (const id of part) if (seen.get(id) !== expected.get(id)) stale.push(id);
    }
    if (stale.length) return stale;
    const now = at;
    const groups = new Map<string, { version: number; values: Row; ids: number[] }>();
    for (const r of rows) {
      const key = `${r.version}|${JSON.stringify(r.values)}`;
      const g = groups.get(key);
      if (g) g.ids.push(r.id);
      else groups.set(key, { version: r.version, values: r.values, ids: [r.id] });
    }
    for (const g of groups.values()) {
      for (const part of chunks(g.ids, IDS_PER_STATEMENT)) {
        const n = await this.query(db)
          .whereIn('id', part)
          .where('version', g.version)
          .update({ ...g.values, version: g.version + 1, updated_at: now });
        if (Number(n) !== part.length) return part;
      }
    }
    return [];
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
