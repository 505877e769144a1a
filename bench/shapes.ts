/**
 * The synthetic organisations of the benchmark, built through the real HTTP API and CSV imports:
 *
 * - large: 50 districts, 2,000 sites, 200 teams, 1,000 units, 50,000 moves over 10 years; every unit
 *   starts at one site of its team's district and moves between the sites of that district.
 * - messy: the same 50 districts and 2,000 sites, but only 28 units (7 teams, as in Ulm) whose
 *   people an import has scattered over about 300 sites each, anywhere in the city, then shuffled
 *   by 5,000 moves: every team is split over hundreds of sites, most of them outside its district.
 */
import http from 'node:http';

export interface Shape {
  sites: number;
  teams: number;
  units: number;
  moves: number;
  /** sites each unit starts at (1: one site in its district; more: scattered over the whole city) */
  startSites: number;
}

export const largeShape = (scale: number): Shape => ({
  sites: Math.round(2000 * scale),
  teams: Math.max(1, Math.round(200 * scale)),
  units: Math.round(1000 * scale),
  moves: Math.round(50_000 * scale),
  startSites: 1,
});
export const messyShape = (scale: number): Shape => ({
  sites: Math.round(2000 * scale),
  teams: 7,
  units: 28,
  moves: Math.round(5_000 * scale),
  startSites: Math.max(2, Math.round(300 * scale)),
});

let rng = 42;
const rand = () => {
  rng = (rng * 1103515245 + 12345) % 2147483648;
  return rng / 2147483648;
};
const pick = <T>(a: readonly T[]) => a[Math.floor(rand() * a.length)];

export class Client {
  cookie = '';
  csrf = '';
  constructor(readonly base: string) {}
  async login(password: string, username = 'admin') {
    const r = await fetch(`${this.base}/api/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    if (!r.ok) throw new Error(`login: ${r.status}`);
    this.cookie = (r.headers.get('set-cookie') ?? '').split(';')[0];
    this.csrf = (await r.json()).csrfToken;
  }
  async req(method: string, url: string, body?: unknown, type = 'application/json') {
    const r = await fetch(`${this.base}${url}`, {
      method,
      headers: { Cookie: this.cookie, 'X-CSRF-Token': this.csrf, ...(body !== undefined ? { 'Content-Type': type } : {}) },
      body: body === undefined ? undefined : type === 'application/json' ? JSON.stringify(body) : (body as string),
    });
    const text = await r.text();
    if (r.status >= 400) throw new Error(`${method} ${url}: ${r.status} ${text.slice(0, 500)}`);
    return text ? JSON.parse(text) : null;
  }
  /**
   * GETs a URL; answers the time to the last byte (ms) and the body's size (bytes). With Node's http
   * client on a kept-alive connection: fetch() spends about a millisecond more of its own on a
   * megabyte answer, which is the client's time, not the server's.
   */
  timed(url: string): Promise<{ ms: number; bytes: number }> {
    return new Promise((resolve, reject) => {
      const t0 = performance.now();
      http
        .get(`${this.base}${url}`, { agent: this.agent, headers: { Cookie: this.cookie } }, (res) => {
          let bytes = 0;
          res.on('data', (chunk: Buffer) => (bytes += chunk.length));
          res.on('end', () => {
            if ((res.statusCode ?? 500) >= 400) reject(new Error(`${url}: ${res.statusCode}`));
            else resolve({ ms: performance.now() - t0, bytes });
          });
          res.on('error', reject);
        })
        .on('error', reject);
    });
  }
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
}

interface District {
  id: number;
  lat: number;
  lon: number;
}
interface Unit {
  id: number;
  district: District;
}
const STEP = 0.03;

/** 50 districts as a 10 × 5 grid of squares around Ulm. */
async function districts(c: Client): Promise<District[]> {
  const out: District[] = [];
  for (let i = 0; i < 50; i++) {
    const lat = 48.3 + Math.floor(i / 10) * STEP;
    const lon = 9.85 + (i % 10) * STEP;
    const d = await c.req('POST', '/api/districts', {
      name: `Bezirk ${i + 1}`,
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [lon, lat],
            [lon + STEP, lat],
            [lon + STEP, lat + STEP],
            [lon, lat + STEP],
            [lon, lat],
          ],
        ],
      },
    });
    out.push({ id: d.id, lat, lon });
  }
  return out;
}

async function teamsAndUnits(c: Client, shape: Shape, ds: District[]): Promise<Unit[]> {
  const teams: { id: number; district: District }[] = [];
  for (let i = 0; i < shape.teams; i++) {
    const district = ds[(i * 7) % ds.length];
    const t = await c.req('POST', '/api/teams', { name: `Team ${i + 1}`, kind: 'district', district_id: district.id });
    teams.push({ id: t.id, district });
  }
  const units: Unit[] = [];
  for (let i = 0; i < shape.units; i++) {
    const team = teams[i % teams.length];
    const u = await c.req('POST', '/api/units', { team_id: team.id, name: `Dienst ${i + 1}`, public_facing: rand() < 0.3 });
    units.push({ id: u.id, district: team.district });
  }
  return units;
}

const coord = (x: number) => x.toFixed(6).replace('.', ',');

/** Imports the sites (CSV); answers the ids by district and the import's seconds. */
async function sites(c: Client, shape: Shape, ds: District[]) {
  const lines = ['name;lat;lon;capacity;step_free;status'];
  for (let i = 0; i < shape.sites; i++) {
    const d = ds[i % ds.length];
    lines.push(
      `Standort ${i + 1};${coord(d.lat + 0.002 + rand() * (STEP - 0.004))};${coord(d.lon + 0.002 + rand() * (STEP - 0.004))};${20 + Math.floor(rand() * 60)};${pick(['yes', 'no', 'unknown'])};active`,
    );
  }
  const t0 = performance.now();
  const si = await c.req('POST', '/api/import/sites', lines.join('\n'), 'text/csv');
  const seconds = (performance.now() - t0) / 1000;
  const ids: number[] = si.ids;
  const byDistrict = new Map<number, number[]>();
  ids.forEach((id, i) => {
    const d = ds[i % ds.length].id;
    byDistrict.set(d, [...(byDistrict.get(d) ?? []), id]);
  });
  return { ids, byDistrict, seconds };
}

const day = (n: number) => new Date(Date.UTC(2016, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);

/** The moves as CSV lines: a start per unit, then moves that never drive a count below zero. */
function moveLines(shape: Shape, units: Unit[], all: number[], byDistrict: Map<number, number[]>): string[] {
  const at = new Map<string, number>();
  const choices = (u: Unit) => (shape.startSites === 1 ? (byDistrict.get(u.district.id) ?? all) : all);
  const lines = ['unit_id;from_site_id;to_site_id;headcount;date;until;status'];
  for (const u of units) {
    for (let k = 0; k < shape.startSites; k++) {
      const s = pick(choices(u));
      const h = shape.startSites === 1 ? 5 + Math.floor(rand() * 15) : 1 + Math.floor(rand() * 3);
      at.set(`${u.id}:${s}`, (at.get(`${u.id}:${s}`) ?? 0) + h);
      lines.push(`${u.id};;${s};${h};2016-01-01;;done`);
    }
  }
  const perDay = Math.max(1, (shape.moves - (lines.length - 1)) / 3650);
  for (let i = 0; lines.length - 1 < shape.moves; i++) {
    const u = pick(units);
    const here = choices(u).filter((s) => (at.get(`${u.id}:${s}`) ?? 0) > 0);
    if (!here.length) continue;
    const from = pick(here);
    const to = pick(choices(u));
    if (from === to) continue;
    const k = `${u.id}:${from}`;
    const have = at.get(k) ?? 0;
    const h = 1 + Math.floor(rand() * Math.min(3, have));
    at.set(k, have - h);
    at.set(`${u.id}:${to}`, (at.get(`${u.id}:${to}`) ?? 0) + h);
    lines.push(`${u.id};${from};${to};${h};${day(1 + Math.floor(i / perDay))};;${rand() < 0.8 ? 'approved' : 'done'}`);
  }
  return lines;
}

/** Builds an organisation of the shape; answers the import times and sizes. */
export async function buildOrganisation(c: Client, shape: Shape) {
  const ds = await districts(c);
  const units = await teamsAndUnits(c, shape, ds);
  const s = await sites(c, shape, ds);
  const lines = moveLines(shape, units, s.ids, s.byDistrict);
  const t1 = performance.now();
  const mi = await c.req('POST', '/api/import/moves', lines.join('\n'), 'text/csv');
  const importMovesS = (performance.now() - t1) / 1000;
  return { importSitesS: s.seconds, importMovesS, moves: mi.inserted as number, sites: s.ids.length, siteIds: s.ids };
}

/**
 * Dates as a slider drag asks them: each one new (never asked before in the run), forward through
 * the ten years and back again, `n` of them; `salt` keeps different series apart.
 */
export function sliderDates(n: number, salt: number, asked: Set<string>): string[] {
  const span = 3600;
  const half = Math.ceil(n / 2);
  const step = Math.floor(span / half);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    let offset = i < half ? salt + i * step : salt + span - 11 - (i - half) * step;
    while (asked.has(day(offset))) offset++;
    asked.add(day(offset));
    out.push(day(offset));
  }
  return out;
}

/**
 * A lease for every site (open-ended from 2016, six months' notice), and for a tenth of them two
 * over time (the first ending 2020-12-31, the next from 2021 on): what the cost measurements read.
 */
export async function leases(c: Client, siteIds: readonly number[]): Promise<number> {
  let n = 0;
  for (const [i, id] of siteIds.entries()) {
    const rent = 2000 + Math.floor(rand() * 8000);
    const service = Math.round(rent * 0.2);
    if (i % 10 === 0) {
      await c.req('POST', `/api/sites/${id}/leases`, {
        start: '2016-01-01',
        end: '2020-12-31',
        notice_months: 6,
        rent_month_eur: rent,
        service_charges_month_eur: service,
      });
      n++;
      await c.req('POST', `/api/sites/${id}/leases`, {
        start: '2021-01-01',
        notice_months: 6,
        rent_month_eur: Math.round(rent * 1.1),
        service_charges_month_eur: service,
      });
    } else {
      await c.req('POST', `/api/sites/${id}/leases`, { start: '2016-01-01', notice_months: 6, rent_month_eur: rent, service_charges_month_eur: service });
    }
    n++;
  }
  return n;
}

/**
 * A scenario of its own moves: 20 groups of new people who arrive at one site and move on to
 * another two years later (moves between two sites, so they cost; they can never go below zero).
 */
export async function costScenario(c: Client, siteIds: readonly number[]): Promise<number> {
  const s = await c.req('POST', '/api/scenarios', { name: 'Kostenvergleich' });
  const units = (await c.req('GET', '/api/units')) as { id: number }[];
  for (let i = 0; i < 20; i++) {
    const unit = units[(i * 37) % units.length].id;
    const a = siteIds[(i * 97) % siteIds.length];
    const b = siteIds[(i * 97 + 13) % siteIds.length];
    await c.req('POST', '/api/moves', { unit_id: unit, to_site_id: a, headcount: 5, date: day(365 + i * 30), status: 'approved', scenario_id: s.id });
    await c.req('POST', '/api/moves', {
      unit_id: unit,
      from_site_id: a,
      to_site_id: b,
      headcount: 5,
      date: day(365 * 3 + i * 30),
      status: 'approved',
      scenario_id: s.id,
    });
  }
  return s.id as number;
}
