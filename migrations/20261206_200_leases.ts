import type { Knex } from 'knex';

/**
 * Leases and costs (SPEC section 15): a site's leases over time (rented or owned; rent and service
 * charges per month, notice period) and a move's own cost (else MOVE_COST_PER_PERSON_EUR per person).
 * That leases of one site do not overlap is checked by the service inside the write's transaction.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('leases', (t) => {
    t.increments('id').primary();
    t.integer('site_id').unsigned().notNullable().references('id').inTable('sites').onDelete('CASCADE');
    t.string('kind', 8).notNullable().defaultTo('lease').checkIn(['lease', 'owned'], 'leases_kind_check');
    t.date('start').notNullable();
    t.date('end');
    t.integer('notice_months');
    t.double('rent_month_eur').notNullable().defaultTo(0);
    t.double('service_charges_month_eur').notNullable().defaultTo(0);
    t.string('landlord', 300);
    t.text('notes');
    t.integer('version').notNullable().defaultTo(1);
    t.integer('updated_by').unsigned().references('id').inTable('users').onDelete('SET NULL');
    t.string('created_at', 32).notNullable();
    t.string('updated_at', 32).notNullable();
    t.check('?? IS NULL OR ?? >= ??', ['end', 'end', 'start'], 'leases_window_check');
    t.check('?? >= 0 AND ?? >= 0', ['rent_month_eur', 'service_charges_month_eur'], 'leases_amounts_check');
    t.check('?? IS NULL OR ?? >= 0', ['notice_months', 'notice_months'], 'leases_notice_check');
    t.index(['site_id', 'start']);
  });
  await knex.schema.alterTable('moves', (t) => {
    // the move's own cost in euros (null: MOVE_COST_PER_PERSON_EUR per person moved between two sites)
    t.double('cost_eur');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('moves', (t) => {
    t.dropColumn('cost_eur');
  });
  await knex.schema.dropTable('leases');
}
