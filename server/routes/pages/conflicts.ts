import type { AppContext } from '../../context.js';

export interface FieldChange { field: string; then: unknown; now: unknown; by: string | null }

/**
 * What changed since the version a form was based on: the record at that version (from the audit
 * log) compared with the current record.
 */
export async function changesSince(ctx: AppContext, entity: string, id: number, baseVersion: number, current: Record<string, unknown>): Promise<FieldChange[]> {
  const entries = (await ctx.repos.audit.find({ entity, entity_id: id, limit: 200 })).reverse();
  const first = entries.find((e) => e.before && (JSON.parse(e.before) as { version?: number }).version === baseVersion);
  if (!first?.before) return [];
  const base = JSON.parse(first.before) as Record<string, unknown>;
  const by = entries.filter((e) => e.after && Number((JSON.parse(e.after) as { version?: number }).version) > baseVersion).map((e) => e.username).filter(Boolean);
  const skip = new Set(['version', 'updated_at', 'updated_by', 'created_at', 'verified_by']);
  return Object.keys(current)
    .filter((k) => !skip.has(k) && k in base && JSON.stringify(base[k]) !== JSON.stringify(current[k]))
    .map((k) => ({ field: k, then: base[k], now: current[k], by: [...new Set(by)].join(', ') || null }));
}
