/**
 * `npm run bench`: builds synthetic organisations through the real HTTP and CSV import paths of a
 * real server process (see bench/shapes.ts), measures the targets of issue 17 and prints each one
 * with met / NOT met. Full-scale runs write bench/results.json (one entry per database).
 *
 *   BENCH_SCALE=0.1 npm run bench      # a tenth of the size, for a quick look (writes nothing)
 *   DATABASE_URL=postgres://… npm run bench   # on PostgreSQL: each server gets a new database there
 *   npm run bench -- placement          # only the placement assistant's case (200 units × 500 sites)
 *   npm run bench -- floors             # only the large shape without and with 3 floors per site (issue 25)
 *
 * Every /api/state and /api/sites.geojson is asked for a date not asked before, as a slider drag
 * asks them, so no cached answer helps. Before each measured series the server answers a few other
 * new dates (not measured): a server that has served a while has its code compiled.
 */
import autocannon from 'autocannon';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildServer } from '../scripts/build.js';
import { placementCase } from './placement-case.js';
import { databaseName, serverOnFreshDatabase } from './databases.js';
import { buildOrganisation, Client, costScenario, floorShape, largeShape, leases, messyShape, reseed, sliderDates } from './shapes.js';

const root = path.resolve(import.meta.dirname, '..');
const resultsFile = path.join(root, 'bench', 'results.json');
const scale = Number(process.env.BENCH_SCALE ?? 1);
const LARGE = largeShape(scale);
const MESSY = messyShape(scale);
const FLOORS = floorShape(scale);
const TARGETS = {
  state_ms: 20,
  geojson_ms: 50,
  timeline_ms: 150,
  import_moves_s: 10,
  rss_mb: 200,
  throughput_ratio: 0.8,
  messy_state_ms: 200,
  messy_state_mb: 2,
  map_first_paint_ms: 2000,
  placement_ms: 10_000,
  costs_ms: 30,
  scenario_costs_ms: 1000,
  heavy_healthz_p99_ms: 100,
  heavy_state_p99_ms: 200,
  compare_10y_ms: 2000,
  report_ms: 1000,
  heavy_rss_mb: 300,
  /** with 3 floors per site and a third of the moves naming floors: at most this much slower (%) than without */
  floors_slower_pct: 20,
};
type Results = Record<string, number | string>;
/** requests on dates of their own before each measured series, so that the JIT has compiled the code (not measured) */
const WARM_UP = 15;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const peakRssMb = (pid: number) => {
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
};
const log = (s: string) => process.stdout.write(`${s}\n`);
let tracePid = 0;
const rssNow = () => {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${tracePid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : NaN;
  } catch {
    return NaN;
  }
};
const trace = (what: string) => {
  if (process.env.BENCH_TRACE) log(`    [rss ${rssNow()} MB, peak ${peakRssMb(tracePid)} MB] ${what}`);
};
const serverEnv = { LOG_LEVEL: 'warn', NODE_ENV: 'production' };

/** Each URL in turn (never two at once); answers the times and sizes. */
async function timedAll(c: Client, urls: string[]) {
  const out: { ms: number; bytes: number }[] = [];
  for (const u of urls) out.push(await c.timed(u));
  return { ms: +median(out.map((r) => r.ms)).toFixed(1), maxBytes: Math.max(...out.map((r) => r.bytes)) };
}

/** The large organisation: imports, state, timeline, GeoJSON, first paint, memory. */
async function large(results: Results) {
  log(`building the large organisation (scale ${scale}: ${LARGE.sites} sites, ${LARGE.units} units, ${LARGE.moves} moves) on ${databaseName} …`);
  const server = await serverOnFreshDatabase({ ...serverEnv, SEED: 'none' });
  try {
    const c = new Client(server.url);
    tracePid = server.proc.pid ?? 0;
    trace('started');
    await c.login('e2e-admin-pass');
    const built = await buildOrganisation(c, LARGE);
    trace('imported');
    results.import_sites_s = +built.importSitesS.toFixed(2);
    results.import_moves_s = +built.importMovesS.toFixed(2);
    log(`  imported ${built.sites} sites in ${built.importSitesS.toFixed(1)} s and ${built.moves} moves in ${built.importMovesS.toFixed(1)} s`);
    const asked = new Set(['2020-01-01']);
    await c.timed('/api/state?date=2020-01-01'); // builds the plan once for this revision
    trace('plan built');
    // a server that has served a while: its code compiled by the JIT (dates of their own, never asked again)
    await timedAll(
      c,
      sliderDates(WARM_UP, 1, asked).map((d) => `/api/state?date=${d}`),
    );
    const state = await timedAll(
      c,
      sliderDates(41, 3, asked).map((d) => `/api/state?date=${d}`),
    );
    results.state_ms = state.ms;
    results.state_kb = Math.round(state.maxBytes / 1024);
    results.stack_ms = (await stackAndState(c, built.busySite, asked)).stack_ms;
    results.timeline_ms = (
      await timedAll(
        c,
        Array.from({ length: 5 }, () => '/api/timeline?from=2016-01-01&to=2025-12-01&step=month'),
      )
    ).ms;
    await timedAll(
      c,
      sliderDates(5, 2, asked).map((d) => `/api/sites.geojson?date=${d}`),
    );
    const geo = await timedAll(
      c,
      sliderDates(21, 7, asked).map((d) => `/api/sites.geojson?date=${d}`),
    );
    results.geojson_ms = geo.ms;
    results.geojson_kb = Math.round(geo.maxBytes / 1024);
    results.map_first_paint_ms = await firstPaint(server.url);
    trace('measured');
    await measureCosts(results, c, built.siteIds, asked);
    trace('costs measured');
    results.rss_mb = peakRssMb(server.proc.pid ?? 0);
    await heavy(c, server.url, results, asked);
    results.heavy_rss_mb = peakRssMb(server.proc.pid ?? 0);
  } finally {
    await server.close();
  }
}

/**
 * The stack plan of one site at new dates, after a warm-up of its own;
 * and, when asked, /api/state at new dates measured as in large().
 */
async function stackAndState(c: Client, site: number, asked: Set<string>, withState = false) {
  let state_ms = NaN;
  let state_kb = NaN;
  let geojson_ms = NaN;
  if (withState) {
    await timedAll(
      c,
      sliderDates(WARM_UP, 1, asked).map((d) => `/api/state?date=${d}`),
    );
    const state = await timedAll(
      c,
      sliderDates(41, 3, asked).map((d) => `/api/state?date=${d}`),
    );
    state_ms = state.ms;
    state_kb = Math.round(state.maxBytes / 1024);
    // the map's sites (with floors: where each unit sits, for the popup), for the record
    await timedAll(
      c,
      sliderDates(5, 2, asked).map((d) => `/api/sites.geojson?date=${d}`),
    );
    geojson_ms = (
      await timedAll(
        c,
        sliderDates(21, 7, asked).map((d) => `/api/sites.geojson?date=${d}`),
      )
    ).ms;
  }
  await timedAll(
    c,
    sliderDates(WARM_UP, 8, asked).map((d) => `/api/sites/${site}/stack?date=${d}`),
  );
  const stack = await timedAll(
    c,
    sliderDates(41, 9, asked).map((d) => `/api/sites/${site}/stack?date=${d}`),
  );
  return { state_ms, state_kb, geojson_ms, stack_ms: stack.ms };
}

/**
 * Floors (issue 25): the large shape with 3 floors per site and a third of its moves naming floors,
 * on a database of its own; /api/state and one site's stack at new dates, against the same
 * organisation without floors (large(), or built here first in `npm run bench -- floors`).
 */
async function withFloors(results: Results, alone: boolean) {
  if (alone) {
    log(`building the large organisation without floors (scale ${scale}) on ${databaseName} …`);
    const server = await serverOnFreshDatabase({ ...serverEnv, SEED: 'none' });
    try {
      const c = new Client(server.url);
      await c.login('e2e-admin-pass');
      reseed();
      const built = await buildOrganisation(c, LARGE);
      const asked = new Set(['2020-01-01']);
      await c.timed('/api/state?date=2020-01-01');
      const m = await stackAndState(c, built.busySite, asked, true);
      results.nofloors_state_ms = m.state_ms;
      results.nofloors_stack_ms = m.stack_ms;
      results.nofloors_geojson_ms = m.geojson_ms;
      log(`  /api/state ${m.state_ms} ms (${m.state_kb} kB), the stack of site ${built.busySite} ${m.stack_ms} ms, /api/sites.geojson ${m.geojson_ms} ms`);
    } finally {
      await server.close();
    }
  }
  log(`building the large organisation with ${FLOORS.floors} floors per site (scale ${scale}) on ${databaseName} …`);
  const server = await serverOnFreshDatabase({ ...serverEnv, SEED: 'none' });
  try {
    const c = new Client(server.url);
    await c.login('e2e-admin-pass');
    reseed();
    const built = await buildOrganisation(c, FLOORS);
    results.import_rooms_s = +built.importRoomsS.toFixed(2);
    results.floor_moves = built.movesNamingFloors;
    log(
      `  imported ${built.sites * (FLOORS.floors ?? 0)} rooms (and floors) in ${built.importRoomsS.toFixed(1)} s and ${built.moves} moves in ${built.importMovesS.toFixed(1)} s, ${built.movesNamingFloors} of them naming floors`,
    );
    const asked = new Set(['2020-01-01']);
    await c.timed('/api/state?date=2020-01-01');
    const m = await stackAndState(c, built.busySite, asked, true);
    results.floors_state_ms = m.state_ms;
    results.floors_stack_ms = m.stack_ms;
    results.floors_state_kb = m.state_kb;
    results.floors_geojson_ms = m.geojson_ms;
    log(`  /api/state ${m.state_ms} ms (${m.state_kb} kB), the stack of site ${built.busySite} ${m.stack_ms} ms, /api/sites.geojson ${m.geojson_ms} ms`);
  } finally {
    await server.close();
  }
}

/**
 * Leases and costs (issue 26) on the large organisation: a lease per site, two over time for a
 * tenth of them; GET /api/costs at new dates and a scenario's ten-year cost comparison.
 */
async function measureCosts(results: Results, c: Client, siteIds: readonly number[], asked: Set<string>) {
  const t0 = performance.now();
  const n = await leases(c, siteIds);
  const scenario = await costScenario(c, siteIds);
  log(`  recorded ${n} leases and a scenario of 40 moves in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  // the first answers after the writes build the plan and each selection's lease picture once (not measured apart)
  const first = await c.timed(`/api/costs?date=2020-06-01`);
  asked.add('2020-06-01');
  await timedAll(
    c,
    sliderDates(WARM_UP, 4, asked).map((d) => `/api/costs?date=${d}`),
  );
  const costs = await timedAll(
    c,
    sliderDates(41, 5, asked).map((d) => `/api/costs?date=${d}`),
  );
  results.costs_first_ms = +first.ms.toFixed(1);
  results.costs_ms = costs.ms;
  results.costs_kb = Math.round(costs.maxBytes / 1024);
  const url = `/api/scenarios/${scenario}/costs?from=2016-01-01&to=2025-12-31`;
  const cold = await c.timed(url);
  const warm = await timedAll(
    c,
    Array.from({ length: 5 }, () => url),
  );
  results.scenario_costs_first_ms = +cold.ms.toFixed(1);
  results.scenario_costs_ms = warm.ms;
  log(
    `  /api/costs ${costs.ms} ms (first after the writes ${results.costs_first_ms} ms); 10-year cost comparison ${warm.ms} ms (first ${results.scenario_costs_first_ms} ms)`,
  );
}

/** Only the organisation and the cost measurements (`npm run bench -- costs`, with BENCH_SCALE for a reduced check). */
async function costsOnly(results: Results) {
  log(`building the large organisation (scale ${scale}: ${LARGE.sites} sites, ${LARGE.units} units, ${LARGE.moves} moves) on ${databaseName} …`);
  const server = await serverOnFreshDatabase({ ...serverEnv, SEED: 'none' });
  try {
    const c = new Client(server.url);
    await c.login('e2e-admin-pass');
    const built = await buildOrganisation(c, LARGE);
    await measureCosts(results, c, built.siteIds, new Set());
    results.rss_mb = peakRssMb(server.proc.pid ?? 0);
  } finally {
    await server.close();
  }
}

const p99 = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return +s[Math.min(s.length - 1, Math.floor(s.length * 0.99))].toFixed(1);
};

/**
 * Heavy work (issue 22): a 10-year monthly comparison of a scenario with the baseline alone, the
 * council report in it, then three such comparisons at once (three users, the worker pool) while
 * /healthz and /api/state at new dates are asked for one after another.
 */
async function heavy(c: Client, base: string, results: Results, asked: Set<string>) {
  log('heavy work: comparisons and the report in the worker pool, /healthz and /api/state meanwhile …');
  const scenario = await c.req('POST', '/api/scenarios', { name: 'Bench: Vergleich' });
  const users = [c];
  for (const name of ['bench1', 'bench2']) {
    await c.req('POST', '/api/users', { username: name, password: 'bench-pass-123', role: 'viewer' });
    const u = new Client(base);
    await u.login('bench-pass-123', name);
    users.push(u);
  }
  const compare = `/api/scenarios/${scenario.id}/compare?from=2016-01-01&to=2025-12-01&step=month`;
  await c.timed(`/api/scenarios/${scenario.id}/compare?from=2020-01-01&to=2020-03-01`); // the worker's plan, built once
  results.compare_10y_ms = (await timedAll(c, [compare, compare, compare])).ms;
  await c.timed(`/report?scenario_id=${scenario.id}&date=2019-01-01`);
  results.report_ms = (
    await timedAll(c, [
      `/report?scenario_id=${scenario.id}&date=2020-01-01`,
      `/report?scenario_id=${scenario.id}&date=2021-01-01`,
      `/report?scenario_id=${scenario.id}&date=2022-01-01`,
    ])
  ).ms;
  let running = true;
  const all = Promise.all(users.map((u) => u.timed(compare))).finally(() => {
    running = false;
  });
  const probe = new Client(base);
  probe.cookie = c.cookie;
  const health: number[] = [];
  const state: number[] = [];
  const dates = sliderDates(200, 11, asked);
  for (let i = 0; running; i++) {
    health.push((await probe.timed('/healthz')).ms);
    if (i < dates.length) state.push((await probe.timed(`/api/state?date=${dates[i]}`)).ms);
  }
  await all;
  results.heavy_healthz_p99_ms = p99(health);
  results.heavy_state_p99_ms = p99(state);
  log(
    `  comparison ${results.compare_10y_ms} ms, report ${results.report_ms} ms; during three: /healthz p99 ${results.heavy_healthz_p99_ms} ms (${health.length} asked), /api/state p99 ${results.heavy_state_p99_ms} ms (${state.length})`,
  );
}

/** The messy organisation: few units over many sites, /api/state by default and with every warning. */
async function messy(results: Results) {
  log(`building the messy organisation (${MESSY.units} units scattered over ${MESSY.sites} sites, ${MESSY.moves} moves) …`);
  const server = await serverOnFreshDatabase({ ...serverEnv, SEED: 'none' });
  try {
    const c = new Client(server.url);
    await c.login('e2e-admin-pass');
    await buildOrganisation(c, MESSY);
    const asked = new Set(['2020-01-01']);
    await c.timed('/api/state?date=2020-01-01');
    const state = await timedAll(
      c,
      sliderDates(11, 5, asked).map((d) => `/api/state?date=${d}`),
    );
    results.messy_state_ms = state.ms;
    results.messy_state_mb = +(state.maxBytes / 1024 / 1024).toFixed(2);
    const all = await timedAll(
      c,
      sliderDates(3, 9, asked).map((d) => `/api/state?date=${d}&warnings_limit=all`),
    );
    results.messy_state_all_ms = all.ms;
    results.messy_state_all_mb = +(all.maxBytes / 1024 / 1024).toFixed(2);
    log(`  /api/state ${state.ms} ms, ${results.messy_state_mb} MB (every warning: ${all.ms} ms, ${results.messy_state_all_mb} MB)`);
  } finally {
    await server.close();
  }
}

async function throughput(url: string, headers: Record<string, string>, seconds = 5): Promise<number> {
  const r = await autocannon({ url, connections: 10, duration: seconds, headers });
  if (r.non2xx) throw new Error(`${url}: ${r.non2xx} non-2xx responses`);
  return r.requests.average;
}

/** Ulm's /api/state against /healthz on the same server, alternating, after a warm-up of each. */
async function ulmThroughput(results: Results) {
  log('measuring throughput on the Ulm data (autocannon, 10 connections, 2 rounds of 5 s each) …');
  const ulm = await serverOnFreshDatabase(serverEnv);
  try {
    const c = new Client(ulm.url);
    await c.login('e2e-admin-pass');
    await throughput(`${ulm.url}/healthz`, {}, 2);
    await throughput(`${ulm.url}/api/state`, { Cookie: c.cookie }, 2);
    // two alternating rounds, so a burst of load elsewhere on the machine hits both sides alike
    let health = 0;
    let state = 0;
    for (let round = 0; round < 2; round++) {
      health += (await throughput(`${ulm.url}/healthz`, {})) / 2;
      state += (await throughput(`${ulm.url}/api/state`, { Cookie: c.cookie })) / 2;
    }
    results.healthz_rps = Math.round(health);
    results.state_rps = Math.round(state);
    results.throughput_ratio = +(state / health).toFixed(2);
  } finally {
    await ulm.close();
  }
}

/** The placement assistant: 200 units × 500 sites, time limit 10 s; the first proposal must come within it. */
async function placement(results: Results) {
  log('solving the placement case (200 units × 500 sites, HiGHS, time limit 10 s) …');
  const r = await placementCase(10);
  results.placement_ms = r.first_ms;
  results.placement_three_ms = r.three_ms;
  results.placement_status = r.status;
  results.placement_proposals = r.proposals;
  log(`  first proposal in ${r.first_ms} ms (${r.status}), three proposals in ${r.three_ms} ms (${r.proposals} found), ${r.columns} variables`);
}

type Row = [name: string, value: number, unit: string, target: number, ok: boolean];
const below = (name: string, v: number, unit: string, target: number): Row => [name, v, unit, target, v < target];

function rows(r: Results): Row[] {
  const n = (k: string) => r[k] as number;
  const out: Row[] = [];
  if (r.state_ms !== undefined) {
    out.push(
      below('/api/state, new dates, median', n('state_ms'), 'ms', TARGETS.state_ms),
      below('/api/sites.geojson, new dates, median', n('geojson_ms'), 'ms', TARGETS.geojson_ms),
      below('/api/timeline 10 years monthly, median', n('timeline_ms'), 'ms', TARGETS.timeline_ms),
      below(`CSV import of ${LARGE.moves} moves`, n('import_moves_s'), 's', TARGETS.import_moves_s),
      below('peak RSS of the server (large)', n('rss_mb'), 'MB', TARGETS.rss_mb),
      below('map first paint, headless Chromium', n('map_first_paint_ms'), 'ms', TARGETS.map_first_paint_ms),
      below('messy /api/state, median', n('messy_state_ms'), 'ms', TARGETS.messy_state_ms),
      below('messy /api/state, largest answer', n('messy_state_mb'), 'MB', TARGETS.messy_state_mb),
      ['Ulm /api/state ÷ /healthz throughput', n('throughput_ratio'), '×', TARGETS.throughput_ratio, n('throughput_ratio') >= TARGETS.throughput_ratio],
    );
  }
  if (r.costs_ms !== undefined) {
    out.push(
      below('/api/costs, new dates, median', n('costs_ms'), 'ms', TARGETS.costs_ms),
      below('scenario cost comparison 10 years, median', n('scenario_costs_ms'), 'ms', TARGETS.scenario_costs_ms),
      below('scenario cost comparison 10 years, first', n('scenario_costs_first_ms'), 'ms', TARGETS.scenario_costs_ms),
    );
  }
  if (r.heavy_healthz_p99_ms !== undefined) {
    out.push(
      below('compare 10 years monthly (worker)', n('compare_10y_ms'), 'ms', TARGETS.compare_10y_ms),
      below('council report in a scenario (worker)', n('report_ms'), 'ms', TARGETS.report_ms),
      below('/healthz p99 during 3 comparisons', n('heavy_healthz_p99_ms'), 'ms', TARGETS.heavy_healthz_p99_ms),
      below('/api/state (large) p99 during 3 comparisons', n('heavy_state_p99_ms'), 'ms', TARGETS.heavy_state_p99_ms),
      below('peak RSS through the heavy work', n('heavy_rss_mb'), 'MB', TARGETS.heavy_rss_mb),
    );
  }
  if (r.floors_state_ms !== undefined) {
    // how much slower with floors than the same organisation without (in %; below 0: faster)
    const slower = (k: string, base: string) => +((n(k) / n(base) - 1) * 100).toFixed(1);
    const baseState = r.nofloors_state_ms !== undefined ? 'nofloors_state_ms' : 'state_ms';
    const baseStack = r.nofloors_stack_ms !== undefined ? 'nofloors_stack_ms' : 'stack_ms';
    out.push(
      below('/api/state with floors, slower than without', slower('floors_state_ms', baseState), '%', TARGETS.floors_slower_pct),
      below("one site's stack with floors, slower than without", slower('floors_stack_ms', baseStack), '%', TARGETS.floors_slower_pct),
    );
  }
  if (r.placement_ms !== undefined) {
    out.push([
      'placement 200 units × 500 sites, first',
      n('placement_ms'),
      'ms',
      TARGETS.placement_ms,
      n('placement_ms') < TARGETS.placement_ms && n('placement_proposals') > 0,
    ]);
  }
  return out;
}

function print(table: Row[]) {
  log('');
  log(`${'measure'.padEnd(44)} ${'value'.padStart(10)}  ${'target'.padStart(9)}  verdict`);
  for (const [name, v, unit, target, ok] of table) {
    log(`${name.padEnd(44)} ${`${v} ${unit}`.padStart(10)}  ${`${unit === '×' ? '≥' : '<'} ${target}`.padStart(9)}  ${ok ? 'met' : 'NOT met'}`);
  }
}

/** bench/results.json holds one entry per database; only full-scale runs write it. */
function save(results: Results, table: Row[], extra: Record<string, unknown> = {}) {
  if (scale !== 1) {
    log(`\n(scale ${scale}: bench/results.json left as it is; only full-scale runs write it)`);
    return;
  }
  const read = fs.existsSync(resultsFile) ? JSON.parse(fs.readFileSync(resultsFile, 'utf8')) : {};
  // (before issue 17 the file held one run at its top level)
  const file = read.when ? {} : read;
  const before = (file[databaseName] ?? {}) as { results?: Results };
  const cpu = /model name\s*:\s*(.+)/.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? os.cpus()[0]?.model;
  file[databaseName] = {
    ...before,
    when: new Date().toISOString(),
    database: databaseName,
    cpus: os.cpus().length,
    cpu,
    node: process.version,
    load_before: os.loadavg()[0],
    size: { large: LARGE, messy: MESSY, floors: FLOORS },
    targets: TARGETS,
    results: { ...before.results, ...results },
    all_met: table.every((r) => r[4]),
    ...extra,
  };
  fs.writeFileSync(resultsFile, `${JSON.stringify(file, null, 2)}\n`);
  log(`written to bench/results.json (${databaseName})`);
}

async function main() {
  const results: Results = {};
  if (process.argv.includes('placement')) {
    await placement(results);
    const table = rows(results);
    print(table);
    save(results, table, { placement_when: new Date().toISOString() });
    return;
  }
  await buildServer(); // the servers run as `npm start` runs them
  if (process.argv.includes('floors')) {
    await withFloors(results, true);
    const table = rows(results);
    print(table);
    log(`(load average ${os.loadavg()[0].toFixed(2)}, on ${os.cpus().length} cores, ${databaseName})`);
    return;
  }
  if (process.argv.includes('costs')) {
    await costsOnly(results);
    const table = rows(results);
    print(table);
    log(`(load average ${os.loadavg()[0].toFixed(2)}, on ${os.cpus().length} cores, ${databaseName})`);
    return;
  }
  const load = os.loadavg()[0];
  await large(results);
  await messy(results);
  await withFloors(results, false);
  await ulmThroughput(results);
  await placement(results);
  const table = rows(results);
  print(table);
  log(
    `(healthz ${results.healthz_rps} req/s, Ulm state ${results.state_rps} req/s; load average ${load.toFixed(2)} before, ${os.loadavg()[0].toFixed(2)} after, on ${os.cpus().length} cores, ${databaseName})`,
  );
  log(table.every((r) => r[4]) ? '\nall targets met' : '\nsome targets NOT met');
  save(results, table, { load_after: os.loadavg()[0] });
}

/** Headless Chromium: login, open the map, time until the sites are drawn (data-state=ready). */
async function firstPaint(base: string): Promise<number> {
  const { hasChromium, launch } = await import('../tests/helpers/browser.js');
  if (!hasChromium) {
    log('  (no Chromium: map first paint not measured)');
    return NaN;
  }
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
    });
    await page.goto(`${base}/login`);
    await page.fill('#username', 'admin');
    await page.fill('#password', 'e2e-admin-pass');
    await page.click('button[type=submit]');
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    const times: number[] = [];
    for (const d of ['2019-06-01', '2021-06-01', '2023-06-01']) {
      const t0 = performance.now();
      await page.goto(`${base}/?date=${d}`);
      try {
        // on every frame: the benchmark measures how soon the map is ready, to the frame
        await page.waitForFunction(() => document.getElementById('map')?.dataset.state === 'ready', null, { polling: 'raf', timeout: 30_000 });
      } catch (err) {
        const state = await page.evaluate(() => document.getElementById('map')?.dataset.state ?? '(no #map)');
        throw new Error(`map did not become ready (state ${state}); page said: ${problems.join(' | ') || 'nothing'}`, { cause: err });
      }
      times.push(performance.now() - t0);
    }
    return +median(times).toFixed(0);
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
