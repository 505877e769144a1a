/**
 * Rooms from the city's CAFM export (SPEC section 14): `POST /api/import/rooms` with a CSV of
 * `site_id;level;floor_name;room_number;room_name;use;workplaces;area_m2`. All rows or none; a floor
 * a row names that the site does not have yet is created; a room number the floor has already is
 * updated. A dry run answers what would happen and writes nothing. Building staff import rooms of
 * their own sites only; the floors' workplaces and the sites' capacity follow the rooms.
 */
import type { SessionUser } from '../auth/guards.js';
import { AppError, forbidden } from '../errors.js';
import { parseNumber } from '../i18n/numbers.js';
import type { Repos } from '../repositories/index.js';
import { ROOM_USES } from '../repositories/index.js';
import { csvRecords, DEFAULT_LIMITS, toCsv, worded, type CsvEncoding, type CsvLimits, type CsvSeparator, type RowError } from './csv.js';
import type { Lang } from '../i18n/index.js';
import type { FloorService, RoomImportRow } from './floors.js';
import { canPlan } from './rules.js';

export const ROOM_COLUMNS = ['site_id', 'level', 'floor_name', 'room_number', 'room_name', 'use', 'workplaces', 'area_m2'] as const;
const REQUIRED = ['site_id', 'level', 'room_number'];

interface RoomRow extends RoomImportRow {
  line: number;
}

export interface RoomImportResult {
  dry_run: boolean;
  inserted: number;
  updated: number;
  floors_created: number;
  rejected: { line: number; field: string; message: string }[];
  ids: number[];
  /** how the file was read: UTF-8, or Windows-1252 (a German spreadsheet program's CSV) */
  encoding: CsvEncoding;
}

export class RoomImport {
  constructor(
    private readonly repos: Pick<Repos, 'sites' | 'floors' | 'rooms'>,
    private readonly floors: FloorService,
  ) {}

  template(sep: ';' | ','): { name: string; body: string } {
    // one example row (a site id of the organisation's, as the moves template has)
    const example = {
      site_id: 1,
      level: 1,
      floor_name: '1. Obergeschoss',
      room_number: '1.01',
      room_name: 'Beratung',
      use: 'counter',
      workplaces: 2,
      area_m2: 18.5,
    };
    return { name: 'raeume-vorlage.csv', body: toCsv([...ROOM_COLUMNS], [example], sep) };
  }

  async import(
    user: SessionUser,
    body: string | AsyncIterable<Buffer | string>,
    dryRun: boolean,
    limits: CsvLimits = DEFAULT_LIMITS,
    lang: Lang = 'en',
  ): Promise<RoomImportResult> {
    if (!canPlan(user) && user.role !== 'site_editor') throw forbidden();
    const rows: RoomRow[] = [];
    const errors: RowError[] = [];
    let header: string[] = [];
    let line = 1;
    const read: { encoding: CsvEncoding; separator?: CsvSeparator } = { encoding: 'utf-8' };
    for await (const rec of csvRecords(
      body,
      limits.maxBytes,
      (h) => {
        header = h;
        checkHeader(h, lang);
      },
      read,
    )) {
      line++;
      if (line - 1 > limits.maxRows) throw new AppError(413, 'IMPORT_TOO_LARGE', `at most ${limits.maxRows} rows`);
      const row = roomRow(rec, line, errors, read.separator ?? ';');
      if (row) rows.push(row);
    }
    if (!header.length)
      throw new AppError(422, 'IMPORT_FAILED', 'the file is empty', undefined, {
        rows: worded(lang, [{ line: 1, field: '_', message: 'import.row.empty_file' }]),
      });
    const sites = new Map((await this.repos.sites.list()).map((s) => [s.id, s]));
    for (const r of rows) {
      if (!sites.has(r.site_id)) errors.push({ line: r.line, field: 'site_id', message: 'import.row.no_site', params: { id: r.site_id } });
      else if (!this.floors.mayEdit(user, r.site_id)) errors.push({ line: r.line, field: 'site_id', message: 'import.row.own_sites_only' });
    }
    const seen = new Set<string>();
    for (const r of rows) {
      const k = `${r.site_id}|${r.level}|${r.number}`;
      if (seen.has(k)) errors.push({ line: r.line, field: 'room_number', message: 'import.row.room_twice' });
      seen.add(k);
    }
    if (errors.length)
      throw new AppError(422, 'IMPORT_FAILED', `${new Set(errors.map((e) => e.line)).size} rows rejected; nothing was imported`, undefined, {
        rows: worded(lang, errors),
      });
    // what would happen: floors created, rooms inserted or updated
    let floorsCreated = 0;
    let inserted = 0;
    let updated = 0;
    const newFloors = new Set<string>();
    for (const r of rows) {
      const floor = await this.repos.floors.atLevel(r.site_id, r.level);
      if (!floor) {
        if (!newFloors.has(`${r.site_id}|${r.level}`)) floorsCreated++;
        newFloors.add(`${r.site_id}|${r.level}`);
        inserted++;
      } else if (await this.repos.rooms.byNumber(floor.id, r.number)) updated++;
      else inserted++;
    }
    if (dryRun) return { dry_run: true, inserted, updated, floors_created: floorsCreated, rejected: [], ids: [], encoding: read.encoding };
    const ids = await this.floors.importRooms(user, rows);
    return { dry_run: false, inserted, updated, floors_created: floorsCreated, rejected: [], ids, encoding: read.encoding };
  }
}

/** One row of the room list, or null (its fault added to `errors`, as a dictionary key with its values). */
function roomRow(rec: Record<string, string>, line: number, errors: RowError[], sep: CsvSeparator): RoomRow | null {
  const bad = (field: string, message: string, params?: Record<string, string | number>) => {
    errors.push({ line, field, message, ...(params ? { params } : {}) });
    return null;
  };
  const text = (k: string) => (rec[k] ?? '').trim().replace(/^'(?=[=+\-@\t\r])/, '');
  const int = (k: string, min: number, max: number): number | null | undefined => {
    const v = text(k);
    if (v === '') return undefined;
    const n = Number(v);
    return Number.isInteger(n) && n >= min && n <= max ? n : null;
  };
  const siteId = int('site_id', 1, 2 ** 31);
  if (!siteId) return bad('site_id', 'import.row.positive_id');
  const level = int('level', -20, 200);
  if (level === undefined || level === null) return bad('level', 'import.row.whole_range', { min: -20, max: 200 });
  const number = text('room_number');
  if (!number || number.length > 50) return bad('room_number', 'import.row.room_number');
  const use = text('use') || 'office';
  if (!(ROOM_USES as readonly string[]).includes(use)) return bad('use', 'import.row.choice_of', { allowed: ROOM_USES.join(', ') });
  const workplaces = int('workplaces', 0, 10_000);
  if (workplaces === null) return bad('workplaces', 'import.row.whole_range', { min: 0, max: 10_000 });
  const areaText = text('area_m2');
  // in a comma-separated file the dot is the decimal mark
  const area = areaText === '' ? null : parseNumber(areaText, { grouping: sep === ';' });
  if (areaText !== '' && (area === null || !(area > 0) || area > 1_000_000)) return bad('area_m2', 'import.row.area');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(`${text('floor_name')}${text('room_name')}${number}`))
    return bad('room_name', 'import.row.control_chars');
  return {
    line,
    site_id: siteId,
    level,
    floor_name: text('floor_name') || null,
    number,
    name: text('room_name') || null,
    use,
    workplaces: workplaces ?? 0,
    area_m2: area,
  };
}

/** 422 IMPORT_FAILED when the header line lacks a required column or names one the room list does not have. */
function checkHeader(h: string[], lang: Lang): void {
  const unknown = h.filter((c) => !(ROOM_COLUMNS as readonly string[]).includes(c));
  const missing = REQUIRED.filter((c) => !h.includes(c));
  if (!unknown.length && !missing.length) return;
  throw new AppError(422, 'IMPORT_FAILED', `columns: ${[...missing.map((c) => `missing ${c}`), ...unknown.map((c) => `unknown ${c}`)].join(', ')}`, undefined, {
    rows: worded(
      lang,
      [...missing, ...unknown].map((c) => ({ line: 1, field: c, message: missing.includes(c) ? 'import.row.required_column' : 'import.row.unknown_field' })),
    ),
  });
}
