/** The audit log: reading it for the API and the audit page, and what changed since a form's version. */
import type { SessionUser } from '../auth/guards.js';
import type { AuditEntry, AuditFilter, NamedKind, Repos } from '../repositories/index.js';
import { requirePlanner } from './rules.js';

export interface FieldChange {
  field: string;
  then: unknown;
  now: unknown;
  by: string | null;
}

/** A value as the audit page shows it: as stored, the names of the records an id names, a count for a list, or the fields of an object. */
export type AuditValue = string | number | boolean | null | { names: string[] } | { count: number } | { fields: { field: string; value: AuditValue }[] };

export interface ReadableEntry {
  id: number;
  at: string;
  username: string | null;
  action: string;
  entity: string;
  entity_id: number | null;
  /** the record's name (a move's unit, an event's site), null when it has none */
  subject: string | null;
  changes: { field: string; before: AuditValue; after: AuditValue }[];
}

export interface AuditPage {
  rows: ReadableEntry[];
  total: number;
  usernames: string[];
  page: number;
  perPage: number;
}

/** Fields that hold ids of other records, and which kind. */
const REFERENCES: Record<string, NamedKind> = {
  site_id: 'site',
  from_site_id: 'site',
  to_site_id: 'site',
  site_ids: 'site',
  unit_id: 'unit',
  unit_ids: 'unit',
  team_id: 'team',
  team_ids: 'team',
  district_id: 'district',
  scenario_id: 'scenario',
  project_id: 'project',
  move_id: 'move',
  event_id: 'site_event',
  floor_id: 'floor',
  from_floor_id: 'floor',
  to_floor_id: 'floor',
  user_id: 'user',
  verified_by: 'user',
  updated_by: 'user',
  /** a copied scenario's original */
  from: 'scenario',
};
const NAMED_KINDS = new Set<string>(['site', 'unit', 'team', 'district', 'scenario', 'project', 'place', 'user', 'move', 'site_event', 'floor']);
const isNamedKind = (k: string): k is NamedKind => NAMED_KINDS.has(k);
/** Bookkeeping every record carries: not a change anyone made. */
const SKIP = new Set(['id', 'updated_at', 'created_at', 'version', 'updated_by', 'geometry', 'session_epoch']);

const parseJson = (s: string | null) => (s ? (JSON.parse(s) as Record<string, unknown>) : null);

export class AuditService {
  constructor(private readonly repos: Pick<Repos, 'audit'>) {}

  /** Entries as stored (before and after as JSON text), newest first: the site page lists them. */
  entries(f: { entity?: string; entity_id?: number; limit?: number }): Promise<AuditEntry[]> {
    return this.repos.audit.find(f);
  }

  /** Entries, newest first, with before and after as objects. */
  async find(actor: SessionUser | undefined, f: { entity?: string; entity_id?: number; limit?: number }) {
    requirePlanner(actor);
    const rows = await this.repos.audit.find(f);
    return rows.map((a) => ({ ...a, before: parseJson(a.before), after: parseJson(a.after) }));
  }

  /**
   * One page of the audit page: entries newest first, each with the name of its record and the
   * fields that changed, where ids of other records are their names (the page words the rest).
   */
  async page(actor: SessionUser | undefined, f: AuditFilter, page: number, perPage: number): Promise<AuditPage> {
    requirePlanner(actor);
    const [rows, total, usernames] = await Promise.all([
      this.repos.audit.find({ ...f, limit: perPage, offset: (page - 1) * perPage }),
      this.repos.audit.count(f),
      this.repos.audit.usernames(),
    ]);
    return { rows: await this.readable(rows), total, usernames, page, perPage };
  }

  /** Every entry the filter takes (at most `max`, newest first), in the page's shape: the CSV export. */
  async all(actor: SessionUser | undefined, f: AuditFilter, max: number): Promise<ReadableEntry[]> {
    requirePlanner(actor);
    return this.readable(await this.repos.audit.find({ ...f, limit: max }));
  }

  private async readable(rows: AuditEntry[]): Promise<ReadableEntry[]> {
    const parsed = rows.map((x) => ({ x, before: parseJson(x.before) ?? {}, after: parseJson(x.after) ?? {} }));
    // every id the page shows, by kind, looked up once
    const wanted = new Map<NamedKind, Set<number>>();
    const want = (kind: NamedKind, id: unknown) => {
      if (typeof id !== 'number' || !Number.isInteger(id)) return;
      const set = wanted.get(kind) ?? new Set<number>();
      wanted.set(kind, set.add(id));
    };
    for (const { x, before, after } of parsed) {
      if (isNamedKind(x.entity) && x.entity_id !== null) want(x.entity, x.entity_id);
      for (const rec of [before, after])
        for (const [k, v] of Object.entries(rec)) {
          const kind = REFERENCES[k];
          if (kind) for (const id of Array.isArray(v) ? v : [v]) want(kind, id);
        }
    }
    const names = new Map<NamedKind, Map<number, string>>();
    await Promise.all([...wanted].map(async ([kind, ids]) => names.set(kind, await this.repos.audit.names(kind, [...ids]))));
    const nameOf = (kind: NamedKind, id: unknown): string => names.get(kind)?.get(Number(id)) ?? `#${String(id)}`;
    const shown = (field: string, v: unknown): AuditValue => {
      const kind = REFERENCES[field];
      if (v === null || v === undefined || v === '') return null;
      if (kind) return { names: (Array.isArray(v) ? v : [v]).map((id) => nameOf(kind, id)) };
      if (Array.isArray(v)) return { count: v.length };
      if (typeof v === 'object') return { fields: Object.entries(v as Record<string, unknown>).map(([k, w]) => ({ field: k, value: shown(k, w) })) };
      return v as string | number | boolean;
    };
    return parsed.map(({ x, before, after }) => {
      const recordName = (after.name ?? before.name ?? after.username ?? before.username) as string | undefined;
      const rec = { ...before, ...after };
      const subject =
        x.entity_id === null
          ? null
          : isNamedKind(x.entity)
            ? (names.get(x.entity)?.get(x.entity_id) ?? recordName ?? null)
            : x.entity === 'scenario_override' && (rec.move_id ?? rec.event_id) !== undefined
              ? rec.move_id
                ? nameOf('move', rec.move_id)
                : nameOf('site_event', rec.event_id)
              : (recordName ?? null);
      const changes = [...new Set([...Object.keys(before), ...Object.keys(after)])]
        .filter((k) => !SKIP.has(k) && JSON.stringify(before[k]) !== JSON.stringify(after[k]))
        .map((k) => ({ field: k, before: shown(k, before[k]), after: shown(k, after[k]) }))
        .filter((c) => c.before !== null || c.after !== null);
      return { id: x.id, at: x.at, username: x.username, action: x.action, entity: x.entity, entity_id: x.entity_id, subject, changes };
    });
  }

  /**
   * What changed since the version a form was based on: the record at that version (from the audit
   * log) compared with the current record.
   */
  async changesSince(entity: string, id: number, baseVersion: number, current: Record<string, unknown>): Promise<FieldChange[]> {
    const entries = (await this.repos.audit.find({ entity, entity_id: id, limit: 200 })).reverse();
    const first = entries.find((e) => e.before && (JSON.parse(e.before) as { version?: number }).version === baseVersion);
    if (!first?.before) return [];
    const base = JSON.parse(first.before) as Record<string, unknown>;
    const by = entries
      .filter((e) => e.after && Number((JSON.parse(e.after) as { version?: number }).version) > baseVersion)
      .map((e) => e.username)
      .filter(Boolean);
    const skip = new Set(['version', 'updated_at', 'updated_by', 'created_at', 'verified_by']);
    return Object.keys(current)
      .filter((k) => !skip.has(k) && k in base && JSON.stringify(base[k]) !== JSON.stringify(current[k]))
      .map((k) => ({ field: k, then: base[k], now: current[k], by: [...new Set(by)].join(', ') || null }));
  }
}
