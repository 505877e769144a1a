import fs from 'node:fs';
import path from 'node:path';
import knexFactory from 'knex';
import type { TestProject } from 'vitest/node';
import { buildServer } from '../../scripts/build.js';
import { buildTemplate } from './fixtures.js';

const root = path.resolve(import.meta.dirname, '../..');
export const TEMPLATE_SQLITE = path.join(root, '.tmp', 'test-template.sqlite');

declare module 'vitest' {
  export interface ProvidedContext {
    sqliteTemplate: string;
    pgTemplate: string | null;
  }
}

/** Builds the test database once (migrated + seeded); each suite gets a copy. */
export default async function setup(project: TestProject) {
  process.env.BCRYPT_COST = '4';
  await buildServer(); // the browser and process tests run the bundle that `npm start` runs
  fs.mkdirSync(path.dirname(TEMPLATE_SQLITE), { recursive: true });
  for (const f of [TEMPLATE_SQLITE, `${TEMPLATE_SQLITE}-wal`, `${TEMPLATE_SQLITE}-shm`]) fs.rmSync(f, { force: true });
  await buildTemplate(`sqlite://${TEMPLATE_SQLITE}`);
  project.provide('sqliteTemplate', TEMPLATE_SQLITE);

  let pgTemplate: string | null = null;
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (adminUrl) {
    pgTemplate = `sp_template_${process.pid}`;
    const admin = knexFactory({ client: 'pg', connection: adminUrl, pool: { min: 0, max: 1 } });
    await admin.raw(`DROP DATABASE IF EXISTS ${pgTemplate}`);
    await admin.raw(`CREATE DATABASE ${pgTemplate}`);
    await admin.destroy();
    await buildTemplate(withDatabase(adminUrl, pgTemplate));
  }
  project.provide('pgTemplate', pgTemplate);

  return async () => {
    if (adminUrl && pgTemplate) {
      const admin = knexFactory({ client: 'pg', connection: adminUrl, pool: { min: 0, max: 1 } });
      const dbs = await admin.raw(`SELECT datname FROM pg_database WHERE datname LIKE 'sp_test_${process.pid}_%' OR datname = ?`, [pgTemplate]);
      for (const r of dbs.rows as { datname: string }[]) await admin.raw(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`);
      await admin.destroy();
    }
  };
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
