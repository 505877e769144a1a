import type { AppContext } from '../context.js';
import { hashPassword, randomPassword } from '../auth/passwords.js';

/** The username of the first admin (the one local login left when LOCAL_LOGIN=false). */
export const SETUP_ADMIN = 'admin';

/** On a database without users, creates the first admin (ADMIN_PASSWORD, else a random password). */
export async function ensureAdmin(ctx: AppContext): Promise<{ generatedPassword: string | null } | null> {
  if ((await ctx.repos.users.count()) > 0) return null;
  const password = ctx.config.adminPassword ?? randomPassword();
  await ctx.db.transaction(async (trx) => {
    const user = await ctx.repos.users.insert({
      username: SETUP_ADMIN, password_hash: await hashPassword(password), role: 'admin', display_name: 'Administrator', lang: 'de', active: true,
    }, trx);
    await ctx.repos.audit.record({ user_id: null, username: 'system', action: 'create', entity: 'user', entity_id: user.id, after: { username: SETUP_ADMIN, role: 'admin' } }, trx);
  });
  return { generatedPassword: ctx.config.adminPassword ? null : password };
}
