/** Users (admin only), one's own account, and who is logged in. */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { SessionUser } from '../auth/guards.js';
import { DUMMY_HASH, hashPassword, randomPassword, verifyPassword } from '../auth/passwords.js';
import { AppError, notFound, ruleBroken, validation } from '../errors.js';
import type { Repos, User } from '../repositories/index.js';
import * as S from '../schemas.js';
import { parseBody, requireAdmin } from './rules.js';
import { scrub, type WriteService } from './write-service.js';

export type UserRepos = Pick<Repos, 'users' | 'sites' | 'audit' | 'transaction'>;

/** The username of the first admin (the one local login left when LOCAL_LOGIN=false). */
export const SETUP_ADMIN = 'admin';

/** A user as the API shows it: no password hash, no feed token, with the sites they may edit. */
export function presentUser(u: User, siteIds: number[]) {
  const { id, username, role, display_name, lang, active, version, created_at, updated_at } = u;
  return { id, username, role, display_name, lang, active, version, created_at, updated_at, site_ids: siteIds };
}

/** The admin account the server creates on an empty database (see UserService.ensureAdmin). */
export function isSetupAdmin(user: User): boolean {
  return user.username === SETUP_ADMIN && user.role === 'admin' && !user.oidc_subject;
}

export class UserService {
  constructor(
    private readonly repos: UserRepos,
    private readonly writes: WriteService,
    private readonly settings: { localLogin: boolean },
  ) {}

  // ---------- who is logged in ----------
  /**
   * The user for the credentials, or why not: `inactive` only when the password is right (a wrong
   * password never tells whether the account exists). Same work whether or not the user exists.
   * Accounts from single sign-on have no local password; with LOCAL_LOGIN=false only the setup
   * admin (created from ADMIN_PASSWORD) may still log in with a password.
   */
  async checkCredentials(username: string, password: string): Promise<{ user: User | null; inactive: boolean }> {
    const user = await this.repos.users.byUsername(username);
    const ok = await verifyPassword(password, user?.password_hash ?? DUMMY_HASH);
    if (!user || !ok || user.oidc_subject) return { user: null, inactive: false };
    if (!this.settings.localLogin && !isSetupAdmin(user)) return { user: null, inactive: false };
    return user.active ? { user, inactive: false } : { user: null, inactive: true };
  }

  async authenticate(username: string, password: string): Promise<User | null> {
    return (await this.checkCredentials(username, password)).user;
  }

  /** The request's user from a users row: only an active account counts. */
  async sessionUser(u: User | undefined): Promise<SessionUser | null> {
    return u && u.active
      ? {
          id: u.id,
          username: u.username,
          role: u.role,
          display_name: u.display_name,
          site_ids: await this.repos.users.siteIds(u.id),
          session_epoch: u.session_epoch,
        }
      : null;
  }

  async sessionUserById(id: number): Promise<SessionUser | null> {
    return this.sessionUser(await this.repos.users.get(id));
  }

  async sessionUserByFeedToken(token: string): Promise<SessionUser | null> {
    return this.sessionUser(await this.repos.users.byFeedToken(token));
  }

  /** On a database without users, creates the first admin (the given password, else a random one). */
  async ensureAdmin(adminPassword: string | undefined): Promise<{ generatedPassword: string | null } | null> {
    if ((await this.repos.users.count()) > 0) return null;
    const password = adminPassword ?? randomPassword();
    await this.repos.transaction(async (trx) => {
      const user = await this.repos.users.insert(
        {
          username: SETUP_ADMIN,
          password_hash: await hashPassword(password),
          role: 'admin',
          display_name: 'Administrator',
          lang: 'de',
          active: true,
        },
        trx,
      );
      await this.repos.audit.record(
        { user_id: null, username: 'system', action: 'create', entity: 'user', entity_id: user.id, after: { username: SETUP_ADMIN, role: 'admin' } },
        trx,
      );
    });
    return { generatedPassword: adminPassword ? null : password };
  }

  /**
   * `npm run reset-password -- <user>`: the operator's way back in when a password (the admin's too)
   * is lost. Sets a new random password, ends every session and the calendar link of the user,
   * re-activates nobody, and is audited as a system action.
   */
  async resetPassword(username: string): Promise<{ password: string } | null> {
    const user = await this.repos.users.byUsername(username.trim());
    if (!user) return null;
    const password = randomPassword();
    await this.writes.transaction(async (trx) => {
      await this.repos.users.update(
        user.id,
        user.version,
        { password_hash: await hashPassword(password), session_epoch: user.session_epoch + 1, feed_token: null },
        trx,
      );
      await this.repos.audit.record(
        { user_id: null, username: 'system', action: 'reset_password', entity: 'user', entity_id: user.id, after: { username: user.username } },
        trx,
      );
    });
    return { password };
  }

  // ---------- reads (admin: the service says who may, not the pages) ----------
  async list(actor: SessionUser | undefined) {
    requireAdmin(actor);
    const users = await this.repos.users.list();
    return Promise.all(users.map(async (u) => presentUser(u, await this.repos.users.siteIds(u.id))));
  }

  /** Every account for the users page: what the API shows, and whether it signs on through the city account. */
  async listForAdmin(actor: SessionUser | undefined) {
    requireAdmin(actor);
    const users = await this.repos.users.list();
    return Promise.all(users.map(async (u) => ({ ...presentUser(u, await this.repos.users.siteIds(u.id)), oidc_subject: u.oidc_subject })));
  }

  async get(actor: SessionUser | undefined, id: number) {
    requireAdmin(actor);
    const u = await this.repos.users.get(id);
    if (!u) throw notFound('user');
    return presentUser(u, await this.repos.users.siteIds(u.id));
  }

  /** One's own account as stored (the account page shows the feed link). */
  async me(user: SessionUser): Promise<User> {
    const me = await this.repos.users.get(user.id);
    if (!me) throw notFound('user');
    return me;
  }

  // ---------- users (admin only) ----------
  private async checkSites(ids: readonly number[]) {
    for (const sid of ids)
      if (!(await this.repos.sites.get(sid)))
        throw ruleBroken('UNKNOWN_REFERENCE', `site ${sid} does not exist`, undefined, { site_ids: 'validation.unknown_reference' });
  }
  async createUser(user: SessionUser, body: unknown) {
    requireAdmin(user);
    const { password, site_ids, ...v } = parseBody(S.UserCreate, body);
    await this.checkSites(site_ids);
    const row = await this.writes
      .create(this.repos.users, 'user', user, { ...v, password_hash: await hashPassword(password) }, async (trx, u) =>
        this.repos.users.setSites(u.id, site_ids, trx),
      )
      .catch((err: unknown) => {
        // the one unique column of a user is its username: the refusal names that field
        if (err instanceof AppError && err.code === 'DUPLICATE')
          throw new AppError(409, 'DUPLICATE', 'a user with this username exists', { username: 'validation.duplicate_username' });
        throw err;
      });
    return { ...scrub(row), site_ids };
  }
  async updateUser(user: SessionUser, id: number, body: unknown) {
    requireAdmin(user);
    const { password, site_ids, version, ...v } = parseBody(S.UserPatch, body);
    if (id === user.id && ((v.role && v.role !== 'admin') || v.active === false)) throw ruleBroken('SELF_LOCKOUT', 'you cannot remove your own admin rights');
    if (site_ids) await this.checkSites(site_ids);
    const values: Record<string, unknown> = { ...v };
    if (password) values.password_hash = await hashPassword(password);
    const before = await this.repos.users.get(id);
    // a reset password or a deactivation ends every session of the user and their calendar link;
    // reactivation revives neither (the epoch only ever goes up)
    if (before && (password || (v.active === false && before.active))) {
      values.session_epoch = before.session_epoch + 1;
      values.feed_token = null;
    }
    const row = await this.writes.update(this.repos.users, 'user', user, id, version, values, {
      after: async (trx) => {
        if (site_ids) await this.repos.users.setSites(id, site_ids, trx);
      },
    });
    return { ...scrub(row), site_ids: await this.repos.users.siteIds(id) };
  }
  // ---------- one's own account (every role) ----------
  async changeOwnPassword(user: SessionUser, body: unknown) {
    const { current_password, new_password, version } = parseBody(S.OwnPassword, body);
    const me = await this.repos.users.get(user.id);
    if (!me || !(await verifyPassword(current_password, me.password_hash))) throw validation({ current_password: 'validation.wrong_password' });
    if (new_password === current_password) throw validation({ new_password: 'validation.password_same' });
    // every other session of the user ends; the caller keeps its own by taking the new epoch
    const row = await this.writes.update(
      this.repos.users,
      'user',
      user,
      user.id,
      version,
      { password_hash: await hashPassword(new_password), session_epoch: me.session_epoch + 1 },
      { action: 'change_password' },
    );
    return { session_epoch: row.session_epoch };
  }
  /** A new calendar link (`renew`) or none: either way the old one stops working at once. */
  async setFeedToken(user: SessionUser, body: unknown, renew: boolean) {
    const { version } = parseBody(z.object({ version: S.version }).strict(), body);
    const feed_token = renew ? randomBytes(24).toString('base64url') : null;
    await this.writes.update(this.repos.users, 'user', user, user.id, version, { feed_token }, { action: renew ? 'renew_feed' : 'remove_feed' });
  }

  async deleteUser(user: SessionUser, id: number, version?: number) {
    requireAdmin(user);
    if (id === user.id) throw ruleBroken('SELF_LOCKOUT', 'you cannot delete your own account');
    await this.writes.remove(this.repos.users, 'user', user, id, version, async (trx) => {
      await this.repos.users.setSites(id, [], trx);
    });
  }
}
