import type { Knex } from 'knex';

/**
 * The source's verdict on a site's accessibility in its words, with its source (SPEC section 16),
 * e.g. Kornhausplatz 4/6: „aufgrund der barrierefreien zentralen Lage" — GD 096/21. Shown beside the
 * rating on /accessibility and in its CSV; distinct from `assessment` (the verdict on the space).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sites', (t) => {
    t.text('accessibility_assessment');
    t.string('accessibility_assessment_source', 300);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sites', (t) => {
    t.dropColumn('accessibility_assessment');
    t.dropColumn('accessibility_assessment_source');
  });
}
