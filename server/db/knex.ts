import knexFactory, { type Knex } from 'knex';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';

// DATE columns come back as 'YYYY-MM-DD' strings, as everywhere inside the app
pg.types.setTypeParser(1082, (v: string) => v);
// bigint counts (COUNT(*)) as numbers
pg.types.setTypeParser(20, (v: string) => Number(v));

export type Dialect = 'sqlite' | 'pg';

export function dialectOf(url: string): Dialect {
  if (/^postgres(ql)?:\/\//.test(url)) return 'pg';
  if (url.startsWith('sqlite:') || url.endsWith('.sqlite') || url === ':memory:') return 'sqlite';
  throw new Error(`DATABASE_URL must start with postgres:// or sqlite:// (got ${url.split(':')[0]}:…)`);
}

function sqliteFile(url: string): string {
  if (url === ':memory:') return url;
  return url.replace(/^sqlite:(\/\/)?/, '');
}

/** The database handle, opaque outside server/db/ and server/repositories/ (it is passed through, never used). */
export type Database = Knex;

/**
 * knex's own warnings, except its "Acquire connection error" with a stack trace: the same error reaches
 * the caller, which says it plainly (a refused password, a missing database: db/startup-errors.ts).
 */
const knexLog = {
  warn: (message: unknown) => {
    if (!String(message).startsWith('Acquire connection error')) console.warn(message);
  },
};

export function createKnex(url: string): Knex {
  if (dialectOf(url) === 'pg') {
    return knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: 10 }, log: knexLog });
  }
  const filename = sqliteFile(url);
  if (filename === ':memory:') return sqliteWriter(filename);
  fs.mkdirSync(path.dirname(filename), { recursive: true });
  const wal = { on: false };
  const db = sqliteWriter(filename, () => (wal.on = true));
  const reader = sqliteReader(filename);
  readers.set(db, { reader, ready: () => wal.on });
  // ending the handle ends its reader (knex's own `destroy` calls its client's)
  const client = db.client as { destroy: (callback?: unknown) => Promise<void> };
  const destroy = client.destroy.bind(client);
  client.destroy = async (callback?: unknown) => {
    try {
      await reader.destroy();
    } finally {
      await destroy(callback);
    }
  };
  return db;
}

/** A SQLite file's second connection, read-only, for the long reads of snapshotReader(); ready once the file is in WAL mode. */
const readers = new WeakMap<Knex, { reader: Knex; ready: () => boolean }>();

/**
 * Where a long read of many tables runs (the plan's snapshot: 50,000 moves at the large shape). On a
 * SQLite file, a second connection, read-only: the app's one connection (writes, sessions, `/healthz`)
 * stays free meanwhile, where it waited for the whole read before. In WAL mode a read transaction sees
 * the database as of its first read while writers go on; the reader is used only once the app's own
 * connection has opened the file and put it in WAL mode (else a reader's lock could keep a writer
 * out, or the reader would make an empty file). On PostgreSQL (a pool), for an in-memory database and
 * until then, the handle itself. Ended with the handle (`destroy`).
 */
export function snapshotReader(db: Knex): Knex {
  const r = readers.get(db);
  return r?.ready() ? r.reader : db;
}

/** The second connection: reads only (it could not write if it tried), waits on locks. */
function sqliteReader(filename: string): Knex {
  return sqliteHandle(filename, 0, async (conn) => {
    await pragma(conn, 'PRAGMA query_only = ON');
    await pragma(conn, 'PRAGMA busy_timeout = 5000');
  });
}

/** The app's connection to a SQLite database: one (SQLite writes one at a time), in WAL mode (`onWal` once it is). */
function sqliteWriter(filename: string, onWal: () => void = () => {}): Knex {
  return sqliteHandle(filename, 1, async (conn) => {
    // WAL + synchronous=FULL: an acknowledged write survives a crash; FKs enforced; wait on locks
    await pragma(conn, 'PRAGMA foreign_keys = ON');
    const mode = await pragma(conn, 'PRAGMA journal_mode = WAL');
    // the mode the file is in now (a file system without shared memory keeps the old one)
    if (String((mode as { journal_mode?: unknown } | undefined)?.journal_mode).toLowerCase() === 'wal') onWal();
    await pragma(conn, 'PRAGMA synchronous = FULL');
    await pragma(conn, 'PRAGMA busy_timeout = 5000');
  });
}

interface SqliteConnection {
  get: (sql: string, cb: (err: Error | null, row: unknown) => void) => void;
}

/** One PRAGMA on a driver connection; its row (e.g. the journal mode in force), if it has one. */
const pragma = (conn: SqliteConnection, sql: string) =>
  new Promise<unknown>((resolve, reject) => conn.get(sql, (err, row) => (err ? reject(err) : resolve(row))));

/** A knex handle on a SQLite file with one connection (at least `min` kept open), set up by `setUp` as it opens. */
function sqliteHandle(filename: string, min: 0 | 1, setUp: (conn: SqliteConnection) => Promise<void>): Knex {
  return knexFactory({
    client: 'sqlite3',
    connection: { filename },
    useNullAsDefault: true,
    log: knexLog,
    pool: {
      min,
      max: 1,
      afterCreate: (conn: SqliteConnection, done: (err: Error | null, c: unknown) => void) => {
        setUp(conn).then(
          () => done(null, conn),
          (err: Error) => done(err, conn),
        );
      },
    },
  });
}

export function dialect(db: Knex): Dialect {
  return db.client.config.client === 'pg' ? 'pg' : 'sqlite';
}

/** Dialect-specific error recognition, in one place. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === '23505' || (e?.code === 'SQLITE_CONSTRAINT' && /UNIQUE/.test(e.message ?? ''));
}

export function isForeignKeyViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === '23503' || (e?.code === 'SQLITE_CONSTRAINT' && /FOREIGN KEY/.test(e.message ?? ''));
}

export function isCheckViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === '23514' || (e?.code === 'SQLITE_CONSTRAINT' && /CHECK/.test(e.message ?? ''));
}

/** Text the database cannot store: PostgreSQL refuses a NUL byte in text (22021) or an untranslatable character (22P05). */
export function isUnstorableText(err: unknown): boolean {
  const code = (err as { code?: string })?.code;
  return code === '22021' || code === '22P05';
}

const SQLITE_UNAVAILABLE = new Set([
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_FULL',
  'SQLITE_IOERR',
  'SQLITE_READONLY',
  'SQLITE_CANTOPEN',
  'SQLITE_PROTOCOL',
  'SQLITE_NOMEM',
  'SQLITE_NOLFS',
]);
const NET_UNAVAILABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EPIPE', 'EHOSTUNREACH', 'ENOSPC', 'EROFS', 'EACCES']);

/**
 * The database cannot serve the request right now: locked beyond the busy timeout, disk full,
 * read-only, unreachable, shutting down, out of connections. Such errors answer 503, never crash.
 */
export function isDbUnavailable(err: unknown): boolean {
  const e = err as { code?: string; name?: string; message?: string; errno?: number };
  if (!e || typeof e !== 'object') return false;
  const code = String(e.code ?? '');
  if (SQLITE_UNAVAILABLE.has(code.replace(/_[A-Z]+$/, '')) || SQLITE_UNAVAILABLE.has(code)) return true;
  if (NET_UNAVAILABLE.has(code)) return true;
  // PostgreSQL: connection exceptions (08…), insufficient resources (53…: disk full, too many
  // connections), operator intervention (57P…), lock not available, serialization failures
  if (/^(08|53|57P)/.test(code) || ['55P03', '40001', '40P01', '25006'].includes(code)) return true;
  if (e.name === 'KnexTimeoutError') return true;
  return /Connection terminated|connection is closed|database is locked|SQLITE_BUSY|SQLITE_FULL|SQLITE_READONLY/i.test(e.message ?? '');
}

/** The rows of a `knex.raw` result: an array on SQLite, `{ rows }` on PostgreSQL. */
export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/**
 * Replaces the allowed values of a column's `IN (…)` check constraint, on both dialects.
 * PostgreSQL drops and re-adds the named constraint. SQLite cannot alter a constraint; when the
 * new list only allows more values, the stored rows need no change, so the table definition is
 * rewritten in place, as SQLite's documentation describes for CHECK constraints
 * (writable_schema, then a new schema_version so every connection rereads it).
 */
export async function replaceCheckIn(db: Knex, table: string, column: string, constraint: string, values: readonly string[]): Promise<void> {
  const list = values.map((v) => `'${v.replace(/'/g, "''")}'`).join(',');
  if (dialect(db) === 'pg') {
    await db.schema.alterTable(table, (t) => {
      t.dropChecks([constraint]);
    });
    await db.schema.alterTable(table, (t) => {
      t.check(`"${column}" IN (${list})`, [], constraint);
    });
    return;
  }
  const row = rowsOf<{ sql: string }>(await db.raw("select sql from sqlite_master where type = 'table' and name = ?", [table]))[0];
  const pattern = new RegExp(`(constraint ${constraint} check \\(\`${column}\` in \\()[^)]*(\\)\\))`);
  if (!row || !pattern.test(row.sql)) throw new Error(`no check constraint ${constraint} on ${table}.${column}`);
  const sql = row.sql.replace(pattern, `$1${list}$2`);
  const version = Number(rowsOf<{ schema_version: number }>(await db.raw('pragma schema_version'))[0].schema_version);
  await db.raw('pragma writable_schema = on');
  await db.raw("update sqlite_master set sql = ? where type = 'table' and name = ?", [sql, table]);
  await db.raw(`pragma schema_version = ${version + 1}`);
  await db.raw('pragma writable_schema = off');
}

/**
 * Replaces the expression of a named CHECK constraint, on both dialects. `expression` is written with
 * double-quoted identifiers (valid in both). PostgreSQL drops and re-adds the constraint. SQLite
 * cannot alter a constraint: the table's definition is rewritten in place as in replaceCheckIn,
 * which is safe only when every stored row satisfies the new expression (the caller's duty, e.g. a
 * looser rule).
 */
export async function replaceCheck(db: Knex, table: string, constraint: string, expression: string): Promise<void> {
  if (dialect(db) === 'pg') {
    await db.raw(`alter table "${table}" drop constraint if exists "${constraint}"`);
    await db.raw(`alter table "${table}" add constraint "${constraint}" check (${expression})`);
    return;
  }
  const row = rowsOf<{ sql: string }>(await db.raw("select sql from sqlite_master where type = 'table' and name = ?", [table]))[0];
  const head = new RegExp(`constraint [\`"]${constraint}[\`"] check \\(`, 'i');
  const found = row ? head.exec(row.sql) : null;
  if (!row || !found) throw new Error(`no check constraint ${constraint} on ${table}`);
  // the expression ends at the parenthesis that closes the one after CHECK
  const start = found.index + found[0].length;
  let depth = 1;
  let end = start;
  for (; end < row.sql.length && depth > 0; end++) {
    if (row.sql[end] === '(') depth++;
    else if (row.sql[end] === ')') depth--;
  }
  const sql = `${row.sql.slice(0, start)}${expression}${row.sql.slice(end - 1)}`;
  const version = Number(rowsOf<{ schema_version: number }>(await db.raw('pragma schema_version'))[0].schema_version);
  await db.raw('pragma writable_schema = on');
  await db.raw("update sqlite_master set sql = ? where type = 'table' and name = ?", [sql, table]);
  await db.raw(`pragma schema_version = ${version + 1}`);
  await db.raw('pragma writable_schema = off');
}
