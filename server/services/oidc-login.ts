import type { OidcConfig } from '../config.js';
import { claimAt } from '../auth/oidc.js';
import { isUniqueViolation } from '../repositories/index.js';
import type { Repos, Role, User } from '../repositories/index.js';

/** A linked user's password hash: bcrypt never accepts it, so the account has no local password. */
export const NO_LOCAL_PASSWORD = '!oidc';

export type OidcRefusal = 'OIDC_NO_ROLE' | 'OIDC_NO_USERNAME' | 'OIDC_USERNAME_TAKEN' | 'OIDC_INACTIVE';

export type OidcSignIn = { ok: true; user: User; created: boolean } | { ok: false; reason: OidcRefusal; username?: string };

/** the strongest role wins when someone is in several mapped groups */
const RANK: Record<Role, number> = { admin: 4, planner: 3, site_editor: 2, viewer: 1 };

/** The role the provider's group claim maps to, or null when no mapped group is among them. */
export function roleFromClaims(claims: Record<string, unknown>, roleClaim: string, roleMap: OidcConfig['roleMap']): Role | null {
  const value = claimAt(claims, roleClaim);
  const groups = (Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[,\s]+/) : [])
    .filter((g): g is string => typeof g === 'string')
    // Keycloak's group mapper writes full paths ("/GG-Soziales-Planung") unless told not to
    .flatMap((g) => [g, g.replace(/^\/+/, '')]);
  let best: Role | null = null;
  for (const { role, group } of roleMap) {
    if (groups.includes(group) && (!best || RANK[role] > RANK[best])) best = role;
  }
  return best;
}

/**
 * Who may log in through the city's account, and as what: the first login creates the user with the
 * mapped role; every login sets the role the groups map to now (a site_editor's sites stay
 * assigned in the tool); someone in no mapped group, or deactivated here, is refused.
 */
export class OidcLoginService {
  constructor(
    private readonly repos: Pick<Repos, 'transaction' | 'users' | 'audit' | 'revision'>,
    private readonly settings: Pick<OidcConfig, 'issuer' | 'roleClaim' | 'roleMap'>,
  ) {}

  async signIn(claims: Record<string, unknown> & { sub: string }): Promise<OidcSignIn> {
    try {
      return await this.signInOnce(claims);
    } catch (err) {
      // the same person's first login in two tabs at once: the other one created the user
      if (isUniqueViolation(err)) return this.signInOnce(claims);
      throw err;
    }
  }

  private async signInOnce(claims: Record<string, unknown> & { sub: string }): Promise<OidcSignIn> {
    const role = roleFromClaims(claims, this.settings.roleClaim, this.settings.roleMap);
    const username = usernameOf(claims);
    const displayName = typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim().slice(0, 200) : null;
    const { users, audit, revision } = this.repos;
    return this.repos.transaction(async (trx) => {
      const linked = await users.byOidcSubject(this.settings.issuer, claims.sub, trx);
      if (linked && !linked.active) return { ok: false, reason: 'OIDC_INACTIVE' } as const;
      if (!role) return { ok: false, reason: 'OIDC_NO_ROLE' } as const;
      const actor = (u: User) => ({ user_id: u.id, username: u.username });
      let user: User;
      let created = false;
      if (!linked) {
        if (!username) return { ok: false, reason: 'OIDC_NO_USERNAME' } as const;
        // a local account of the same name is not taken over: an admin decides
        if (await users.byUsername(username, trx)) return { ok: false, reason: 'OIDC_USERNAME_TAKEN', username } as const;
        user = await users.insert(
          {
            username,
            display_name: displayName,
            role,
            password_hash: NO_LOCAL_PASSWORD,
            lang: 'de',
            active: true,
            oidc_issuer: this.settings.issuer,
            oidc_subject: claims.sub,
          },
          trx,
        );
        created = true;
        await audit.record(
          { ...actor(user), action: 'create', entity: 'user', entity_id: user.id, after: { username, role, display_name: displayName, login: 'oidc' } },
          trx,
        );
      } else {
        user = linked;
        const changes: Record<string, unknown> = {};
        if (linked.role !== role) changes.role = role;
        if (displayName && linked.display_name !== displayName) changes.display_name = displayName;
        // a renamed account keeps its link; its new name is taken only when free
        if (username && linked.username !== username && !(await users.byUsername(username, trx))) changes.username = username;
        if (Object.keys(changes).length) {
          const updated = await users.update(linked.id, linked.version, changes, trx);
          if (!updated) throw new Error('the user changed during login');
          user = updated;
          const before = Object.fromEntries(Object.keys(changes).map((k) => [k, linked[k as keyof User]]));
          await audit.record({ ...actor(user), action: 'update', entity: 'user', entity_id: user.id, before, after: changes }, trx);
        }
      }
      if (created || user !== linked) await revision.bump(trx);
      await audit.record({ ...actor(user), action: 'login_oidc', entity: 'user', entity_id: user.id, after: { role: user.role } }, trx);
      return { ok: true, user, created };
    });
  }
}

/** preferred_username (Keycloak, Entra ID's UPN), else the e-mail address; at most 64 characters. */
function usernameOf(claims: Record<string, unknown>): string | null {
  for (const k of ['preferred_username', 'email']) {
    const v = claims[k];
    if (typeof v === 'string' && v.trim() && v.trim().length <= 64) return v.trim();
  }
  return null;
}
