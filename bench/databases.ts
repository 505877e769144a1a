/**
 * One empty database per benchmark server: a new SQLite file, or, when DATABASE_URL names a
 * PostgreSQL server, a new database created on it (and dropped afterwards).
 */
import { randomUUID } from 'node:crypto';
import knexFactory from 'knex';
import { removeDb, startServer, type RunningServer } from '../tests/helpers/server-process.js';

export const pgUrl = process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : undefined;
export const databaseName = pgUrl ? 'postgresql' : 'sqlite';

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function onPgAdmin(sql: string): Promise<void> {
  const admin = knexFactory({ client: 'pg', connection: pgUrl, pool: { min: 0, max: 1 } });
  try {
    await admin.raw(sql);
  } finally {
    await admin.destroy();
  }
}

export interface BenchServer extends RunningServer {
  /** stops the server and removes its database (unless BENCH_KEEP) */
  close: () => Promise<void>;
}

/** Starts the real server (as `npm start` runs it) on a database of its own. */
export async function serverOnFreshDatabase(env: Record<string, string>): Promise<BenchServer> {
  const keep = Boolean(process.env.BENCH_KEEP);
  let dbEnv: Record<string, string> = {};
  let drop = async () => {};
  let where = '';
  if (pgUrl) {
    const name = `sp_bench_${randomUUID().slice(0, 8)}`;
    await onPgAdmin(`CREATE DATABASE ${name}`);
    dbEnv = { DATABASE_URL: withDatabase(pgUrl, name) };
    drop = () => onPgAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    where = `PostgreSQL database ${name}`;
  }
  const server = await startServer({ ...env, ...dbEnv });
  if (!pgUrl) where = server.dbFile;
  return {
    ...server,
    close: async () => {
      await server.stop();
      if (keep) {
        process.stdout.write(`  kept the database: ${where}\n`);
        return;
      }
      if (pgUrl) await drop();
      else removeDb(server.dbFile);
    },
  };
}
