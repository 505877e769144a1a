import type { Knex } from 'knex';

/** Projects (Vorhaben): a named group of moves and site events; moves and events may belong to one. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('projects', (t) => {
    t.increments('id').primary();
    t.string('name', 200).notNullable().unique();
    t.text('description');
    t.integer('version').notNullable().defaultTo(1);
    t.integer('updated_by').unsigned().references('id').inTable('users').onDelete('SET NULL');
    t.string('created_at', 32).notNullable();
    t.string('updated_at', 32).notNullable();
  });
  for (const table of ['moves', 'site_events']) {
    await knex.schema.alterTable(table, (t) => {
      t.integer('project_id').unsigned().references('id').inTable('projects').onDelete('SET NULL');
      t.index(['project_id']);
    });
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['moves', 'site_events']) {
    await knex.schema.alterTable(table, (t) => {
      t.dropIndex(['project_id']);
      t.dropForeign(['project_id']);
      t.dropColumn('project_id');
    });
  }
  await knex.schema.dropTable('projects');
}
