import type { Knex } from 'knex';
import { replaceCheck } from '../server/db/knex.js';

const FACTS = ['yes', 'no', 'unknown'];
const ROOM_USES = ['office', 'counter', 'meeting', 'waiting', 'archive', 'other'];

/** Two sites, or one site and two of its floors (null floor: people not assigned to a floor). */
const DISTINCT_ENDS =
  '"from_site_id" IS NULL OR "to_site_id" IS NULL OR "from_site_id" <> "to_site_id" OR COALESCE("from_floor_id", 0) <> COALESCE("to_floor_id", 0)';
const DISTINCT_SITES = '"from_site_id" IS NULL OR "to_site_id" IS NULL OR "from_site_id" <> "to_site_id"';

/**
 * Floors and rooms (SPEC section 14): a site's floors (level, workplaces, area, step-free access from
 * the entrance), optional rooms under a floor; moves may name the floor people leave and the floor
 * they arrive on, and a move within one site between two of its floors is allowed.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('floors', (t) => {
    t.increments('id').primary();
    t.integer('site_id').unsigned().notNullable().references('id').inTable('sites').onDelete('RESTRICT');
    t.integer('level').notNullable();
    t.string('name', 200).notNullable();
    t.integer('workplaces').notNullable().defaultTo(0);
    t.boolean('workplaces_estimated').notNullable().defaultTo(false);
    t.double('area_m2');
    t.string('step_free_access', 8).notNullable().defaultTo('unknown').checkIn(FACTS, 'floors_step_free_check');
    t.text('notes');
    t.integer('version').notNullable().defaultTo(1);
    t.integer('updated_by').unsigned().references('id').inTable('users').onDelete('SET NULL');
    t.string('created_at', 32).notNullable();
    t.string('updated_at', 32).notNullable();
    t.unique(['site_id', 'level']);
    t.check('?? >= 0', ['workplaces'], 'floors_workplaces_check');
    t.check('?? BETWEEN -20 AND 200', ['level'], 'floors_level_check');
    t.check('?? IS NULL OR ?? > 0', ['area_m2', 'area_m2'], 'floors_area_check');
  });
  await knex.schema.createTable('rooms', (t) => {
    t.increments('id').primary();
    t.integer('floor_id').unsigned().notNullable().references('id').inTable('floors').onDelete('RESTRICT');
    t.string('number', 50).notNullable();
    t.string('name', 200);
    t.string('use', 16).notNullable().defaultTo('office').checkIn(ROOM_USES, 'rooms_use_check');
    t.integer('workplaces').notNullable().defaultTo(0);
    t.double('area_m2');
    t.integer('version').notNullable().defaultTo(1);
    t.integer('updated_by').unsigned().references('id').inTable('users').onDelete('SET NULL');
    t.string('created_at', 32).notNullable();
    t.string('updated_at', 32).notNullable();
    t.unique(['floor_id', 'number']);
    t.check('?? >= 0', ['workplaces'], 'rooms_workplaces_check');
    t.check('?? IS NULL OR ?? > 0', ['area_m2', 'area_m2'], 'rooms_area_check');
  });
  await knex.schema.alterTable('moves', (t) => {
    t.integer('from_floor_id').unsigned().references('id').inTable('floors').onDelete('RESTRICT');
    t.integer('to_floor_id').unsigned().references('id').inTable('floors').onDelete('RESTRICT');
    t.index(['from_floor_id']);
    t.index(['to_floor_id']);
  });
  // looser than before: every stored row still satisfies it
  await replaceCheck(knex, 'moves', 'moves_distinct_sites_check', DISTINCT_ENDS);
}

export async function down(knex: Knex): Promise<void> {
  // a move within one site cannot exist without floors
  await knex('moves').whereRaw('?? = ??', ['from_site_id', 'to_site_id']).del();
  await replaceCheck(knex, 'moves', 'moves_distinct_sites_check', DISTINCT_SITES);
  await knex.schema.alterTable('moves', (t) => {
    t.dropIndex(['from_floor_id']);
    t.dropIndex(['to_floor_id']);
    t.dropForeign(['from_floor_id']);
    t.dropForeign(['to_floor_id']);
    t.dropColumn('from_floor_id');
    t.dropColumn('to_floor_id');
  });
  await knex.schema.dropTable('rooms');
  await knex.schema.dropTable('floors');
}
