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

/**
 * `npm run reset-password -- <user>`: the operator's way back in when a password (the admin's too)
 * is lost. Sets a new random password, ends every session and the calendar link of the user,
 * re-activates nobody, and is audited as a system action.
 */
export async function resetPassword(ctx: AppContext, username: string): Promise<{ password: string } | null> {
  const user = await ctx.repos.users.byUsername(username.trim());
  if (!user) return null;
  const password = randomPassword();
  await ctx.db.transaction(async (trx) => {
    await ctx.repos.users.update(user.id, user.version, { password_hash: await hashPassword(password), session_epoch: user.session_epoch + 1, feed_token: null }, trx);
    await ctx.repos.audit.record({ user_id: null, username: 'system', action: 'reset_password', entity: 'user', entity_id: user.id, after: { username: user.username } }, trx);
    await ctx.repos.revision.bump(trx);
  });
  return { password };
}
