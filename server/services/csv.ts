/**
 * CSV export and import (SPEC section 5): UTF-8 with BOM, `;` by default (German Excel), `,` on request;
 * imports are all-or-nothing with line-numbered errors, and a dry run that writes nothing.
 */
import { parse as csvParse } from 'csv-parse';
import { Readable, pipeline } from 'node:stream';
import { formatDate, hasKey, keyAt, translate, type Lang } from '../i18n/index.js';
import { stringify } from 'csv-stringify/sync';
import type { z } from 'zod';
import type { SessionUser } from '../auth/guards.js';
import { AppError, zodFields } from '../errors.js';
import { areaOf, storedAreaGeometry } from '../geo/index.js';
import { asCounted, introducedNegatives, movesFor } from '../planning/engine.js';
import type { PlanMove } from '../planning/types.js';
import type { Repos } from '../repositories/index.js';
import type { TableRepo } from '../repositories/table.js';
import type { PlanningService } from './planning-service.js';
import * as S from '../schemas.js';
import { requirePlanner } from './rules.js';
import type { WriteService } from './write-service.js';
import { must } from '../invariant.js';
import { parseNumber } from '../i18n/numbers.js';
import { costsAt, type CostComparison, type SideCosts } from '../planning/costs.js';

export type Kind = 'sites' | 'moves';

const NUMERIC: Record<Kind, string[]> = {
  sites: ['id', 'version', 'lat', 'lon', 'capacity', 'office_area_m2', 'door_width_cm', 'threshold_cm'],
  moves: ['id', 'version', 'unit_id', 'from_site_id', 'to_site_id', 'from_floor_id', 'to_floor_id', 'headcount', 'scenario_id', 'cost_eur'],
};
export const COLUMNS: Record<Kind, string[]> = {
  sites: [
    'id',
    'version',
    'name',
    'address',
    'lat',
    'lon',
    'position_precision',
    'capacity',
    'capacity_estimated',
    'office_area_m2',
    'step_free',
    'accessible_toilet',
    'accessible_parking',
    'elevator',
    'door_width_cm',
    'threshold_cm',
    'accessibility_notes',
    'status',
    'notes',
    'assessment',
    'assessment_source',
    'earmarked_until',
    'earmarked_until_estimated',
    'district_id',
    'verified_at',
  ],
  moves: [
    'id',
    'version',
    'unit_id',
    'from_site_id',
    'to_site_id',
    'from_floor_id',
    'to_floor_id',
    'headcount',
    'headcount_estimated',
    'date',
    'date_estimated',
    'until',
    'status',
    'scenario_id',
    'reference',
    'note',
    'cost_eur',
  ],
};
/** true/false columns: `true`/`false`, `1`/`0` or `ja`/`nein` */
const BOOLEAN: Record<Kind, string[]> = { sites: ['capacity_estimated', 'earmarked_until_estimated'], moves: ['headcount_estimated', 'date_estimated'] };
function parseBoolean(raw: string): boolean | string {
  const v = raw.trim().toLowerCase();
  if (['true', '1', 'ja', 'yes', 'wahr'].includes(v)) return true;
  if (['false', '0', 'nein', 'no', 'falsch'].includes(v)) return false;
  return raw;
}
/**
 * Accessibility facts as the app's own pages say them: „ja“, „nein“, „unbekannt“ (and „nicht nötig“
 * for a lift) read as yes, no, unknown, not_needed; the stored words as they are.
 */
const FACT_COLUMNS: Record<Kind, string[]> = { sites: ['step_free', 'accessible_toilet', 'accessible_parking', 'elevator'], moves: [] };
const FACT_WORDS: Record<string, string> = { ja: 'yes', nein: 'no', unbekannt: 'unknown', 'nicht nötig': 'not_needed', 'nicht noetig': 'not_needed' };
function parseFact(raw: string): string {
  const v = raw.trim().toLowerCase();
  return FACT_WORDS[v] ?? (['yes', 'no', 'unknown', 'not_needed'].includes(v) ? v : raw);
}
/** written by the export, ignored by the import (derived or managed by the app) */
const DERIVED: Record<Kind, string[]> = { sites: ['district_id', 'verified_at'], moves: [] };

/** A rejected cell: `message` is a dictionary key (`validation.*`, `import.row.*`) with `params`, or zod's own text. */
export interface RowError {
  line: number;
  field: string;
  message: string;
  params?: Record<string, string | number>;
}

/**
 * The words of a row error in the language (the API's default is English): the short texts of
 * `import.row.*` where there is one, else the form's message (`validation.*`).
 */
export function rowMessage(lang: Lang, e: RowError): string {
  const [base, query] = e.message.split('?', 2);
  if (!base.startsWith('validation.') && !base.startsWith('import.row.')) return e.message;
  const short = base.startsWith('validation.') ? `import.row.${base.slice('validation.'.length)}` : base;
  const key = hasKey(lang, short) ? short : base;
  const params = e.params?.date ? { ...e.params, date: formatDate(lang, String(e.params.date)) } : e.params;
  return translate(lang, keyAt(query ? `${key}?${query}` : key), params);
}

/** Row errors with their messages in the language. */
export const worded = (lang: Lang, rows: readonly RowError[]) =>
  rows.map(({ params: _p, ...e }) => ({ ...e, message: rowMessage(lang, { ...e, params: _p }) }));

/**
 * Spreadsheet programs run a cell that begins with = + - @ (or tab, CR) as a formula: such text is
 * written with a leading ' (OWASP CSV injection), which the import strips again. Numbers stay numbers.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
export const neutralise = (s: string) => (FORMULA_START.test(s) ? `'${s}` : s);
export const unneutralise = (s: string) => (s.startsWith("'") && FORMULA_START.test(s.slice(1)) ? s.slice(1) : s);

function cell(v: unknown, sep: string): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return sep === ';' ? String(v).replace('.', ',') : String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return neutralise(String(v));
}

export function toCsv(columns: string[], rows: Record<string, unknown>[], sep: ';' | ','): string {
  return `\uFEFF${stringify([columns, ...rows.map((r) => columns.map((c) => cell(r[c], sep)))], { delimiter: sep, record_delimiter: '\r\n' })}`;
}

/** As toCsv, a piece per page of rows (the first piece, with the header, comes with the first page read). */
export async function* csvPieces(columns: string[], pages: AsyncIterable<readonly object[]>, sep: ';' | ','): AsyncGenerator<string> {
  const opts = { delimiter: sep, record_delimiter: '\r\n' };
  let head = `\uFEFF${stringify([columns], opts)}`;
  for await (const rows of pages) {
    if (!rows.length) continue;
    yield (
      head +
      stringify(
        rows.map((r) => columns.map((c) => cell((r as Record<string, unknown>)[c], sep))),
        opts,
      )
    );
    head = '';
  }
  if (head) yield head;
}

export type CsvRepos = Pick<Repos, 'sites' | 'moves' | 'units' | 'scenarios' | 'districts' | 'audit' | 'floors'>;

/** CSV export and import, for planners and the people they exchange spreadsheets with. */
export class CsvService {
  constructor(
    private readonly repos: CsvRepos,
    private readonly writes: WriteService,
    private readonly planning: PlanningService,
    private readonly today: () => string,
  ) {}

  /** A file name and body: sites, moves, or the state at a date (per site and unit). */
  async export(
    kind: Kind | 'state' | 'costs',
    sep: ';' | ',',
    opts: { date?: string; scenarioId?: number | null } = {},
  ): Promise<{ name: string; body: string }> {
    const date = opts.date ?? this.today();
    const dated = kind === 'state' || kind === 'costs';
    return { name: `${kind}${dated ? `-${date}` : ''}.csv`, body: await this.exportBody(kind, sep, date, opts.scenarioId ?? null) };
  }

  /** As `export`, the body in pieces: the moves page by page (50,000 of them are never held whole), the others at once. */
  async exportPieces(
    kind: Kind | 'state' | 'costs',
    sep: ';' | ',',
    opts: { date?: string; scenarioId?: number | null } = {},
  ): Promise<{ name: string; pieces: AsyncIterable<string> }> {
    if (kind === 'moves') return { name: 'moves.csv', pieces: csvPieces(COLUMNS.moves, this.repos.moves.pagesById(), sep) };
    const { name, body } = await this.export(kind, sep, opts);
    return {
      name,
      pieces: (async function* () {
        yield body;
      })(),
    };
  }

  /**
   * A scenario's cost comparison over a period as CSV: one row per site (running costs and move
   * costs of each side, the difference), then the totals in a row without a site.
   */
  costComparison(c: CostComparison, sep: ';' | ','): { name: string; body: string } {
    const cols = [
      'from',
      'to',
      'scenario_id',
      'site_id',
      'site',
      'baseline_running_eur',
      'baseline_moves_eur',
      'scenario_running_eur',
      'scenario_moves_eur',
      'difference_eur',
      // the part of the running costs for people who stay after a lease ended (added last: older sheets keep their columns)
      'baseline_holdover_eur',
      'scenario_holdover_eur',
    ];
    const row = (site_id: number | null, site: string | null, b: SideCosts, sc: SideCosts, difference_eur: number) => ({
      from: c.from,
      to: c.to,
      scenario_id: c.scenario_id,
      site_id,
      site,
      baseline_running_eur: b.running_eur,
      baseline_moves_eur: b.moves_eur,
      baseline_holdover_eur: b.holdover_eur,
      scenario_running_eur: sc.running_eur,
      scenario_moves_eur: sc.moves_eur,
      scenario_holdover_eur: sc.holdover_eur,
      difference_eur,
    });
    const rows = [
      ...c.by_site.map((s) => row(s.site_id, s.site, s.baseline, s.scenario, s.difference_eur)),
      row(null, null, c.baseline, c.scenario, c.difference_eur),
    ];
    return { name: `scenario-${c.scenario_id}-costs-${c.from}-${c.to}.csv`, body: toCsv(cols, rows, sep) };
  }

  template(kind: Kind, sep: ';' | ','): { name: string; body: string } {
    return { name: `${kind}-vorlage.csv`, body: template(kind, sep) };
  }

  /** The import page: planners only (403). */
  mayImport(user: SessionUser | undefined): void {
    requirePlanner(user);
  }

  /** An import: all rows or none; a dry run answers what would happen and writes nothing. Row messages in `lang`. */
  import(
    user: SessionUser,
    kind: Kind,
    body: string | AsyncIterable<Buffer | string>,
    dryRun: boolean,
    limits: CsvLimits = DEFAULT_LIMITS,
    lang: Lang = 'en',
  ): Promise<ImportResult> {
    return new CsvImporter(this.repos, this.writes, this.planning).run(user, kind, body, dryRun, limits, lang);
  }

  private async exportBody(kind: Kind | 'state' | 'costs', sep: ';' | ',', date: string, scenarioId: number | null): Promise<string> {
    if (kind === 'costs') {
      const c = costsAt(await this.planning.plan(), date, scenarioId);
      const cols = [
        'date',
        'site_id',
        'site',
        'kind',
        'lease_id',
        'lease_end',
        'holdover',
        'annual_eur',
        'per_workplace_eur',
        'per_person_eur',
        'capacity',
        'headcount',
        // whether the capacity (and the cost per workplace), or the headcount (and the cost per person), rests on an estimate
        'capacity_estimated',
        'headcount_estimated',
      ];
      return toCsv(cols, c.sites.map((s) => ({ date: c.date, ...s })) as unknown as Record<string, unknown>[], sep);
    }
    if (kind === 'sites') return toCsv(COLUMNS.sites, (await this.repos.sites.list()) as unknown as Record<string, unknown>[], sep);
    if (kind === 'moves') return toCsv(COLUMNS.moves, (await this.repos.moves.list()) as unknown as Record<string, unknown>[], sep);
    const plan = await this.planning.plan();
    const st = plan.state(date, scenarioId);
    const cols = [
      'date',
      'site_id',
      'site',
      'district_id',
      'status',
      'capacity',
      'capacity_estimated',
      'headcount',
      'headcount_estimated',
      'needed',
      'free',
      'utilization',
      'unit_id',
      'unit',
      'team',
      'unit_headcount',
      'unit_headcount_estimated',
    ];
    const rows = st.sites.flatMap((s) => {
      const base = {
        date: st.date,
        site_id: s.id,
        site: s.name,
        district_id: s.district_id,
        status: s.status,
        capacity: s.capacity,
        capacity_estimated: s.capacity_estimated,
        headcount: s.headcount,
        headcount_estimated: s.headcount_estimated,
        needed: s.needed,
        free: s.free,
        utilization: s.utilization,
      };
      return s.units.length
        ? s.units.map((u) => ({
            ...base,
            unit_id: u.unit_id,
            unit: u.unit,
            team: u.team,
            unit_headcount: u.headcount,
            unit_headcount_estimated: u.headcount_estimated,
          }))
        : [base];
    });
    return toCsv(cols, rows, sep);
  }
}

export function template(kind: Kind, sep: ';' | ','): string {
  const example: Record<Kind, Record<string, unknown>> = {
    sites: {
      name: 'Beispielhaus',
      address: 'Musterstraße 1, 89073 Ulm',
      lat: 48.3984,
      lon: 9.9916,
      position_precision: 'street',
      capacity: 20,
      step_free: 'unknown',
      accessible_toilet: 'unknown',
      accessible_parking: 'unknown',
      elevator: 'unknown',
      status: 'active',
    },
    moves: { unit_id: 1, from_site_id: '', to_site_id: 1, headcount: 2, date: '2027-01-01', status: 'proposed' },
  };
  const cols = COLUMNS[kind].filter((c) => !DERIVED[kind].includes(c));
  return toCsv(cols, [example[kind]], sep);
}

export type CsvSeparator = ';' | ',';

function detectSeparator(text: string): CsvSeparator {
  const header = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  return (header.match(/;/g)?.length ?? 0) >= (header.match(/,/g)?.length ?? 0) ? ';' : ',';
}

/** Number columns never written with thousands: a coordinate's dot is its decimal mark ("9.991" is 9.991). */
const DECIMAL = ['lat', 'lon'];

/**
 * A number cell as a number; what is none stays text (the schema names the field). In a
 * comma-separated file the dot is the decimal mark (a German file, ;-separated, writes "1.234" for
 * a thousand and more).
 */
const numberOrText = (raw: string, column: string, sep: CsvSeparator): number | string =>
  parseNumber(raw, { grouping: sep === ';' && !DECIMAL.includes(column) }) ?? raw;

export interface CsvLimits {
  maxRows: number;
  maxBytes: number;
}
export const DEFAULT_LIMITS: CsvLimits = { maxRows: 100_000, maxBytes: 25 * 1024 * 1024 };
const MAX_LISTED_ERRORS = 1000;

/**
 * The records of a CSV text or byte stream, one at a time (csv-parse's stream parser). The separator
 * is taken from the header line; more than `maxBytes` bytes end the read with 413 IMPORT_TOO_LARGE.
 */
export async function* csvRecords(
  input: string | AsyncIterable<Buffer | string>,
  maxBytes: number,
  onHeader: (h: string[]) => void,
  read: { encoding: CsvEncoding; separator?: CsvSeparator } = { encoding: 'utf-8' },
): AsyncGenerator<Record<string, string>> {
  const decoder = new SpreadsheetDecoder();
  let bytes = 0;
  async function* text(): AsyncGenerator<string> {
    if (typeof input === 'string') {
      if (Buffer.byteLength(input) > maxBytes) throw bodyTooLarge(maxBytes);
      for (let i = 0; i < input.length; i += 64 * 1024) yield input.slice(i, i + 64 * 1024);
      return;
    }
    for await (const c of input) {
      bytes += typeof c === 'string' ? Buffer.byteLength(c) : c.length;
      if (bytes > maxBytes) throw bodyTooLarge(maxBytes);
      const t = typeof c === 'string' ? c : decoder.decode(c);
      read.encoding = decoder.encoding;
      if (t) yield t;
    }
    const tail = decoder.end();
    read.encoding = decoder.encoding;
    if (tail) yield tail;
  }
  const src = text();
  let head = '';
  let next = await src.next();
  while (!next.done) {
    head += next.value;
    if (head.includes('\n')) break;
    next = await src.next();
  }
  if (head.trim() === '') return;
  const ended = next.done;
  async function* all(): AsyncGenerator<string> {
    yield head;
    if (ended) return;
    for (;;) {
      const n = await src.next();
      if (n.done) return;
      yield n.value;
    }
  }
  const parser = csvParse({
    columns: (h: string[]) => {
      const cols = h.map((c) => c.trim());
      onHeader(cols);
      return cols;
    },
    bom: true,
    delimiter: (read.separator = detectSeparator(head)),
    skip_empty_lines: true,
    trim: false,
  });
  const records = pipeline(Readable.from(all()), parser, () => undefined);
  for await (const rec of records) yield rec as Record<string, string>;
}

/** The encodings a CSV import reads (SPEC section 13): UTF-8 (with or without BOM) and what German Excel writes. */
export type CsvEncoding = 'utf-8' | 'windows-1252';

/**
 * Decodes a file's bytes as they arrive: strict UTF-8 first; at the first byte sequence that is not
 * UTF-8, while everything read so far was plain ASCII (the same in both), the file is Windows-1252
 * (German Excel's "CSV (Trennzeichen-getrennt)") from its start. A file that mixes real UTF-8 with
 * other bytes cannot be read honestly and is refused.
 */
export class SpreadsheetDecoder {
  encoding: CsvEncoding = 'utf-8';
  private utf8 = new TextDecoder('utf-8', { fatal: true });
  private cp1252 = new TextDecoder('windows-1252');
  private nonAscii = false;
  /** the last chunk's trailing bytes above 0x7F: a UTF-8 sequence may still be waiting for its end */
  private pending = new Uint8Array(0);

  decode(chunk: Uint8Array): string {
    if (this.encoding === 'windows-1252') return this.cp1252.decode(chunk, { stream: true });
    try {
      const text = this.utf8.decode(chunk, { stream: true });
      if (!this.nonAscii && /[\u0080-\uffff]/.test(text)) this.nonAscii = true;
      let i = chunk.length;
      while (i > 0 && chunk.length - i < 3 && chunk[i - 1] >= 0x80) i--;
      this.pending = chunk.slice(i);
      return text;
    } catch {
      return this.switchTo(chunk);
    }
  }

  end(): string {
    if (this.encoding === 'windows-1252') return this.cp1252.decode();
    try {
      return this.utf8.decode();
    } catch {
      return this.switchTo(new Uint8Array(0)) + this.cp1252.decode();
    }
  }

  private switchTo(chunk: Uint8Array): string {
    if (this.nonAscii) throw new Error('the file mixes UTF-8 with another encoding; save it again as CSV UTF-8');
    this.encoding = 'windows-1252';
    const bytes = new Uint8Array(this.pending.length + chunk.length);
    bytes.set(this.pending);
    bytes.set(chunk, this.pending.length);
    return this.cp1252.decode(bytes, { stream: true });
  }
}

export const bodyTooLarge = (maxBytes: number) =>
  new AppError(413, 'IMPORT_TOO_LARGE', `the file is larger than ${Math.round(maxBytes / 1024 / 1024)} MB; split it`, undefined, { max_bytes: maxBytes });

export interface ImportResult {
  dry_run: boolean;
  /** how the file's bytes were read (SPEC section 13) */
  encoding: CsvEncoding;
  inserted: number;
  updated: number;
  rejected: RowError[];
  ids: number[];
}

const dryRunResult = (encoding: CsvEncoding, inserted: number, updated: number, rejected: RowError[]): ImportResult => ({
  dry_run: true,
  encoding,
  inserted,
  updated,
  rejected,
  ids: [],
});

type RowInsert = { line: number; values: Record<string, unknown> };
type RowUpdate = { line: number; id: number; version: number; values: Record<string, unknown> };

const ROW_SCHEMAS: Record<Kind, { create: z.ZodTypeAny; patch: z.ZodTypeAny }> = {
  sites: { create: S.SiteCreate, patch: S.SitePatch },
  moves: { create: S.MoveCreate, patch: S.MovePatch },
};

/** One record's cells as values: derived columns left out, empty cells null (an empty id or version left out). */
function rowValues(kind: Kind, rec: Record<string, string>, sep: CsvSeparator): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [k, raw] of Object.entries(rec)) {
    if (DERIVED[kind].includes(k)) continue;
    if (raw === '' || raw === undefined) {
      if (k !== 'id' && k !== 'version') row[k] = null;
      continue;
    }
    row[k] = NUMERIC[kind].includes(k)
      ? numberOrText(raw, k, sep)
      : BOOLEAN[kind].includes(k)
        ? parseBoolean(raw)
        : FACT_COLUMNS[kind].includes(k)
          ? parseFact(raw)
          : unneutralise(raw);
  }
  return row;
}

/** A row's refused cells; a value that is none of a column's choices names the choices. */
function rowErrors(line: number, err: z.ZodError): RowError[] {
  const choices = new Map<string, string>();
  const german: Record<string, string> = { yes: 'ja', no: 'nein', unknown: 'unbekannt', not_needed: 'nicht nötig' };
  for (const issue of err.issues) {
    if (issue.code !== 'invalid_value') continue;
    const field = issue.path.join('.');
    const values = issue.values.map(String);
    // an accessibility fact: the words of the app's pages first, then the stored ones
    const words = FACT_COLUMNS.sites.includes(field) ? [...values.map((v) => german[v] ?? v), ...values] : values;
    choices.set(field, words.join(', '));
  }
  return Object.entries(zodFields(err)).map(([field, message]) =>
    message === 'validation.choice' && choices.has(field)
      ? { line, field, message: 'import.row.choice_of', params: { allowed: choices.get(field) ?? '' } }
      : { line, field, message },
  );
}

/** One record checked against the schemas: an update (it has an id), an insert, or the row's errors. */
function parseRow(kind: Kind, line: number, rec: Record<string, string>, sep: CsvSeparator): { insert?: RowInsert; update?: RowUpdate; errors?: RowError[] } {
  const { id, version, ...fields } = rowValues(kind, rec, sep);
  for (const [k, v] of Object.entries(fields)) if (v === null && !NULLABLE[kind].includes(k)) delete fields[k];
  if (id !== undefined && id !== null) {
    const r = ROW_SCHEMAS[kind].patch.safeParse({ ...fields, version });
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 1) return { errors: [{ line, field: 'id', message: 'import.row.positive_id' }] };
    if (!r.success) return { errors: rowErrors(line, r.error) };
    const { version: v, ...values } = r.data as Record<string, unknown>;
    return { update: { line, id, version: v as number, values } };
  }
  const r = ROW_SCHEMAS[kind].create.safeParse(fields);
  if (!r.success) return { errors: rowErrors(line, r.error) };
  return { insert: { line, values: r.data as Record<string, unknown> } };
}

/** A header line's columns: each known, else 422 IMPORT_FAILED naming the unknown ones (or, when none is known, saying it is no such CSV). */
function checkColumns(kind: Kind, header: readonly string[], lang: Lang): void {
  const unknown = header.filter((h) => !COLUMNS[kind].includes(h));
  // not one known column (a spreadsheet's binary file, a text of another kind): one message, not the garbage as column names
  if (unknown.length && unknown.length === header.length) {
    const expected = COLUMNS[kind]
      .filter((c) => c !== 'id' && c !== 'version')
      .slice(0, 4)
      .join(';');
    throw new AppError(422, 'IMPORT_FAILED', "no known column in the header line: is it a CSV file with the template's header?", undefined, {
      rows: worded(lang, [{ line: 1, field: '', message: 'import.row.no_known_column', params: { expected } }]),
    });
  }
  if (unknown.length)
    throw new AppError(422, 'IMPORT_FAILED', `unknown columns: ${unknown.join(', ')}`, undefined, {
      rows: worded(
        lang,
        unknown.map((c) => ({ line: 1, field: c, message: 'validation.unknown_field' })),
      ),
    });
}

class CsvImporter {
  constructor(
    private readonly repos: CsvRepos,
    private readonly writes: WriteService,
    private readonly planning: PlanningService,
  ) {}

  async run(
    user: SessionUser,
    kind: Kind,
    body: string | AsyncIterable<Buffer | string>,
    dryRun: boolean,
    limits: CsvLimits = DEFAULT_LIMITS,
    lang: Lang = 'en',
  ): Promise<ImportResult> {
    requirePlanner(user);
    const required = () => new AppError(400, 'VALIDATION_FAILED', 'send the CSV as the request body (Content-Type: text/csv)', { body: 'validation.required' });
    if (typeof body === 'string' && body.trim() === '') throw required();

    const errors: RowError[] = [];
    let rejectedRows = 0;
    const inserts: RowInsert[] = [];
    const updates: RowUpdate[] = [];
    // only the first errors are listed (a file of garbage must not build a list as long as itself)
    const reject = (e: RowError[]) => {
      if (e.length) rejectedRows++;
      for (const x of e) if (errors.length < MAX_LISTED_ERRORS) errors.push(x);
    };
    let header: string[] | null = null;
    const checkHeader = () => checkColumns(kind, header ?? [], lang);
    let count = 0;
    const read: { encoding: CsvEncoding; separator?: CsvSeparator } = { encoding: 'utf-8' };
    try {
      // record by record, as the bytes arrive: never the whole file as objects, and the event loop
      // gets a turn every few hundred rows (other requests, /healthz, stay quick)
      for await (const rec of csvRecords(
        body,
        limits.maxBytes,
        (h) => {
          header = h;
        },
        read,
      )) {
        if (count === 0) checkHeader();
        const line = ++count + 1;
        if (count > limits.maxRows)
          throw new AppError(422, 'IMPORT_TOO_LARGE', `the file has more than ${limits.maxRows} rows (IMPORT_MAX_ROWS); split it`, undefined, {
            max_rows: limits.maxRows,
          });
        if (count % 250 === 0) await new Promise((r) => setImmediate(r));
        const parsed = parseRow(kind, line, rec, read.separator ?? ';');
        if (parsed.errors) reject(parsed.errors);
        else if (parsed.update) updates.push(parsed.update);
        else if (parsed.insert) inserts.push(parsed.insert);
      }
    } catch (e) {
      if (e instanceof AppError) throw e;
      const err = e as { lines?: number; message: string };
      throw new AppError(422, 'IMPORT_FAILED', 'the CSV could not be read', undefined, {
        rows: worded(lang, [{ line: err.lines ?? 1, field: '', message: 'import.row.unreadable', params: { detail: err.message } }]),
      });
    }
    if (header === null) throw required();
    checkHeader();
    if (!errors.length) errors.push(...(await this.checkReferences(kind, inserts, updates)));
    if (!errors.length && kind === 'moves') errors.push(...(await this.checkMergedMoves(updates)));
    if (!errors.length && kind === 'moves') errors.push(...(await this.checkLedger(inserts, updates)));
    const translated = worded(lang, errors).sort((a, b) => a.line - b.line);
    if (dryRun) return dryRunResult(read.encoding, errors.length ? 0 : inserts.length, errors.length ? 0 : updates.length, translated);
    if (errors.length)
      throw new AppError(
        422,
        'IMPORT_FAILED',
        `${Math.max(rejectedRows, new Set(errors.map((e) => e.line)).size)} rows rejected; nothing was imported`,
        undefined,
        { rows: translated },
      );
    return { ...(await this.write(user, kind, inserts, updates, lang)), encoding: read.encoding };
  }

  private async checkReferences(
    kind: Kind,
    inserts: { line: number; values: Record<string, unknown> }[],
    updates: { line: number; id: number; values: Record<string, unknown> }[],
  ): Promise<RowError[]> {
    const out: RowError[] = [];
    const existing = await this.repos[kind].ids();
    for (const u of updates)
      if (!existing.has(u.id)) out.push({ line: u.line, field: 'id', message: `import.row.no_${kind.slice(0, -1)}`, params: { id: String(u.id) } });
    if (kind === 'moves') {
      const [units, sites, scenarios, floorList] = await Promise.all([
        this.repos.units.ids(),
        this.repos.sites.ids(),
        this.repos.scenarios.ids(),
        this.repos.floors.list(),
      ]);
      const floors = new Map(floorList.map((f) => [f.id, f]));
      for (const r of [...inserts, ...updates]) {
        const v = r.values;
        if (v.unit_id != null && !units.has(v.unit_id as number))
          out.push({ line: r.line, field: 'unit_id', message: 'import.row.no_unit', params: { id: String(v.unit_id) } });
        for (const f of ['from_site_id', 'to_site_id'])
          if (v[f] != null && !sites.has(v[f] as number)) out.push({ line: r.line, field: f, message: 'import.row.no_site', params: { id: String(v[f]) } });
        for (const [f, siteField] of [
          ['from_floor_id', 'from_site_id'],
          ['to_floor_id', 'to_site_id'],
        ] as const) {
          if (v[f] == null) continue;
          const floor = floors.get(v[f] as number);
          if (!floor) out.push({ line: r.line, field: f, message: 'import.row.no_floor', params: { id: String(v[f]) } });
          else if (v[siteField] !== undefined && floor.site_id !== v[siteField])
            out.push({ line: r.line, field: f, message: 'import.row.floor_of_other_site', params: { id: String(v[f]) } });
        }
        if (v.scenario_id != null && !scenarios.has(v.scenario_id as number))
          out.push({ line: r.line, field: 'scenario_id', message: 'import.row.no_scenario', params: { id: String(v.scenario_id) } });
      }
    }
    return out;
  }

  /** An update row is checked with the move it changes: from/to, until after date, … */
  private async checkMergedMoves(updates: { line: number; id: number; values: Record<string, unknown> }[]): Promise<RowError[]> {
    const out: RowError[] = [];
    for (const u of updates) {
      const base = await this.repos.moves.get(u.id);
      if (!base) continue;
      const { id: _i, version: _v, created_at: _c, updated_at: _u, updated_by: _b, ...fields } = { ...base, ...u.values } as Record<string, unknown>;
      const r = S.MoveCreate.safeParse(fields);
      if (!r.success) for (const [f, m] of Object.entries(zodFields(r.error))) out.push({ line: u.line, field: f, message: m });
    }
    return out;
  }

  /** NEGATIVE_HEADCOUNT over the whole batch: the ledger with every imported row must stay ≥ 0. */
  private async checkLedger(
    inserts: { line: number; values: Record<string, unknown> }[],
    updates: { line: number; id: number; values: Record<string, unknown> }[],
    current?: PlanMove[],
  ): Promise<RowError[]> {
    const stored = current ?? (await this.planning.plan()).data.moves;
    const byId = new Map(stored.map((m) => [m.id, m]));
    const lineOf = new Map<number, number>();
    let moves: PlanMove[] = stored.slice();
    updates.forEach((u) => {
      const base = must(byId.get(u.id), 'byId.get(u.id)');
      const merged = { ...base, ...u.values } as PlanMove;
      moves = moves.map((m) => (m.id === u.id ? merged : m));
      lineOf.set(u.id, u.line);
    });
    inserts.forEach((r, i) => {
      const fakeId = 1_000_000_000 + i; // after every stored id, in line order (same-day moves apply in file order)
      const v = r.values as unknown as PlanMove;
      moves.push({
        id: fakeId,
        unit_id: v.unit_id,
        from_site_id: v.from_site_id ?? null,
        to_site_id: v.to_site_id ?? null,
        from_floor_id: v.from_floor_id ?? null,
        to_floor_id: v.to_floor_id ?? null,
        headcount: v.headcount,
        date: v.date,
        until: v.until ?? null,
        ...asCounted({ status: v.status, scenario_id: v.scenario_id ?? null }),
      });
      lineOf.set(fakeId, r.line);
    });
    const out: RowError[] = [];
    const scenarios = new Set<number | null>([null, ...moves.map((m) => m.scenario_id)]);
    for (const sc of scenarios) {
      // compare the current ledger with the imported one for this selection
      for (const n of introducedNegatives(movesFor(stored, sc), movesFor(moves, sc))) {
        out.push({
          line: lineOf.get(n.move_id) ?? 0,
          field: 'headcount',
          message: 'import.row.negative_headcount',
          params: { unit_id: String(n.unit_id), headcount: n.headcount, site_id: String(n.site_id), date: n.date },
        });
      }
    }
    return out;
  }

  private async write(
    user: SessionUser,
    kind: Kind,
    inserts: { line: number; values: Record<string, unknown> }[],
    updates: { line: number; id: number; version: number; values: Record<string, unknown> }[],
    lang: Lang,
  ): Promise<ImportResult> {
    const districts = kind === 'sites' ? (await this.repos.districts.list()).map((d) => ({ id: d.id, geometry: storedAreaGeometry(d.geometry) })) : [];
    const derive = (v: Record<string, unknown>) =>
      kind === 'sites' && v.lat !== undefined && v.lon !== undefined ? { district_id: areaOf(districts, { lat: v.lat as number, lon: v.lon as number }) } : {};
    return this.writes.transaction(async (trx) => {
      if (kind === 'moves') {
        // checked again inside the transaction, which holds the write lock: a move written meanwhile counts
        const current: PlanMove[] = await this.repos.moves.listColumns(
          ['unit_id', 'from_site_id', 'to_site_id', 'from_floor_id', 'to_floor_id', 'headcount', 'date', 'until', 'status', 'scenario_id'],
          5000,
          trx,
        );
        const rows = await this.checkLedger(inserts, updates, current);
        if (rows.length)
          throw new AppError(422, 'IMPORT_FAILED', `${new Set(rows.map((e) => e.line)).size} rows rejected; nothing was imported`, undefined, {
            rows: worded(lang, rows),
          });
      }
      const repo: TableRepo<{ id: number; version: number; lat?: number; lon?: number }> = this.repos[kind];
      const ids = await repo.insertMany(
        // the rows' own objects completed in place: no second copy of every row while it is written
        inserts.map((r) => Object.assign(r.values, derive(r.values), { updated_by: user.id })),
        trx,
      );
      for (const u of updates) {
        const before = await repo.get(u.id, trx);
        let extra = {};
        if (before && kind === 'sites' && (u.values.lat !== undefined || u.values.lon !== undefined))
          extra = derive({ lat: u.values.lat ?? before.lat, lon: u.values.lon ?? before.lon });
        const after = before ? await repo.update(u.id, u.version, { ...u.values, ...extra, updated_by: user.id }, trx) : null;
        if (!before || !after)
          throw new AppError(422, 'IMPORT_FAILED', 'a row was changed by someone else meanwhile; nothing was imported', undefined, {
            rows: worded(lang, [
              {
                line: u.line,
                field: 'version',
                message: 'import.row.stale_version',
                params: { version: String(u.version), current: String(before?.version ?? '–') },
              },
            ]),
          });
        await this.writes.audit(trx, user, 'update', kind === 'sites' ? 'site' : 'move', u.id, before, after);
      }
      await this.repos.audit.record(
        {
          user_id: user.id,
          username: user.username,
          action: 'import',
          entity: 'import',
          entity_id: null,
          before: null,
          after: { kind, inserted: ids.length, updated: updates.length, inserted_ids: ids.slice(0, 10_000) },
        },
        trx,
      );
      return { dry_run: false, encoding: 'utf-8' as CsvEncoding, inserted: ids.length, updated: updates.length, rejected: [], ids };
    });
  }
}

const NULLABLE: Record<Kind, string[]> = {
  sites: [
    'address',
    'office_area_m2',
    'door_width_cm',
    'threshold_cm',
    'accessibility_notes',
    'notes',
    'position_source',
    'assessment',
    'assessment_source',
    'earmarked_until',
  ],
  moves: ['from_site_id', 'to_site_id', 'from_floor_id', 'to_floor_id', 'until', 'scenario_id', 'reference', 'note'],
};
