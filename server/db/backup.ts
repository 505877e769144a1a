import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { dialect } from './knex.js';

/**
 * Online backup of a SQLite database to a timestamped file (VACUUM INTO: consistent while the
 * server keeps running). PostgreSQL is backed up with pg_dump instead.
 */
export async function backupSqlite(db: Knex, dir: string, now = new Date()): Promise<string> {
  if (dialect(db) !== 'sqlite') throw new Error('backupSqlite works on SQLite only; use pg_dump for PostgreSQL');
  fs.mkdirSync(dir, { recursive: true });
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const file = path.join(dir, `standortplanung-${stamp}.sqlite`);
  await db.raw('VACUUM INTO ?', [file]);
  return file;
}
