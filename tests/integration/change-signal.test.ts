import knexFactory from 'knex';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { changeSignalFor } from '../../server/db/change-signal.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ config: { sessionCacheMs: 60_000 } });
});
afterAll(async () => {
  await t.close();
});
const until = (check: () => void) => vi.waitFor(check, { timeout: 30_000, interval: 10 });

describe('the change signal', () => {
  it('when another connection commits a change (and tells, as every writer does), then the token differs; when nothing happens, it stays', async () => {
    const signal = t.repos.revision.signal;
    // PostgreSQL: the listening connection comes up
    await until(() => expect(signal.token()).toBeDefined());
    const before = signal.token();
    expect(signal.token()).toBe(before);
    // another process: a connection of its own, with a signal that only notifies
    const config = t.db.client.config as { client: string; connection: unknown };
    const other = knexFactory({ client: config.client, connection: config.connection as string, useNullAsDefault: true, pool: { min: 0, max: 1 } });
    try {
      await other.transaction(async (trx) => {
        await trx('plan_revision').where({ id: 1 }).increment('revision', 1);
        await changeSignalFor(other, false).notify(trx);
      });
      await until(() => {
        expect(signal.token()).toBeDefined();
        expect(signal.token()).not.toBe(before);
      });
    } finally {
      await other.destroy();
    }
  });
});
