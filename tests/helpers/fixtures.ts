import type { Knex } from 'knex';
import { hashPassword } from '../../server/auth/passwords.js';
import { createKnex } from '../../server/db/knex.js';
import { migrateLatest } from '../../server/db/migrate.js';
import { seedUlm } from '../../server/db/seed-ulm.js';

export const TEST_PASSWORD = 'test-password-1';
export const TEST_USERS = ['admin', 'planner', 'editor', 'viewer'] as const;
export type TestUser = (typeof TEST_USERS)[number];
/** the site the `editor` (site_editor) may edit */
export const EDITOR_SITE_NAME = 'Kornhausplatz 4/6';

/** Migrated database with the Ulm dataset and one user per role. */
export async function buildTemplate(url: string): Promise<void> {
  const db: Knex = createKnex(url);
  try {
    await migrateLatest(db);
    await seedUlm(db);
    const now = new Date().toISOString();
    const hash = await hashPassword(TEST_PASSWORD);
    const role = { admin: 'admin', planner: 'planner', editor: 'site_editor', viewer: 'viewer' } as const;
    for (const u of TEST_USERS) {
      await db('users').insert({
        username: u,
        password_hash: hash,
        role: role[u],
        display_name: u,
        lang: 'de',
        active: true,
        version: 1,
        created_at: now,
        updated_at: now,
      });
    }
    const editor = await db('users').where({ username: 'editor' }).first('id');
    const site = await db('sites').where({ name: EDITOR_SITE_NAME }).first('id');
    await db('user_sites').insert({ user_id: editor.id, site_id: site.id });
  } finally {
    await db.destroy();
  }
}
