import fs from 'node:fs';
import path from 'node:path';
import knexFactory from 'knex';
import { chromium, type BrowserServer } from 'playwright-core';
import type { TestProject } from 'vitest/node';
import { buildServer } from '../../scripts/build.js';
import { BROWSER_WS_ENV, CHROMIUM, CHROMIUM_ARGS, hasChromium } from './browser.js';
import { withDatabase } from './database-url.js';

const root = path.resolve(import.meta.dirname, '../..');
export const TEMPLATE_SQLITE = path.join(root, '.tmp', 'test-template.sqlite');

declare module 'vitest' {
  export interface ProvidedContext {
    sqliteTemplate: string;
    pgTemplate: string | null;
  }
}

/**
 * What a run needs, made once however many projects ask (vitest calls the global setup for the root
 * and for each project that has files to run, in the same process):
 * - the integration tests: the test database, migrated and seeded, on SQLite (and on PostgreSQL with
 *   TEST_DATABASE_URL); each suite gets a copy;
 * - the browser and process tests: the bundle `npm start` runs, and one Chromium that every browser
 *   test file connects to (instead of starting its own).
 * The unit tests need none of it.
 */
interface Shared {
  sqlite?: Promise<string>;
  pg?: Promise<string | null>;
  bundle?: Promise<void>;
  browser?: Promise<BrowserServer | null>;
  users: number;
}
const shared: Shared = ((globalThis as { __standortplanungTestSetup?: Shared }).__standortplanungTestSetup ??= { users: 0 });

/**
 * The fixtures are loaded only after BCRYPT_COST is set: the password module reads the cost when it is
 * loaded, and the test users' hashes must have the cost of the workers' dummy hash (else a login of an
 * unknown user is many times faster than a wrong password, and the timing test fails).
 */
const buildTemplate = async (url: string) => (await import('./fixtures.js')).buildTemplate(url);

export default async function setup(project: TestProject) {
  process.env.BCRYPT_COST = '4';
  const name = project.name;
  if (name.startsWith('integration')) {
    project.provide('sqliteTemplate', await (shared.sqlite ??= sqliteTemplate()));
    project.provide('pgTemplate', name === 'integration-pg' ? await (shared.pg ??= pgTemplate()) : null);
  }
  if (name.startsWith('e2e')) {
    await (shared.bundle ??= buildServer().then(() => undefined));
    const server = await (shared.browser ??= sharedBrowser());
    if (server) process.env[BROWSER_WS_ENV] = server.wsEndpoint();
  }
  shared.users += 1;
  return async () => {
    // the last project's teardown ends what the run made
    if (--shared.users > 0) return;
    const browser = await shared.browser;
    delete process.env[BROWSER_WS_ENV];
    await browser?.close();
    const pg = await shared.pg;
    if (pg) await dropTestDatabases(pg);
  };
}

async function sqliteTemplate(): Promise<string> {
  fs.mkdirSync(path.dirname(TEMPLATE_SQLITE), { recursive: true });
  for (const f of [TEMPLATE_SQLITE, `${TEMPLATE_SQLITE}-wal`, `${TEMPLATE_SQLITE}-shm`]) fs.rmSync(f, { force: true });
  await buildTemplate(`sqlite://${TEMPLATE_SQLITE}`);
  return TEMPLATE_SQLITE;
}

async function pgTemplate(): Promise<string | null> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) return null;
  const template = `sp_template_${process.pid}`;
  const admin = knexFactory({ client: 'pg', connection: adminUrl, pool: { min: 0, max: 1 } });
  await admin.raw(`DROP DATABASE IF EXISTS ${template}`);
  await admin.raw(`CREATE DATABASE ${template}`);
  await admin.destroy();
  await buildTemplate(withDatabase(adminUrl, template));
  return template;
}

async function dropTestDatabases(template: string): Promise<void> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) return;
  const admin = knexFactory({ client: 'pg', connection: adminUrl, pool: { min: 0, max: 4 } });
  const dbs = await admin.raw(`SELECT datname FROM pg_database WHERE datname LIKE 'sp_test_${process.pid}_%' OR datname = ?`, [template]);
  // every suite's copy, once no test uses them; four at a time (the drops share their checkpoints)
  const names = (dbs.rows as { datname: string }[]).map((r) => r.datname);
  const next = async (): Promise<void> => {
    const name = names.pop();
    if (name === undefined) return;
    await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    return next();
  };
  await Promise.all([next(), next(), next(), next()]);
  await admin.destroy();
}

/** One Chromium for the run; the browser test files connect to it (null without Chromium: they skip or fail loudly). */
async function sharedBrowser(): Promise<BrowserServer | null> {
  if (!hasChromium) return null;
  return chromium.launchServer({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}
