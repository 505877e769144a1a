import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('audit_log', (t) => {
    t.increments('id').primary();
    t.string('at', 32).notNullable();
    t.integer('user_id').unsigned().references('id').inTable('users').onDelete('SET NULL');
    t.string('username', 64);
    t.string('action', 32).notNullable();
    t.string('entity', 32).notNullable();
    t.integer('entity_id');
    t.text('before');
    t.text('after');
    t.index(['entity', 'entity_id']);
    t.index(['at']);
  });

  // the shape connect-session-knex expects
  await knex.schema.createTable('sessions', (t) => {
    t.string('sid', 255).primary();
    t.text('sess').notNullable();
    t.timestamp('expired', { useTz: true }).notNullable().index();
  });

  // one row; bumped by every write so caches of the plan know when to rebuild (across processes)
  await knex.schema.createTable('plan_revision', (t) => {
    t.integer('id').primary();
    t.integer('revision').notNullable();
  });
  await knex('plan_revision').insert({ id: 1, revision: 1 });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('plan_revision');
  await knex.schema.dropTableIfExists('sessions');
  await knex.schema.dropTableIfExists('audit_log');
}
