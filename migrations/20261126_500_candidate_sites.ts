import type { Knex } from 'knex';
import { replaceCheckIn } from '../server/db/knex.js';

/**
 * Candidate sites (buildings on offer): `status` may be `candidate`, and such a site carries the
 * date from which it is on offer (`available_from`).
 */
export async function up(knex: Knex): Promise<void> {
  await replaceCheckIn(knex, 'sites', 'status', 'sites_status_check', ['active', 'planned', 'renovation', 'closed', 'candidate']);
  await knex.schema.alterTable('sites', (t) => {
    t.date('available_from');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex('sites').where({ status: 'candidate' }).update({ status: 'planned' });
  await knex.schema.alterTable('sites', (t) => {
    t.dropColumn('available_from');
  });
  // narrowing the list is safe now that no row holds the removed value
  await replaceCheckIn(knex, 'sites', 'status', 'sites_status_check', ['active', 'planned', 'renovation', 'closed']);
}
