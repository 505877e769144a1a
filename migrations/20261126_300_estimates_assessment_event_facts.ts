import type { Knex } from 'knex';

/**
 * Estimates as precise flags, the source's verdict per site, and accessibility facts that a site
 * event sets from its date (issue 13):
 * - sites.estimated → sites.capacity_estimated; moves.estimated → moves.headcount_estimated, plus
 *   moves.date_estimated (filled from the old flag: the old flag meant "some number or date is ours");
 * - sites.assessment, sites.assessment_source ("sehr angespannt" — GD 096/21, Abschnitt 3.2);
 * - sites.earmarked_until (+ _estimated): the end of an earmarking (Zweckbindung), e.g. Moltkestraße 20;
 * - site_events: the accessibility facts the event sets (null: unchanged).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sites', (t) => {
    t.renameColumn('estimated', 'capacity_estimated');
  });
  await knex.schema.alterTable('sites', (t) => {
    t.text('assessment');
    t.string('assessment_source', 300);
    // end of an earmarking (Zweckbindung) that binds the department to the building until then
    t.date('earmarked_until');
    t.boolean('earmarked_until_estimated').notNullable().defaultTo(false);
  });
  await knex.schema.alterTable('moves', (t) => {
    t.renameColumn('estimated', 'headcount_estimated');
  });
  await knex.schema.alterTable('moves', (t) => {
    t.boolean('date_estimated').notNullable().defaultTo(false);
  });
  await knex('moves').update({ date_estimated: knex.ref('headcount_estimated') });
  await knex.schema.alterTable('site_events', (t) => {
    t.string('step_free', 8);
    t.string('accessible_toilet', 8);
    t.string('accessible_parking', 8);
    t.string('elevator', 12);
    t.integer('door_width_cm');
    t.double('threshold_cm');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('site_events', (t) => {
    for (const c of ['step_free', 'accessible_toilet', 'accessible_parking', 'elevator', 'door_width_cm', 'threshold_cm']) t.dropColumn(c);
  });
  await knex.schema.alterTable('moves', (t) => {
    t.dropColumn('date_estimated');
  });
  await knex.schema.alterTable('moves', (t) => {
    t.renameColumn('headcount_estimated', 'estimated');
  });
  await knex.schema.alterTable('sites', (t) => {
    for (const c of ['assessment', 'assessment_source', 'earmarked_until', 'earmarked_until_estimated']) t.dropColumn(c);
  });
  await knex.schema.alterTable('sites', (t) => {
    t.renameColumn('capacity_estimated', 'estimated');
  });
}
