import type { Knex } from 'knex';

/** Login attempts per client and username, shared by every app process on the database. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('rate_limits', (t) => {
    t.string('rkey', 200).primary();
    t.integer('hits').notNullable();
    t.bigInteger('reset_at').notNullable().index();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('rate_limits');
}
