// `npm test`: type check, lint (ESLint) and format check (Prettier) — a failure of either counts as a failed test —, then every vitest project (unit, integration on SQLite and — when
// TEST_DATABASE_URL is set — PostgreSQL, browser tests when Chromium is there).
// Prints `tests: N passed, M failed, K skipped` as its last line.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const ci = ['true', '1'].includes(String(process.env.CI).toLowerCase());
const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const missing = [];

const banner = (msg) => console.warn(`\n${'!'.repeat(78)}\n!! ${msg}\n${'!'.repeat(78)}\n`);
if (!fs.existsSync(chromium)) {
  missing.push('chromium');
  banner(`SKIPPING the browser tests: no Chromium at ${chromium} (apt-get install chromium, or set CHROMIUM_PATH)`);
}
if (!process.env.TEST_DATABASE_URL) {
  missing.push('postgresql');
  banner('SKIPPING the PostgreSQL run of the integration tests: TEST_DATABASE_URL is not set (see README)');
}

let extraFailed = 0;
console.log('> tsc --noEmit');
const tsc = spawnSync('npx', ['tsc', '--noEmit'], { cwd: root, stdio: 'inherit' });
if (tsc.status !== 0) {
  console.error('type check failed');
  extraFailed += 1;
}

console.log('> eslint .');
const lint = spawnSync('npx', ['eslint', '.'], { cwd: root, stdio: 'inherit' });
if (lint.status !== 0) {
  console.error('lint failed');
  extraFailed += 1;
}

console.log('> prettier --check .');
const format = spawnSync('npx', ['prettier', '--check', '--log-level=warn', '.'], { cwd: root, stdio: 'inherit' });
if (format.status !== 0) {
  console.error('format check failed: run npm run format');
  extraFailed += 1;
}

const report = path.join(root, '.tmp', 'vitest-report.json');
fs.mkdirSync(path.dirname(report), { recursive: true });
fs.rmSync(report, { force: true });
const args = ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)];
const run = spawnSync('npx', args, { cwd: root, stdio: 'inherit', env: { ...process.env } });

let passed = 0;
let failed = 0;
let skipped = 0;
if (fs.existsSync(report)) {
  const r = JSON.parse(fs.readFileSync(report, 'utf8'));
  passed = r.numPassedTests;
  failed = r.numFailedTests;
  skipped = r.numPendingTests + (r.numTodoTests ?? 0);
  if (!r.success && failed === 0) failed = Math.max(1, r.numFailedTestSuites ?? 1);
} else if (run.status !== 0) {
  failed = 1;
}
if (ci && missing.length) {
  console.error(`CI=true but ${missing.join(' and ')} missing: the run counts as failed`);
  extraFailed += missing.length;
}
failed += extraFailed;
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || run.status !== 0 ? 1 : 0);
