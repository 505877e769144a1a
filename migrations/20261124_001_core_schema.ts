import type { Knex } from 'knex';

const FACTS = ['yes', 'no', 'unknown'];
const timestamps = (t: Knex.CreateTableBuilder) => {
  t.string('created_at', 32).notNullable();
  t.string('updated_at', 32).notNullable();
};

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (t) => {
    t.increments('id').primary();
    t.string('username', 64).notNullable().unique();
    t.string('password_hash', 100).notNullable();
    t.string('role', 16).notNullable().checkIn(['admin', 'planner', 'site_editor', 'viewer'], 'users_role_check');
    t.string('display_name', 200);
    t.string('lang', 2).notNullable().defaultTo('de').checkIn(['de', 'en'], 'users_lang_check');
    t.boolean('active').notNullable().defaultTo(true);
    t.integer('version').notNullable().defaultTo(1);
    timestamps(t);
  });

  await knex.schema.createTable('districts', (t) => {
    t.increments('id').primary();
    t.string('name', 100).notNullable().unique();
    t.text('geometry');
    t.text('source');
    t.integer('version').notNullable().defaultTo(1);
    timestamps(t);
  });

  await knex.schema.createTable('teams', (t) => {
    t.increments('id').primary();
    t.string('name', 200).notNullable().unique();
    t.string('kind', 16).notNullable().checkIn(['district', 'central'], 'teams_kind_check');
    t.integer('district_id').unsigned().references('id').inTable('districts').onDelete('RESTRICT');
    t.text('notes');
    t.integer('version').notNullable().defaultTo(1);
    timestamps(t);
    t.check("(?? = 'district' AND ?? IS NOT NULL) OR (?? = 'central' AND ?? IS NULL)", ['kind', 'district_id', 'kind', 'district_id'], 'teams_district_check');
  });

  await knex.schema.createTable('units', (t) => {
    t.increments('id').primary();
    t.integer('team_id').unsigned().notNullable().references('id').inTable('teams').onDelete('RESTRICT');
    t.string('name', 200).notNullable();
    t.boolean('public_facing').notNullable().defaultTo(false);
    t.float('desk_ratio').notNullable().defaultTo(1);
    t.text('notes');
    t.integer('version').notNullable().defaultTo(1);
    timestamps(t);
    t.unique(['team_id', 'name']);
    t.check('?? > 0 AND ?? <= 2', ['desk_ratio', 'desk_ratio'], 'units_desk_ratio_check');
    t.index(['team_id']);
  });

  await knex.schema.createTable('sites', (t) => {
    t.increments('id').primary();
    t.string('name', 200).notNullable();
    t.string('address', 300);
    t.double('lat').notNullable();
    t.double('lon').notNullable();
    t.string('position_precision', 16).notNullable().defaultTo('estimate').checkIn(['building', 'street', 'stop', 'estimate'], 'sites_precision_check');
    t.text('position_source');
    t.integer('district_id').unsigned().references('id').inTable('districts').onDelete('SET NULL');
    t.integer('capacity').notNullable().defaultTo(0);
    t.double('office_area_m2');
    t.string('step_free', 8).notNullable().defaultTo('unknown').checkIn(FACTS, 'sites_step_free_check');
    t.string('accessible_toilet', 8).notNullable().defaultTo('unknown').checkIn(FACTS, 'sites_toilet_check');
    t.string('accessible_parking', 8).notNullable().defaultTo('unknown').checkIn(FACTS, 'sites_parking_check');
    t.string('elevator', 12).notNullable().defaultTo('unknown').checkIn(['yes', 'no', 'not_needed', 'unknown'], 'sites_elevator_check');
    t.integer('door_width_cm');
    t.double('threshold_cm');
    t.text('accessibility_notes');
    t.string('status', 16).notNullable().defaultTo('active').checkIn(['active', 'planned', 'renovation', 'closed'], 'sites_status_check');
    t.text('notes');
    t.boolean('estimated').notNullable().defaultTo(false);
    t.text('source');
    t.string('verified_at', 32);
    t.integer('verified_by').unsigned().references('id').inTable('users').onDelete('SET NULL');
    t.integer('version').notNullable().defaultTo(1);
    t.integer('updated_by').unsigned().references('id').inTable('users').onDelete('SET NULL');
    timestamps(t);
    t.check('?? >= 0', ['capacity'], 'sites_capacity_check');
    t.check('?? BETWEEN -90 AND 90 AND ?? BETWEEN -180 AND 180', ['lat', 'lon'], 'sites_position_check');
    t.check('?? IS NULL OR ?? > 0', ['office_area_m2', 'office_area_m2'], 'sites_area_check');
    t.check('?? IS NULL OR (?? > 0 AND ?? < 1000)', ['door_width_cm', 'door_width_cm', 'door_width_cm'], 'sites_door_check');
    t.check('?? IS NULL OR (?? >= 0 AND ?? < 100)', ['threshold_cm', 'threshold_cm', 'threshold_cm'], 'sites_threshold_check');
    t.index(['district_id']);
  });

  await knex.schema.createTable('user_sites', (t) => {
    t.integer('user_id').unsigned().notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.integer('site_id').unsigned().notNullable().references('id').inTable('sites').onDelete('CASCADE');
    t.primary(['user_id', 'site_id']);
    t.index(['site_id']);
  });

  await knex.schema.createTable('scenarios', (t) => {
    t.increments('id').primary();
    t.string('name', 200).notNullable().unique();
    t.text('description');
    t.integer('version').notNullable().defaultTo(1);
    t.integer('updated_by').unsigned().references('id').inTable('users').onDelete('SET NULL');
    timestamps(t);
  });

  await knex.schema.createTable('site_events', (t) => {
    t.increments('id').primary();
    t.integer('site_id').unsigned().notNullable().references('id').inTable('sites').onDelete('RESTRICT');
    t.integer('scenario_id').unsigned().references('id').inTable('scenarios').onDelete('CASCADE');
    t.string('kind', 16).notNullable().checkIn(['renovation', 'opening', 'closure', 'capacity'], 'site_events_kind_check');
    t.date('date').notNullable();
    t.date('end_date');
    t.integer('capacity');
    t.text('note');
    t.boolean('estimated').notNullable().defaultTo(false);
    t.integer('version').notNullable().defaultTo(1);
    t.integer('updated_by').unsigned().references('id').inTable('users').onDelete('SET NULL');
    timestamps(t);
    t.check('?? IS NULL OR ?? >= ??', ['end_date', 'end_date', 'date'], 'site_events_window_check');
    t.check('?? IS NULL OR ?? >= 0', ['capacity', 'capacity'], 'site_events_capacity_check');
    t.check("?? <> 'capacity' OR ?? IS NOT NULL", ['kind', 'capacity'], 'site_events_capacity_kind_check');
    t.index(['site_id']);
    t.index(['scenario_id']);
  });

  await knex.schema.createTable('moves', (t) => {
    t.increments('id').primary();
    t.integer('unit_id').unsigned().notNullable().references('id').inTable('units').onDelete('RESTRICT');
    t.integer('from_site_id').unsigned().references('id').inTable('sites').onDelete('RESTRICT');
    t.integer('to_site_id').unsigned().references('id').inTable('sites').onDelete('RESTRICT');
    t.integer('headcount').notNullable();
    t.date('date').notNullable();
    t.date('until');
    t.string('status', 16).notNullable().defaultTo('proposed').checkIn(['proposed', 'approved', 'done', 'cancelled'], 'moves_status_check');
    t.integer('scenario_id').unsigned().references('id').inTable('scenarios').onDelete('CASCADE');
    t.string('reference', 200);
    t.text('note');
    t.boolean('estimated').notNullable().defaultTo(false);
    t.integer('version').notNullable().defaultTo(1);
    t.integer('updated_by').unsigned().references('id').inTable('users').onDelete('SET NULL');
    timestamps(t);
    t.check('?? > 0', ['headcount'], 'moves_headcount_check');
    t.check('?? IS NOT NULL OR ?? IS NOT NULL', ['from_site_id', 'to_site_id'], 'moves_site_check');
    t.check('?? IS NULL OR ?? IS NULL OR ?? <> ??', ['from_site_id', 'to_site_id', 'from_site_id', 'to_site_id'], 'moves_distinct_sites_check');
    t.check('?? IS NULL OR ?? > ??', ['until', 'until', 'date'], 'moves_until_check');
    t.index(['date']);
    t.index(['unit_id']);
    t.index(['from_site_id']);
    t.index(['to_site_id']);
    t.index(['scenario_id']);
    t.index(['status']);
  });

  await knex.schema.createTable('places', (t) => {
    t.increments('id').primary();
    t.string('name', 200).notNullable();
    t.string('kind', 20)
      .notNullable()
      .checkIn(['transit_stop', 'civic_centre', 'library', 'youth_centre', 'family_centre', 'meeting_place', 'other'], 'places_kind_check');
    t.double('lat').notNullable();
    t.double('lon').notNullable();
    t.integer('wheelchair_boarding');
    t.string('external_id', 64);
    t.string('position_precision', 16).notNullable().defaultTo('estimate').checkIn(['building', 'street', 'stop', 'estimate'], 'places_precision_check');
    t.text('source');
    t.text('notes');
    t.integer('version').notNullable().defaultTo(1);
    timestamps(t);
    t.check('?? BETWEEN -90 AND 90 AND ?? BETWEEN -180 AND 180', ['lat', 'lon'], 'places_position_check');
    t.check('?? IS NULL OR ?? IN (0, 1, 2)', ['wheelchair_boarding', 'wheelchair_boarding'], 'places_wheelchair_check');
    t.index(['kind']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const t of ['places', 'moves', 'site_events', 'scenarios', 'user_sites', 'sites', 'units', 'teams', 'districts', 'users']) {
    await knex.schema.dropTableIfExists(t);
  }
}
