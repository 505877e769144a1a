import type { Knex } from 'knex';

/**
 * A counter per user that every session carries from its login: a password change or reset and a
 * deactivation raise it, which ends all of the user's sessions at once (reactivation does not lower it).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.integer('session_epoch').notNullable().defaultTo(0);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.dropColumn('session_epoch');
  });
}
