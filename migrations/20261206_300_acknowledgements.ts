import type { Knex } from 'knex';

/**
 * Acknowledged warnings (SPEC section 16): a planner confirms a warning for its subject (the
 * warning's code and a team, site or unit) with a reason and an optional end date, e.g. "Zentrale
 * Dienste bleiben verteilt — GD 096/21". The warning stays listed as "bestätigt" with the reason
 * and leaves the at-a-glance counts. A subject deleted takes its acknowledgements with it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('acknowledgements', (t) => {
    t.increments('id').primary();
    t.string('code', 40).notNullable();
    t.integer('team_id').unsigned().references('id').inTable('teams').onDelete('CASCADE');
    t.integer('site_id').unsigned().references('id').inTable('sites').onDelete('CASCADE');
    t.integer('unit_id').unsigned().references('id').inTable('units').onDelete('CASCADE');
    t.text('reason').notNullable();
    // the last day the acknowledgement holds (null: until withdrawn)
    t.date('until');
    t.integer('version').notNullable().defaultTo(1);
    t.integer('updated_by').unsigned().references('id').inTable('users').onDelete('SET NULL');
    t.string('created_at', 32).notNullable();
    t.string('updated_at', 32).notNullable();
    t.index(['code']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('acknowledgements');
}
