import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { roleFromClaims } from '../../server/services/oidc-login.js';

const SSO = {
  OIDC_ISSUER: 'https://login.ulm.example/realms/stadt',
  OIDC_CLIENT_ID: 'standortplanung',
  OIDC_CLIENT_SECRET: 'geheim',
  OIDC_ROLE_MAP: 'planner=GG-Soziales-Planung,viewer=GG-Soziales-Leitung',
  PUBLIC_URL: 'https://standorte.ulm.example/',
};
const problem = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (e) {
    return (e as Error).message;
  }
  return null;
};

describe('single sign-on configuration', () => {
  it('when no OIDC variable is set, then single sign-on is off and passwords are on', () => {
    const c = loadConfig({});
    expect(c.oidc).toBeNull();
    expect(c.localLogin).toBe(true);
  });

  it('when all are set, then the defaults fill the rest and the redirect URI derives from PUBLIC_URL', () => {
    const c = loadConfig(SSO);
    expect(c.oidc).toEqual({
      issuer: SSO.OIDC_ISSUER,
      clientId: 'standortplanung',
      clientSecret: 'geheim',
      publicUrl: 'https://standorte.ulm.example',
      redirectUri: 'https://standorte.ulm.example/auth/oidc/callback',
      postLogoutRedirectUri: 'https://standorte.ulm.example/login',
      roleClaim: 'groups',
      scopes: 'openid profile email',
      allowInsecureHttp: false,
      roleMap: [
        { role: 'planner', group: 'GG-Soziales-Planung' },
        { role: 'viewer', group: 'GG-Soziales-Leitung' },
      ],
    });
  });

  it('when only some are set, then start-up stops and names what is missing', () => {
    const msg = problem({ OIDC_ISSUER: SSO.OIDC_ISSUER, OIDC_CLIENT_ID: 'x' });
    expect(msg).toContain('OIDC_CLIENT_SECRET: required for single sign-on');
    expect(msg).toContain('OIDC_ROLE_MAP: required');
    expect(msg).toContain('PUBLIC_URL: required');
  });

  it('when the role map names an unknown role or no group, then start-up stops with that entry', () => {
    expect(problem({ ...SSO, OIDC_ROLE_MAP: 'chef=GG-Leitung' })).toContain('OIDC_ROLE_MAP: "chef" is not a role');
    expect(problem({ ...SSO, OIDC_ROLE_MAP: 'planner=' })).toContain('OIDC_ROLE_MAP: no group after "planner="');
    expect(problem({ ...SSO, OIDC_ROLE_MAP: ' , ' })).toContain('OIDC_ROLE_MAP: names no role=group pair');
  });

  it('when the issuer is plain http, then it is refused unless OIDC_ALLOW_INSECURE_HTTP=true says so', () => {
    const env = { ...SSO, OIDC_ISSUER: 'http://localhost:8080/realms/test' };
    expect(problem(env)).toContain('OIDC_ISSUER: must be an https:// URL');
    expect(loadConfig({ ...env, OIDC_ALLOW_INSECURE_HTTP: 'true' }).oidc!.allowInsecureHttp).toBe(true);
    expect(problem({ ...SSO, PUBLIC_URL: 'standorte.ulm.example' })).toContain('PUBLIC_URL: not a valid URL');
  });

  it('when the scopes lack openid, or LOCAL_LOGIN=false comes without single sign-on, then start-up stops', () => {
    expect(problem({ ...SSO, OIDC_SCOPES: 'profile email' })).toContain('OIDC_SCOPES: must include "openid"');
    expect(problem({ LOCAL_LOGIN: 'false' })).toContain('LOCAL_LOGIN: false turns passwords off, which needs single sign-on');
    expect(problem({ ...SSO, LOCAL_LOGIN: 'vielleicht' })).toContain('LOCAL_LOGIN: expected true or false');
    expect(loadConfig({ ...SSO, LOCAL_LOGIN: 'false', OIDC_SCOPES: 'openid profile email groups' })).toMatchObject({
      localLogin: false,
      oidc: { scopes: 'openid profile email groups' },
    });
  });
});

describe('role from the group claim', () => {
  const map = [
    { role: 'viewer', group: 'GG-Soziales-Leitung' },
    { role: 'planner', group: 'GG-Soziales-Planung' },
    { role: 'site_editor', group: 'GG-Hausverwaltung' },
    { role: 'admin', group: 'GG-IT' },
  ] as const;
  const roleOf = (claims: Record<string, unknown>, claim = 'groups') => roleFromClaims(claims, claim, [...map]);

  it('when someone is in several mapped groups, then the strongest role wins', () => {
    expect(roleOf({ groups: ['GG-Soziales-Leitung', 'GG-Soziales-Planung'] })).toBe('planner');
    expect(roleOf({ groups: ['GG-Hausverwaltung', 'GG-IT', 'GG-Soziales-Leitung'] })).toBe('admin');
  });

  it('when the groups match none, are missing or malformed, then there is no role', () => {
    expect(roleOf({ groups: ['GG-Kaemmerei'] })).toBeNull();
    expect(roleOf({})).toBeNull();
    expect(roleOf({ groups: 42 })).toBeNull();
    expect(roleOf({ groups: [{ name: 'GG-IT' }] })).toBeNull();
    // a group name is matched whole, never as a part
    expect(roleOf({ groups: ['GG-IT-Extern'] })).toBeNull();
  });

  it('when Keycloak sends full group paths or nested role claims, then they map as well', () => {
    expect(roleOf({ groups: ['/GG-Soziales-Planung'] })).toBe('planner');
    expect(roleOf({ realm_access: { roles: ['GG-Hausverwaltung'] } }, 'realm_access.roles')).toBe('site_editor');
    expect(roleOf({ roles: 'GG-Soziales-Leitung' }, 'roles')).toBe('viewer');
  });
});
