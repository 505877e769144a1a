import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { SERVER_BUNDLE } from '../../scripts/build.js';

const root = path.resolve(import.meta.dirname, '../..');

const startScript = (): string => JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).scripts.start;
/** `${VAR:-default}` filled in as sh would. */
const filled = (s: string) => s.replace(/\$\{(\w+):-([^}]*)\}/g, (_all, name: string, dflt: string) => process.env[name] || dflt);
/** `npm start`'s last command: `[VAR=value …] exec node [--flag …] dist/server.mjs` */
function startCommand(): { env: string[]; flags: string[] } {
  const start = startScript();
  const m = /((?:\w+=\S+ )*)exec node ((?:--\S+ )*)dist\/server\.mjs/.exec(start);
  if (!m) throw new Error(`cannot read the node flags from the start script: ${start}`);
  const words = (s: string) => s.trim().split(/\s+/).filter(Boolean).map(filled);
  return { env: words(m[1]), flags: words(m[2]) };
}

/** The node flags of `npm start` (package.json), with `${VAR:-default}` filled in as sh would. */
export function startFlags(): string[] {
  return startCommand().flags;
}

/** The environment `npm start` sets for node (e.g. the C library's allocator settings). */
export function startEnv(): Record<string, string> {
  return Object.fromEntries(startCommand().env.map((a) => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]));
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export interface RunningServer {
  url: string;
  port: number;
  dbFile: string;
  proc: ChildProcess;
  output: () => string;
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}

/**
 * Starts the real server as `npm start` runs it (the bundle dist/server.mjs, which the global test
 * setup and the benchmark build first) on a free loopback port with its own SQLite file.
 */
export async function startServer(env: Record<string, string> = {}, dbFile?: string): Promise<RunningServer> {
  // a PORT in `env` is used (the caller had to know the URL beforehand, e.g. for PUBLIC_URL)
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const file = dbFile ?? path.join(root, '.tmp', `e2e-${randomUUID()}.sqlite`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  let out = '';
  if (!fs.existsSync(SERVER_BUNDLE)) throw new Error(`${SERVER_BUNDLE} is missing: run npm run build`);
  // one process (no npm wrapper), so signals and memory readings reach the server itself;
  // the same runtime flags as `npm start`
  const proc = spawn(process.execPath, [...startFlags(), SERVER_BUNDLE], {
    cwd: root,
    env: {
      ...process.env,
      ...startEnv(),
      PORT: String(port),
      DATABASE_URL: `sqlite://${file}`,
      ADMIN_PASSWORD: 'e2e-admin-pass',
      SESSION_SECRET: 'e2e-session-secret-e2e',
      TILE_URL: 'none',
      LOG_LEVEL: 'warn',
      BCRYPT_COST: '4',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout!.on('data', (d) => {
    out += d;
  });
  proc.stderr!.on('data', (d) => {
    out += d;
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited early:\n${out}`);
    try {
      const r = await fetch(`${url}/healthz`);
      if (r.ok) break;
    } catch {
      /* not yet */
    }
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`server did not start:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    port,
    dbFile: file,
    proc,
    output: () => out,
    stop: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        // a process ended by a signal has exitCode null and signalCode set: it will not emit 'exit' again
        if (proc.exitCode !== null || proc.signalCode !== null) return resolve(proc.exitCode);
        const force = setTimeout(() => proc.kill('SIGKILL'), 20_000);
        proc.once('exit', (code) => {
          clearTimeout(force);
          resolve(code);
        });
        proc.kill(signal);
      }),
  };
}

export function removeDb(file: string) {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
}

/**
 * The admin's API session on a server started by startServer (its ADMIN_PASSWORD): the session cookie,
 * its CSRF token, and `call`, a fetch with both (a body as JSON, or text of `type`), for a test's
 * set-up through the API.
 */
export async function adminApi(server: { url: string }): Promise<{
  cookie: string;
  csrf: string;
  call: (method: string, path: string, body?: unknown, type?: string) => Promise<Response>;
}> {
  const login = await fetch(`${server.url}/api/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: 'e2e-admin-pass' }),
  });
  if (login.status !== 200) throw new Error(`the admin's login: ${login.status} ${await login.text()}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  const csrf = ((await login.json()) as { csrfToken: string }).csrfToken;
  const call = (method: string, path: string, body?: unknown, type = 'application/json') =>
    fetch(`${server.url}${path}`, {
      method,
      headers: { Cookie: cookie, 'X-CSRF-Token': csrf, 'Content-Type': type },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
  return { cookie, csrf, call };
}
