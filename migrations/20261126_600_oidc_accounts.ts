import type { Knex } from 'knex';

/**
 * Accounts from single sign-on: the provider's issuer and subject (`sub`) link a user to their
 * city account. A linked user has no usable local password.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.string('oidc_issuer', 300).nullable();
    t.string('oidc_subject', 255).nullable();
    t.unique(['oidc_issuer', 'oidc_subject']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.dropUnique(['oidc_issuer', 'oidc_subject']);
    t.dropColumn('oidc_subject');
    t.dropColumn('oidc_issuer');
  });
}
