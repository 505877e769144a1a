/**
 * The synthetic organisations of the benchmark, built through the real HTTP API and CSV imports:
 *
 * - large: 50 districts, 2,000 sites, 200 teams, 1,000 units, 50,000 moves over 10 years; every unit
 *   starts at one site of its team's district and moves between the sites of that district.
 * - messy: the same 50 districts and 2,000 sites, but only 28 units (7 teams, as in Ulm) whose
 *   people an import has scattered over about 300 sites each, anywhere in the city, then shuffled
 *   by 5,000 moves: every team is split over hundreds of sites, most of them outside its district.
 * - floors (issue 25): the large shape with 3 floors per site (from a CAFM room list, one room per
 *   floor) and a third of its moves naming floors (from and to); the other moves name none, so
 *   people sit on floors and "nicht zugeordnet" side by side.
 */
import http from 'node:http';

export interface Shape {
  sites: number;
  teams: number;
  units: number;
  moves: number;
  /** sites each unit starts at (1: one site in its district; more: scattered over the whole city) */
  startSites: number;
  /** floors per site (none: the sites have no floors) */
  floors?: number;
  /** the share of moves that name floors (from and to) */
  floorMoveShare?: number;
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

export const floorShape = (scale: number): Shape => ({ ...largeShape(scale), floors: 3, floorMoveShare: 1 / 3 });

let rng = 42;
const rand = () => {
  rng = (rng * 1103515245 + 12345) % 2147483648;
  return rng / 2147483648;
};
const pick = <T>(a: readonly T[]) => a[Math.floor(rand() * a.length)];
/** which moves name floors, and which: a generator of its own, so that the other draws stay those of the shape without floors */
let floorRng = 7;
const floorRand = () => {
  floorRng = (floorRng * 1103515245 + 12345) % 2147483648;
  return floorRng / 2147483648;
};
/** Starts the random draws anew: two organisations built after it are the same but for what differs in their shapes. */
export function reseed(): void {
  rng = 42;
  floorRng = 7;
}

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

/** Imports the sites (CSV); answers the ids by district, their capacities and the import's seconds. */
async function sites(c: Client, shape: Shape, ds: District[]) {
  const lines = ['name;lat;lon;capacity;step_free;status'];
  const capacities: number[] = [];
  for (let i = 0; i < shape.sites; i++) {
    const d = ds[i % ds.length];
    const lat = coord(d.lat + 0.002 + rand() * (STEP - 0.004));
    const lon = coord(d.lon + 0.002 + rand() * (STEP - 0.004));
    const capacity = 20 + Math.floor(rand() * 60);
    capacities.push(capacity);
    lines.push(`Standort ${i + 1};${lat};${lon};${capacity};${pick(['yes', 'no', 'unknown'])};active`);
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
  return { ids, byDistrict, capacities, seconds };
}

/**
 * The floors of every site from a CAFM room list (POST /api/import/rooms: missing floors are
 * created), one room per floor carrying a share of the site's capacity; answers each site's floor
 * ids (the ground floor first) and the import's seconds.
 */
async function floors(c: Client, perSite: number, ids: readonly number[], capacities: readonly number[]) {
  const lines = ['site_id;level;floor_name;room_number;room_name;use;workplaces;area_m2'];
  ids.forEach((id, i) => {
    for (let level = 0; level < perSite; level++) {
      const share = Math.floor(capacities[i] / perSite) + (level < capacities[i] % perSite ? 1 : 0);
      lines.push(`${id};${level};${level === 0 ? 'Erdgeschoss' : `${level}. OG`};${level}.01;Büro;office;${share};${share * 12}`);
    }
  });
  const t0 = performance.now();
  await c.req('POST', '/api/import/rooms', lines.join('\n'), 'text/csv');
  const seconds = (performance.now() - t0) / 1000;
  const bySite = new Map<number, number[]>();
  for (const id of ids) {
    const list = (await c.req('GET', `/api/sites/${id}/floors`)) as { id: number; level: number }[];
    bySite.set(
      id,
      [...list].sort((a, b) => a.level - b.level).map((f) => f.id),
    );
  }
  return { bySite, seconds };
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

/**
 * The moves of a shape with floors as CSV lines: as moveLines, but a share of them (the starts too)
 * name a floor of each site; people leave a floor they are on, or the part of a site on no floor.
 */
function floorMoveLines(shape: Shape, units: Unit[], all: number[], byDistrict: Map<number, number[]>, floorsOf: ReadonlyMap<number, number[]>): string[] {
  // (unit, site, floor) → people; floor 0: on no floor
  const at = new Map<string, number>();
  const key = (u: number, s: number, f: number) => `${u}:${s}:${f}`;
  const share = shape.floorMoveShare ?? 0;
  const floorOf = (s: number) => {
    const list = floorsOf.get(s) ?? [];
    return list[Math.floor(floorRand() * list.length)];
  };
  const choices = (u: Unit) => (shape.startSites === 1 ? (byDistrict.get(u.district.id) ?? all) : all);
  const lines = ['unit_id;from_site_id;to_site_id;from_floor_id;to_floor_id;headcount;date;until;status'];
  for (const u of units) {
    for (let k = 0; k < shape.startSites; k++) {
      const s = pick(choices(u));
      const h = shape.startSites === 1 ? 5 + Math.floor(rand() * 15) : 1 + Math.floor(rand() * 3);
      const f = floorRand() < share ? floorOf(s) : 0;
      at.set(key(u.id, s, f), (at.get(key(u.id, s, f)) ?? 0) + h);
      lines.push(`${u.id};;${s};;${f || ''};${h};2016-01-01;;done`);
    }
  }
  const perDay = Math.max(1, (shape.moves - (lines.length - 1)) / 3650);
  for (let i = 0; lines.length - 1 < shape.moves; i++) {
    const u = pick(units);
    const named = floorRand() < share;
    // where people of the unit are: a move naming floors takes them from a floor (else from none onto
    // a floor) to a floor or, half the time, to none; a move naming none from none to none
    const onNone: [number, number][] = [];
    const onFloors: [number, number][] = [];
    for (const s of choices(u)) {
      if ((at.get(key(u.id, s, 0)) ?? 0) > 0) onNone.push([s, 0]);
      if (named) for (const f of floorsOf.get(s) ?? []) if ((at.get(key(u.id, s, f)) ?? 0) > 0) onFloors.push([s, f]);
    }
    const here = named && onFloors.length ? onFloors : onNone;
    if (!here.length) continue;
    const [from, fromFloor] = pick(here);
    const to = pick(choices(u));
    if (from === to) continue;
    const toFloor = !named || (fromFloor && floorRand() < 0.5) ? 0 : floorOf(to);
    const k = key(u.id, from, fromFloor);
    const have = at.get(k) ?? 0;
    const h = 1 + Math.floor(rand() * Math.min(3, have));
    at.set(k, have - h);
    at.set(key(u.id, to, toFloor), (at.get(key(u.id, to, toFloor)) ?? 0) + h);
    lines.push(`${u.id};${from};${to};${fromFloor || ''};${toFloor || ''};${h};${day(1 + Math.floor(i / perDay))};;${rand() < 0.8 ? 'approved' : 'done'}`);
  }
  return lines;
}

/** Builds an organisation of the shape; answers the import times and sizes. */
export async function buildOrganisation(c: Client, shape: Shape) {
  const ds = await districts(c);
  const units = await teamsAndUnits(c, shape, ds);
  const s = await sites(c, shape, ds);
  const fl = shape.floors ? await floors(c, shape.floors, s.ids, s.capacities) : null;
  const lines = fl ? floorMoveLines(shape, units, s.ids, s.byDistrict, fl.bySite) : moveLines(shape, units, s.ids, s.byDistrict);
  const t1 = performance.now();
  const mi = await c.req('POST', '/api/import/moves', lines.join('\n'), 'text/csv');
  const importMovesS = (performance.now() - t1) / 1000;
  const namingFloors = fl ? lines.slice(1).filter((l) => /^[^;]*;[^;]*;[^;]*;\d|^[^;]*;[^;]*;[^;]*;[^;]*;\d/.test(l)).length : 0;
  return {
    importSitesS: s.seconds,
    importMovesS,
    importRoomsS: fl?.seconds ?? 0,
    moves: mi.inserted as number,
    movesNamingFloors: namingFloors,
    sites: s.ids.length,
    siteIds: s.ids,
    /** a site whose district's units move a lot, the same with and without floors */
    busySite: s.ids[0],
  };
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
