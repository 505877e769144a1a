/**
 * Running the migrations (migrations/index.ts lists them). Apart from the handle (db/knex.ts), so that
 * a migration may use the db helpers without an import circle.
 */
import type { Knex } from 'knex';
import { migrations } from '../../migrations/index.js';

const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations).sort(),
  getMigrationName: (name) => name,
  getMigration: async (name) => migrations[name],
};

export async function migrateLatest(db: Knex): Promise<void> {
  await db.migrate.latest({ migrationSource });
}
