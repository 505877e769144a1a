import type { Knex } from 'knex';

/**
 * Scenario overrides: inside a scenario, the changed fields of one baseline move or site event.
 * `changes` is a JSON object of the fields that replace the baseline record's (a field set to null
 * is a change too, e.g. `until: null`); `{"cancelled": true}` drops the record from the scenario.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('scenario_overrides', (t) => {
    t.increments('id').primary();
    t.integer('scenario_id').unsigned().notNullable().references('id').inTable('scenarios').onDelete('CASCADE');
    t.integer('move_id').unsigned().references('id').inTable('moves').onDelete('CASCADE');
    t.integer('event_id').unsigned().references('id').inTable('site_events').onDelete('CASCADE');
    t.text('changes').notNullable();
    t.integer('version').notNullable().defaultTo(1);
    t.integer('updated_by').unsigned().references('id').inTable('users').onDelete('SET NULL');
    t.string('created_at', 32).notNullable();
    t.string('updated_at', 32).notNullable();
    t.unique(['scenario_id', 'move_id']);
    t.unique(['scenario_id', 'event_id']);
    t.check('(?? IS NULL) <> (?? IS NULL)', ['move_id', 'event_id'], 'scenario_overrides_target_check');
    t.index(['move_id']);
    t.index(['event_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('scenario_overrides');
}
