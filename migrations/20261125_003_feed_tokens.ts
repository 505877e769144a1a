import type { Knex } from 'knex';

/** A personal, revocable token per user for calendar subscriptions (`/api/moves.ics?token=`). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.string('feed_token', 64).nullable().unique();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.dropUnique(['feed_token']);
    t.dropColumn('feed_token');
  });
}
