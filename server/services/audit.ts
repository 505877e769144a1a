/** The audit log: reading it for the API and the audit page, and what changed since a form's version. */
import type { AuditEntry, Repos } from '../repositories/index.js';

export interface FieldChange {
  field: string;
  then: unknown;
  now: unknown;
  by: string | null;
}

const parseJson = (s: string | null) => (s ? (JSON.parse(s) as Record<string, unknown>) : null);

export class AuditService {
  constructor(private readonly repos: Pick<Repos, 'audit'>) {}

  /** Entries as stored (before and after as JSON text), newest first: the site page lists them. */
  entries(f: { entity?: string; entity_id?: number; limit?: number }): Promise<AuditEntry[]> {
    return this.repos.audit.find(f);
  }

  /** Entries, newest first, with before and after as objects. */
  async find(f: { entity?: string; entity_id?: number; limit?: number }) {
    const rows = await this.repos.audit.find(f);
    return rows.map((a) => ({ ...a, before: parseJson(a.before), after: parseJson(a.after) }));
  }

  /** Entries for the audit page, each with the fields that changed (before and after, as stored); the page words them. */
  async withChanges(f: { entity?: string; entity_id?: number; limit?: number }) {
    const rows = await this.repos.audit.find(f);
    const skip = new Set(['updated_at', 'created_at', 'version', 'updated_by', 'geometry']);
    const changes = (x: AuditEntry) => {
      const b = parseJson(x.before) ?? {};
      const a = parseJson(x.after) ?? {};
      return [...new Set([...Object.keys(b), ...Object.keys(a)])]
        .filter((k) => !skip.has(k) && JSON.stringify(b[k]) !== JSON.stringify(a[k]))
        .map((k) => ({ field: k, before: b[k] ?? null, after: a[k] ?? null }));
    };
    return rows.map((x) => ({ ...x, changes: changes(x) }));
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
