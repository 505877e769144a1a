// The static checks `npm test` runs beside the tests, and `npm run check` runs alone: the type check,
// lint (ESLint) and format check (Prettier). Each keeps a cache in .tmp/ (tsc's build info, ESLint's
// and Prettier's caches, by file content): a second run over the same files only checks what changed,
// with the same verdicts. CI runs them while sqlite3 compiles, so that `npm test` finds them warm.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
export const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const cache = (name) => path.join('.tmp', name);

export const checks = [
  {
    name: 'tsc --noEmit',
    cmd: bin('tsc'),
    args: ['--noEmit', '--incremental', '--tsBuildInfoFile', cache('tsc.tsbuildinfo')],
    failure: 'type check failed',
  },
  {
    name: 'eslint .',
    cmd: bin('eslint'),
    args: ['--cache', '--cache-strategy', 'content', '--cache-location', cache('eslintcache'), '.'],
    failure: 'lint failed',
  },
  {
    name: 'prettier --check .',
    cmd: bin('prettier'),
    args: ['--check', '--log-level=warn', '--cache', '--cache-strategy', 'content', '--cache-location', cache('prettiercache'), '.'],
    failure: 'format check failed: run npm run format',
  },
];

export const seconds = (since) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

/** Runs a command with its output kept (not interleaved with the tests'); answers its exit code, output and time. */
function runQuietly(cmd, args) {
  const start = performance.now();
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', (err) => resolve({ status: 1, out: String(err), time: seconds(start) }));
    child.on('close', (status) => resolve({ status, out, time: seconds(start) }));
  });
}

/** Runs the checks one after the other (each keeps one core busy); answers each one's result. */
export async function runChecks() {
  fs.mkdirSync(path.join(root, '.tmp'), { recursive: true });
  const results = [];
  for (const c of checks) results.push({ ...c, ...(await runQuietly(c.cmd, c.args)) });
  return results;
}

/** Prints each check's verdict and output; answers how many failed. */
export function report(results) {
  let failed = 0;
  for (const c of results) {
    console.log(`> ${c.name}: ${c.status === 0 ? 'ok' : 'FAILED'} (${c.time})`);
    if (c.out.trim()) console.log(c.out.trimEnd());
    if (c.status !== 0) {
      console.error(c.failure);
      failed += 1;
    }
  }
  return failed;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  process.exit(report(await runChecks()) > 0 ? 1 : 0);
}
