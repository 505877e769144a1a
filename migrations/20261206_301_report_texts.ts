import type { Knex } from 'knex';

/**
 * The council report's own texts (SPEC section 16), as data: the frame of the Drucksache
 * (Sachbearbeitung, Datum, Geschäftszeichen, …, "Finanzielle Auswirkungen") as key/value with a
 * source, and the Sachdarstellung's sections (Umsetzungsstand, Weiterentwicklung) per team or topic
 * in the order of the paper. The Ulm dataset fills them with the words of GD 096/21.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('report_fields', (t) => {
    t.string('key', 60).primary();
    t.text('value').notNullable();
    t.string('source', 300);
  });
  await knex.schema.createTable('report_sections', (t) => {
    t.increments('id').primary();
    t.integer('position').notNullable();
    // null: a topic of the whole department (e.g. the Erstanlaufstellen)
    t.integer('team_id').unsigned().references('id').inTable('teams').onDelete('CASCADE');
    t.string('heading', 200).notNullable();
    t.text('status_text');
    t.text('outlook_text');
    t.string('source', 300);
    t.integer('version').notNullable().defaultTo(1);
    t.string('created_at', 32).notNullable();
    t.string('updated_at', 32).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('report_sections');
  await knex.schema.dropTable('report_fields');
}
