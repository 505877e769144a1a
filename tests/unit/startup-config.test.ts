/**
 * A newcomer's first start: every bad setting ends the start with one plain line naming it (no stack
 * trace, no folder made from a mistyped URL), and database trouble says what it is.
 */
import { describe, expect, it } from 'vitest';
import { databaseUrlProblem, loadConfig, redactPassword } from '../../server/config.js';
import { explainStartupError } from '../../server/db/startup-errors.js';

const refusal = (env: Record<string, string>): string => {
  try {
    loadConfig(env);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error(`accepted: ${JSON.stringify(env)}`);
};

describe('DATABASE_URL', () => {
  it.each([
    ['sqlite3:///tmp/x.sqlite', /not "sqlite3:"/],
    ['mysql://user:geheim@db.example/standorte', /SQLite or PostgreSQL, not "mysql:"/],
    ['sqlite://', /names no file/],
    ['standortplanung.db', /neither a URL nor a \.sqlite file/],
    ['postgres://user:pa/ss@host/db', /not a valid URL|names no host/],
  ])('when DATABASE_URL is %s, then the start is refused with one line saying how it should look', (url, why) => {
    const message = refusal({ DATABASE_URL: url });
    const lines = message.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^ {2}DATABASE_URL: /);
    expect(lines[1]).toMatch(why);
    expect(lines[1]).toContain('sqlite:///path/to/file.sqlite or postgres://user:password@host:5432/database');
  });

  it('when a refused URL carries a password, then the message does not show it', () => {
    expect(refusal({ DATABASE_URL: 'mysql://user:geheim@db.example/standorte' })).not.toContain('geheim');
    expect(redactPassword('postgres://sp:s3cret@host:5432/db')).toBe('postgres://sp:***@host:5432/db');
  });

  it.each(['sqlite:///tmp/x.sqlite', 'sqlite://data/x.sqlite', 'data/x.sqlite', ':memory:', 'postgres://sp:sp@127.0.0.1:5432/standorte', 'postgresql://h/db'])(
    'when DATABASE_URL is %s, then it is accepted',
    (url) => {
      expect(databaseUrlProblem(url)).toBeNull();
      expect(loadConfig({ DATABASE_URL: url }).databaseUrl).toBe(url);
    },
  );
});

describe('the first admin and password hashing', () => {
  it('when ADMIN_PASSWORD is shorter than the password rule (10 characters), then the start is refused', () => {
    expect(refusal({ ADMIN_PASSWORD: '12345678' })).toMatch(/ADMIN_PASSWORD: must be at least 10 characters/);
  });

  it('when ADMIN_PASSWORD is a very common password or a simple sequence, then the start is refused', () => {
    expect(refusal({ ADMIN_PASSWORD: '1234567890' })).toMatch(/ADMIN_PASSWORD: is a very common password/);
    expect(loadConfig({ ADMIN_PASSWORD: 'Kornhaus-2026-Ulm' }).adminPassword).toBe('Kornhaus-2026-Ulm');
  });

  it.each(['abc', '3', '16', '10.5', ''])('when BCRYPT_COST is "%s", then the start is refused with the allowed range', (cost) => {
    expect(refusal({ BCRYPT_COST: cost })).toMatch(/BCRYPT_COST: must be a whole number from 4 to 15/);
  });

  it('when BCRYPT_COST is a whole number from 4 to 15, then it is accepted', () => {
    expect(() => loadConfig({ BCRYPT_COST: '4' })).not.toThrow();
    expect(() => loadConfig({ BCRYPT_COST: '12' })).not.toThrow();
  });
});

describe('database trouble at start-up, said as what it is', () => {
  const url = 'postgres://planung:falsch@db.example:5433/standorte';
  const explain = (err: object) => explainStartupError(err, { databaseUrl: url, port: 3000 }) ?? '';

  it('when PostgreSQL refuses the password, then the message says so and names the user, not the password', () => {
    const m = explain({ code: '28P01', message: 'password authentication failed for user "planung"' });
    expect(m).toMatch(/refused the password of user "planung"/);
    expect(m).not.toContain('falsch');
    expect(m).not.toMatch(/Cannot reach/);
  });

  it('when the database does not exist, then the message names it and how to create it', () => {
    const m = explain({ code: '3D000', message: 'database "standorte" does not exist' });
    expect(m).toMatch(/The database "standorte" does not exist on the PostgreSQL server db\.example/);
    expect(m).toContain('createdb standorte');
  });

  it('when the host is unknown or nothing listens, then the message names host and port', () => {
    expect(explain({ code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND db.example' })).toMatch(/host "db\.example" is not known/);
    expect(explain({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' })).toMatch(/Cannot reach the PostgreSQL database at db\.example:5433/);
  });
});
