// `npm test`: every vitest project (unit, integration on SQLite and — when TEST_DATABASE_URL is set —
// PostgreSQL, browser tests when Chromium is there) and, beside them, the type check, lint (ESLint) and
// format check (Prettier) — a failure of any counts as a failed test.
// Prints `tests: N passed, M failed, K skipped` as its last line.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { bin, checks, report as reportChecks, runChecks, seconds } from './checks.mjs';

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

// The static checks run one after the other beside the tests (on two cores, each keeps one busy); their
// output is printed together once the tests have ended.
const staticChecks = runChecks();

const report = path.join(root, '.tmp', 'vitest-report.json');
fs.mkdirSync(path.dirname(report), { recursive: true });
fs.rmSync(report, { force: true });
const args = ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)];
const testsStart = performance.now();
console.log(`> vitest ${args.join(' ')} (beside it: ${checks.map((c) => c.name).join(', ')})`);
const run = await new Promise((resolve) => {
  const child = spawn(bin('vitest'), args, { cwd: root, stdio: 'inherit', env: { ...process.env } });
  child.on('error', () => resolve({ status: 1 }));
  child.on('close', (status) => resolve({ status }));
});
const testsTime = seconds(testsStart);

extraFailed += reportChecks(await staticChecks);
console.log(`> vitest: ${run.status === 0 ? 'ok' : 'FAILED'} (${testsTime})`);

let passed = 0;
let failed = 0;
let skipped = 0;
if (fs.existsSync(report)) {
  const r = JSON.parse(fs.readFileSync(report, 'utf8'));
  passed = r.numPassedTests;
  failed = r.numFailedTests;
  skipped = r.numPendingTests + (r.numTodoTests ?? 0);
  if (!r.success && failed === 0) failed = Math.max(1, r.numFailedTestSuites ?? 1);
}
if (run.status !== 0 && failed === 0) {
  // every test passed, yet vitest failed: an error outside the tests (an unhandled rejection, a file that did not load)
  console.error('vitest failed outside the tests (see its "Errors" above): the run counts as one failure');
  failed = 1;
}
if (ci && missing.length) {
  console.error(`CI=true but ${missing.join(' and ')} missing: the run counts as failed`);
  extraFailed += missing.length;
}
failed += extraFailed;
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || run.status !== 0 ? 1 : 0);
