import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import sqlite3 from 'sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_BUNDLE } from '../../scripts/build.js';
import { freePort, removeDb, startFlags, startServer, type RunningServer } from '../helpers/server-process.js';

const root = path.resolve(import.meta.dirname, '../..');
const sql = (conn: sqlite3.Database, q: string) => new Promise<void>((resolve, reject) => conn.run(q, (err) => (err ? reject(err) : resolve())));

async function login(url: string, password = 'e2e-admin-pass') {
  const r = await fetch(`${url}/api/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password }),
  });
  const body = await r.json();
  return { status: r.status, body, cookie: (r.headers.get('set-cookie') ?? '').split(';')[0], csrf: body.csrfToken as string };
}

describe('the server under database and operating trouble', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.stop();
    if (server) removeDb(server.dbFile);
  });

  it('when another process holds a write lock on the SQLite file beyond the busy timeout, then writes answer 503 DB_UNAVAILABLE, the process lives, and it recovers', async () => {
    const before = await login(server.url);
    expect(before.status).toBe(200);
    const site = (await (await fetch(`${server.url}/api/sites`, { headers: { Cookie: before.cookie } })).json())[0];

    const other = new sqlite3.Database(server.dbFile);
    await sql(other, 'PRAGMA busy_timeout = 100');
    await sql(other, 'BEGIN EXCLUSIVE');
    try {
      const started = Date.now();
      const [loginRes, patchRes] = await Promise.all([
        fetch(`${server.url}/api/login`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ username: 'admin', password: 'e2e-admin-pass' }),
        }),
        fetch(`${server.url}/api/sites/${site.id}`, {
          method: 'PATCH',
          headers: { Cookie: before.cookie, 'X-CSRF-Token': before.csrf, 'Content-Type': 'application/json' },
          body: JSON.stringify({ notes: 'während der Sperre', version: site.version }),
        }),
      ]);
      expect(loginRes.status).toBe(503);
      expect((await loginRes.json()).error.code).toBe('DB_UNAVAILABLE');
      expect(loginRes.headers.get('retry-after')).toBeTruthy();
      expect(patchRes.status).toBe(503);
      expect((await patchRes.json()).error.code).toBe('DB_UNAVAILABLE');
      expect(Date.now() - started).toBeLessThan(30_000);
      expect(server.proc.exitCode).toBeNull();
    } finally {
      await sql(other, 'ROLLBACK');
      await new Promise((r) => other.close(r));
    }
    // the lock is gone: everything works again, nothing was half-written
    const after = await login(server.url);
    expect(after.status).toBe(200);
    const patched = await fetch(`${server.url}/api/sites/${site.id}`, {
      method: 'PATCH',
      headers: { Cookie: after.cookie, 'X-CSRF-Token': after.csrf, 'Content-Type': 'application/json' },
      body: JSON.stringify({ notes: 'nach der Sperre', version: site.version }),
    });
    expect(patched.status).toBe(200);
    expect(server.proc.exitCode).toBeNull();
    expect(server.output()).not.toMatch(/unhandled rejection/i);
  }, 60_000);

  it('when the port is taken, then the second server says which port and what to do, without a stack trace', async () => {
    const file = path.join(root, '.tmp', `e2e-${randomUUID()}.sqlite`);
    const proc = spawn(process.execPath, [...startFlags(), SERVER_BUNDLE], {
      cwd: root,
      env: {
        ...process.env,
        PORT: String(server.port),
        DATABASE_URL: `sqlite://${file}`,
        ADMIN_PASSWORD: 'e2e-admin-pass',
        SEED: 'none',
        LOG_LEVEL: 'warn',
        TILE_URL: 'none',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    proc.stdout!.on('data', (d) => {
      out += d;
    });
    proc.stderr!.on('data', (d) => {
      out += d;
    });
    const code = await new Promise<number | null>((resolve) => proc.on('exit', resolve));
    removeDb(file);
    expect(code).toBe(1);
    expect(out).toContain(`Port ${server.port} is already in use`);
    expect(out).toContain('PORT=');
    expect(out).not.toMatch(/\n\s+at /);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  }, 60_000);

  it('npm run reset-password -- admin prints a new password that works, and ends the old sessions', async () => {
    const old = await login(server.url);
    expect(old.status).toBe(200);
    const out = await new Promise<{ code: number | null; text: string }>((resolve) => {
      const p = spawn('npm', ['run', '--silent', 'reset-password', '--', 'admin'], {
        cwd: root,
        env: { ...process.env, DATABASE_URL: `sqlite://${server.dbFile}`, LOG_LEVEL: 'silent' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let text = '';
      p.stdout!.on('data', (d) => {
        text += d;
      });
      p.stderr!.on('data', (d) => {
        text += d;
      });
      p.on('exit', (code) => resolve({ code, text }));
    });
    expect(out.code).toBe(0);
    const password = /New password for "admin": (\S+)/.exec(out.text)![1];
    expect((await fetch(`${server.url}/api/session`, { headers: { Cookie: old.cookie } })).status).toBe(401);
    expect((await login(server.url)).status).toBe(401);
    expect((await login(server.url, password)).status).toBe(200);
    const missing = await new Promise<number | null>((resolve) => {
      spawn('npm', ['run', '--silent', 'reset-password', '--', 'niemand'], {
        cwd: root,
        env: { ...process.env, DATABASE_URL: `sqlite://${server.dbFile}` },
        stdio: 'ignore',
      }).on('exit', resolve);
    });
    expect(missing).toBe(1);
  }, 120_000);
});

describe('npm start', () => {
  let pid: number | undefined;
  const file = path.join(root, '.tmp', `e2e-${randomUUID()}.sqlite`);
  afterAll(() => {
    // whatever is left of the process group started here
    if (pid) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    removeDb(file);
  });

  it('when npm start gets SIGTERM, then the server itself shuts down (the signal reaches it)', async () => {
    const port = await freePort();
    const proc = spawn('npm', ['start'], {
      cwd: root,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        PORT: String(port),
        DATABASE_URL: `sqlite://${file}`,
        ADMIN_PASSWORD: 'e2e-admin-pass',
        SEED: 'none',
        LOG_LEVEL: 'info',
        TILE_URL: 'none',
      },
    });
    pid = proc.pid;
    let out = '';
    proc.stdout!.on('data', (d) => {
      out += d;
    });
    proc.stderr!.on('data', (d) => {
      out += d;
    });
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 90_000;
    for (;;) {
      try {
        if ((await fetch(`${url}/healthz`)).ok) break;
      } catch {
        /* not yet */
      }
      if (Date.now() > deadline || proc.exitCode !== null) throw new Error(`npm start did not come up:\n${out}`);
      await new Promise((r) => setTimeout(r, 300));
    }
    const exited = new Promise<void>((resolve) => proc.on('exit', () => resolve()));
    proc.kill('SIGTERM');
    await exited;
    // the server process received the signal: it shut down cleanly and the port is free again
    let closed = false;
    for (let i = 0; i < 40 && !closed; i++) {
      try {
        await fetch(`${url}/healthz`);
        await new Promise((r) => setTimeout(r, 250));
      } catch {
        closed = true;
      }
    }
    expect(closed).toBe(true);
    expect(out).toContain('shutting down');
    expect(fs.existsSync(file)).toBe(true);
  }, 150_000);
});
