/**
 * Loads the Ulm dataset (data/ulm/*.json, *.geojson, GTFS stops) into an empty database,
 * in one transaction. The data lives in the files; this only maps keys to ids.
 */
import { parse } from 'csv-parse/sync';
import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { PROJECT_ROOT } from '../config.js';
import { areaOf, parseAreaGeometry, type AreaGeometry } from '../geo/index.js';
import { nowIso } from '../repositories/table.js';

export const ULM_DIR = path.join(PROJECT_ROOT, 'data', 'ulm');

const readJson = <T>(file: string): T => JSON.parse(fs.readFileSync(path.join(ULM_DIR, file), 'utf8')) as T;

interface TeamFile {
  teams: {
    key: string;
    name: string;
    kind: 'district' | 'central';
    district: string | null;
    notes?: string;
    units: { key: string; name: string; public_facing: boolean; desk_ratio?: number; notes?: string }[];
  }[];
}
interface SiteFile {
  sites: (Record<string, unknown> & { key: string; name: string; lat: number; lon: number })[];
}
interface EventJson {
  site: string;
  kind: string;
  date: string;
  end_date?: string;
  capacity?: number;
  estimated?: boolean;
  note?: string;
  project?: string;
  facts?: Record<string, string | number>;
}
interface MoveJson {
  unit: string;
  from?: string;
  to?: string;
  headcount: number;
  date: string;
  until?: string;
  status: string;
  headcount_estimated?: boolean;
  date_estimated?: boolean;
  reference?: string;
  note?: string;
  project?: string;
  /** the level of the floor people leave / arrive on (floors.json) */
  from_level?: number;
  to_level?: number;
}

/** A floor the paper names (data/ulm/floors.json; SPEC section 14). */
interface FloorJson {
  site: string;
  level: number;
  name: string;
  workplaces: number;
  workplaces_estimated?: boolean;
  step_free_access: 'yes' | 'no' | 'unknown';
  notes?: string;
}

export interface GtfsStop {
  stop_id: string;
  name: string;
  lat: number;
  lon: number;
  wheelchair_boarding: number;
}

/** GTFS stops.txt, one place per stop name and code (the platforms of a stop merged). */
export function readGtfsStops(file: string): GtfsStop[] {
  const rows = parse(fs.readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true, bom: true }) as Record<string, string>[];
  const groups = new Map<string, Record<string, string>[]>();
  for (const r of rows) {
    if (r.location_type && r.location_type !== '0') continue;
    const k = `${r.stop_name}|${r.stop_code}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  const out: GtfsStop[] = [];
  for (const list of groups.values()) {
    const wb = list.map((r) => Number(r.wheelchair_boarding || 0));
    out.push({
      stop_id: list[0].stop_code || list[0].stop_id,
      name: list[0].stop_name,
      lat: Math.round((list.reduce((s, r) => s + Number(r.stop_lat), 0) / list.length) * 1e6) / 1e6,
      lon: Math.round((list.reduce((s, r) => s + Number(r.stop_lon), 0) / list.length) * 1e6) / 1e6,
      // 1: some platform is accessible; 2: none is; 0: no information
      wheelchair_boarding: wb.includes(1) ? 1 : wb.every((w) => w === 2) ? 2 : 0,
    });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

type Stamp = { created_at: string; updated_at: string; version: number };
type ScenarioJson = { name: string; description: string; moves: MoveJson[]; events: EventJson[] };

/** The Ulm dataset's files, read before the transaction. */
function readUlmFiles() {
  const districtFile = readJson<{ geometry_file: string; districts: { name: string; sozialraum: string }[] }>('districts.json');
  const placesFile = readJson<{ places: Record<string, unknown>[]; stops_file: string }>('places.json');
  const optional = <T>(file: string, read: () => T[]): T[] => (fs.existsSync(path.join(ULM_DIR, file)) ? read() : []);
  return {
    districts: districtFile.districts,
    geo: readJson<{ features: { properties: { sozialraum: string | null }; geometry: unknown }[] }>(districtFile.geometry_file),
    teams: readJson<TeamFile>('teams.json').teams,
    sites: readJson<SiteFile>('sites.json').sites,
    // candidate sites (buildings on offer; invented examples for the placement assistant) are optional
    candidates: optional('candidates.json', () => readJson<{ candidates: SiteFile['sites'] }>('candidates.json').candidates),
    events: readJson<{ events: EventJson[] }>('events.json').events,
    moves: readJson<{ moves: MoveJson[] }>('moves.json').moves,
    scenarios: readJson<{ scenarios: ScenarioJson[] }>('scenarios.json').scenarios,
    places: placesFile.places,
    stops: readGtfsStops(path.join(ULM_DIR, placesFile.stops_file)),
    // projects (Vorhaben) are optional: moves and events name theirs by key
    projects: optional('projects.json', () => readJson<{ projects: { key: string; name: string; description?: string }[] }>('projects.json').projects),
  };
}
type UlmFiles = ReturnType<typeof readUlmFiles>;

/** The ids the records got, by the dataset's keys (districts by name, units as team/unit). */
interface SeedIds {
  districts: Map<string, number>;
  areas: { id: number; geometry: AreaGeometry }[];
  teams: Map<string, number>;
  units: Map<string, number>;
  sites: Map<string, number>;
  projects: Map<string, number>;
  /** floors by `site@level` */
  floors: Map<string, number>;
}

const idOf = (row: unknown) => Number(typeof row === 'object' && row !== null ? (row as { id: number }).id : row);

/** Loads the Ulm dataset into an empty database, in one transaction. `now` stamps every record. */
export async function seedUlm(db: Knex, now: string = nowIso()): Promise<{ sites: number; moves: number }> {
  const stamp: Stamp = { created_at: now, updated_at: now, version: 1 };
  const files = readUlmFiles();
  return db.transaction(async (trx) => {
    const ids: SeedIds = { districts: new Map(), areas: [], teams: new Map(), units: new Map(), sites: new Map(), projects: new Map(), floors: new Map() };
    await insertDistricts(trx, stamp, files, ids);
    await insertTeams(trx, stamp, files.teams, ids);
    await insertSites(trx, stamp, files, ids);
    for (const p of files.projects) {
      const [row] = await trx('projects')
        .insert({ name: p.name, description: p.description ?? null, ...stamp })
        .returning('id');
      ids.projects.set(p.key, idOf(row));
    }
    await insertPlans(trx, stamp, files, ids);
    await insertAcknowledgements(trx, { teamIds: ids.teams, siteIds: ids.sites, unitIds: ids.units }, stamp);
    await insertReportTexts(trx, ids.teams, stamp);
    await insertPlaces(trx, stamp, files);
    await trx('audit_log').insert({
      at: now,
      user_id: null,
      username: 'system',
      action: 'seed',
      entity: 'dataset',
      entity_id: null,
      before: null,
      after: JSON.stringify({ dataset: 'ulm', sites: ids.sites.size, moves: files.moves.length }),
    });
    return { sites: ids.sites.size, moves: files.moves.length };
  });
}

async function insertDistricts(trx: Knex.Transaction, stamp: Stamp, files: UlmFiles, ids: SeedIds): Promise<void> {
  for (const d of files.districts) {
    const f = files.geo.features.find((x) => x.properties.sozialraum === d.sozialraum);
    if (!f) throw new Error(`no geometry for district ${d.name}`);
    const geometry = parseAreaGeometry(f.geometry);
    const [row] = await trx('districts')
      .insert({
        name: d.name,
        geometry: JSON.stringify(geometry),
        ...stamp,
        source: 'Stadt Ulm, Stadtteile generalisiert (2013), CC BY 3.0 DE; union per Sozialraum',
      })
      .returning('id');
    const id = idOf(row);
    ids.districts.set(d.name, id);
    ids.areas.push({ id, geometry });
  }
}

async function insertTeams(trx: Knex.Transaction, stamp: Stamp, teams: TeamFile['teams'], ids: SeedIds): Promise<void> {
  for (const t of teams) {
    const [row] = await trx('teams')
      .insert({
        name: t.name,
        kind: t.kind,
        district_id: t.district ? ids.districts.get(t.district) : null,
        notes: t.notes ?? null,
        ...stamp,
      })
      .returning('id');
    const teamId = idOf(row);
    ids.teams.set(t.key, teamId);
    for (const u of t.units) {
      const [ur] = await trx('units')
        .insert({
          team_id: teamId,
          name: u.name,
          public_facing: u.public_facing,
          desk_ratio: u.desk_ratio ?? 1,
          notes: u.notes ?? null,
          ...stamp,
        })
        .returning('id');
      ids.units.set(`${t.key}/${u.key}`, idOf(ur));
    }
  }
}

/** The sites of the paper, then the candidate buildings (on offer, capacity estimated). */
async function insertSites(trx: Knex.Transaction, stamp: Stamp, files: UlmFiles, ids: SeedIds): Promise<void> {
  const insert = async (s: SiteFile['sites'][number], extra: Record<string, unknown>) => {
    const { key, ...fields } = s;
    const [row] = await trx('sites')
      .insert({ ...fields, ...extra, district_id: areaOf(ids.areas, { lat: s.lat, lon: s.lon }), ...stamp })
      .returning('id');
    ids.sites.set(key, idOf(row));
  };
  for (const s of files.sites) await insert(s, { source: 'GD 096/21; data/ulm/sites.json' });
  for (const s of files.candidates) {
    await insert(s, { status: 'candidate', capacity_estimated: true, source: 'Erfundenes Beispiel; data/ulm/candidates.json' });
  }
  // the floors the paper names: a site with floors takes its capacity from them (they carry its workplaces)
  const floors = fs.existsSync(path.join(ULM_DIR, 'floors.json')) ? readJson<{ floors: FloorJson[] }>('floors.json').floors : [];
  for (const f of floors) {
    const { site, ...fields } = f;
    const [row] = await trx('floors')
      .insert({ ...fields, site_id: ref(ids.sites, site, 'site'), ...stamp })
      .returning('id');
    ids.floors.set(`${site}@${f.level}`, idOf(row));
  }
}

/** The floor of a site at a level, named by a move of the dataset (null: none named). */
function floorOf(ids: SeedIds, site: string | undefined, level: number | undefined): number | null {
  return site === undefined || level === undefined ? null : ref(ids.floors, `${site}@${level}`, 'floor');
}

/** The baseline's events and moves, then each scenario with its own. */
async function insertPlans(trx: Knex.Transaction, stamp: Stamp, files: UlmFiles, ids: SeedIds): Promise<void> {
  await insertEvents(trx, stamp, ids, files.events, null);
  await insertMoves(trx, stamp, ids, files.moves, null);
  for (const sc of files.scenarios) {
    const [row] = await trx('scenarios')
      .insert({ name: sc.name, description: sc.description, ...stamp })
      .returning('id');
    const id = idOf(row);
    await insertEvents(trx, stamp, ids, sc.events, id);
    await insertMoves(trx, stamp, ids, sc.moves, id);
  }
}

/** The id of a record named by its key in the dataset (a key not there is an error in the dataset). */
function ref(map: Map<string, number>, k: string | undefined, what: string): number | null {
  if (k === undefined) return null;
  const id = map.get(k);
  if (id === undefined) throw new Error(`unknown ${what} '${k}' in the Ulm dataset`);
  return id;
}

async function insertEvents(trx: Knex.Transaction, stamp: Stamp, ids: SeedIds, list: EventJson[], scenarioId: number | null): Promise<void> {
  for (const e of list) {
    await trx('site_events').insert({
      site_id: ref(ids.sites, e.site, 'site'),
      scenario_id: scenarioId,
      kind: e.kind,
      date: e.date,
      end_date: e.end_date ?? null,
      capacity: e.capacity ?? null,
      note: e.note ?? null,
      estimated: e.estimated ?? false,
      project_id: ref(ids.projects, e.project, 'project'),
      ...(e.facts ?? {}),
      ...stamp,
    });
  }
}

async function insertMoves(trx: Knex.Transaction, stamp: Stamp, ids: SeedIds, list: MoveJson[], scenarioId: number | null): Promise<void> {
  for (const m of list) {
    await trx('moves').insert({
      unit_id: ref(ids.units, m.unit, 'unit'),
      from_site_id: ref(ids.sites, m.from, 'site'),
      to_site_id: ref(ids.sites, m.to, 'site'),
      from_floor_id: floorOf(ids, m.from, m.from_level),
      to_floor_id: floorOf(ids, m.to, m.to_level),
      headcount: m.headcount,
      date: m.date,
      until: m.until ?? null,
      status: m.status,
      scenario_id: scenarioId,
      reference: m.reference ?? null,
      note: m.note ?? null,
      headcount_estimated: m.headcount_estimated ?? false,
      date_estimated: m.date_estimated ?? false,
      project_id: ref(ids.projects, m.project, 'project'),
      ...stamp,
    });
  }
}

/** The paper's places, then the transit stops (GTFS), in batches. */
async function insertPlaces(trx: Knex.Transaction, stamp: Stamp, files: UlmFiles): Promise<void> {
  for (const p of files.places) await trx('places').insert({ ...p, ...stamp });
  const stopRows = files.stops.map((s) => ({
    name: s.name,
    kind: 'transit_stop',
    lat: s.lat,
    lon: s.lon,
    wheelchair_boarding: s.wheelchair_boarding,
    external_id: s.stop_id,
    position_precision: 'building',
    source: 'SWU GTFS 2019 (ODbL, SWU Verkehr via UlmApi)',
    ...stamp,
  }));
  for (let i = 0; i < stopRows.length; i += 100) await trx('places').insert(stopRows.slice(i, i + 100));
}

/** Warnings the paper itself accepts (data/ulm/acknowledgements.json, optional): acknowledged with its words as the reason. */
async function insertAcknowledgements(
  trx: Knex.Transaction,
  ids: { teamIds: Map<string, number>; siteIds: Map<string, number>; unitIds: Map<string, number> },
  stamp: Record<string, unknown>,
): Promise<void> {
  if (!fs.existsSync(path.join(ULM_DIR, 'acknowledgements.json'))) return;
  type AckJson = { code: string; team?: string; site?: string; unit?: string; reason: string; until?: string };
  const ref = (map: Map<string, number>, k: string | undefined, what: string) => {
    if (k === undefined) return null;
    const id = map.get(k);
    if (id === undefined) throw new Error(`unknown ${what} '${k}' in data/ulm/acknowledgements.json`);
    return id;
  };
  for (const a of readJson<{ acknowledgements: AckJson[] }>('acknowledgements.json').acknowledgements) {
    await trx('acknowledgements').insert({
      code: a.code,
      team_id: ref(ids.teamIds, a.team, 'team'),
      site_id: ref(ids.siteIds, a.site, 'site'),
      unit_id: ref(ids.unitIds, a.unit, 'unit'),
      reason: a.reason,
      until: a.until ?? null,
      ...stamp,
    });
  }
}

/** The council report's frame and section texts in the paper's words (data/ulm/report.json, optional). */
async function insertReportTexts(trx: Knex.Transaction, teamIds: Map<string, number>, stamp: Record<string, unknown>): Promise<void> {
  if (!fs.existsSync(path.join(ULM_DIR, 'report.json'))) return;
  type Field = { value: string; source?: string };
  type Section = { team: string | null; heading: string; status_text?: string; outlook_text?: string; source?: string };
  const file = readJson<{ frame: Record<string, Field>; notes?: Record<string, Field>; sections: Section[] }>('report.json');
  const fields = [
    ...Object.entries(file.frame).map(([key, f]) => ({ key, value: f.value, source: f.source ?? null })),
    ...Object.entries(file.notes ?? {}).map(([key, f]) => ({ key: `note.${key}`, value: f.value, source: f.source ?? null })),
  ];
  if (fields.length) await trx('report_fields').insert(fields);
  let position = 0;
  for (const s of file.sections) {
    const teamId = s.team === null ? null : teamIds.get(s.team);
    if (teamId === undefined) throw new Error(`unknown team '${s.team}' in data/ulm/report.json`);
    position += 1;
    const { created_at, updated_at } = stamp as { created_at: string; updated_at: string };
    await trx('report_sections').insert({
      position,
      team_id: teamId,
      heading: s.heading,
      status_text: s.status_text ?? null,
      outlook_text: s.outlook_text ?? null,
      source: s.source ?? null,
      version: 1,
      created_at,
      updated_at,
    });
  }
}
