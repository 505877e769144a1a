/**
 * The audit log in words: actions, field names and values from the dictionary, e.g.
 * "Barrierefreies WC: unbekannt → ja" for `accessible_toilet: unknown → yes`.
 */
import type { AuditValue } from '../services/audit.js';
import { formatDate, formatNumber, hasKey, keyAt, translate, type Lang } from './index.js';

/** The first of the keys the language has a text for, in words; null when none. */
function known(lang: Lang, ...keys: string[]): string | null {
  const key = keys.find((k) => hasKey(lang, k));
  return key ? translate(lang, keyAt(key)) : null;
}

/** create, update, status:approved, adopt, … as words; an action without a text stays as it is. */
export function auditAction(lang: Lang, action: string): string {
  const [name, arg] = action.split(':', 2);
  if (name === 'status' && arg) return translate(lang, 'audit.action.status', { status: known(lang, `move.status.${arg}`) ?? arg });
  return known(lang, `audit.action.${action}`) ?? action;
}

export function auditField(lang: Lang, field: string): string {
  return known(lang, `form.field.${field}`, `a11y.${field}`, `audit.field.${field}`, `floor.field.${field}`, `room.field.${field}`) ?? field;
}

/** A value in words: names of the records an id names, a count for a list, "ja"/"nein", dates, codes in words. */
export function auditValue(lang: Lang, field: string, value: AuditValue | undefined): string {
  if (value === null || value === undefined || value === '') return '–';
  if (typeof value === 'boolean') return translate(lang, value ? 'fact.yes' : 'fact.no');
  if (typeof value === 'number') return formatNumber(lang, value, 2);
  if (typeof value === 'object') {
    if ('names' in value) return value.names.join(', ');
    if ('count' in value) return translate(lang, 'audit.value.count', { n: value.count });
    const parts = value.fields.filter((f) => f.value !== null).map((f) => `${auditField(lang, f.field)}: ${auditValue(lang, f.field, f.value)}`);
    return parts.length ? parts.join('; ') : '–';
  }
  if (/^\d{4}-\d{2}-\d{2}/.test(value)) return formatDate(lang, value);
  if (field === 'role') return known(lang, `role.${value}`) ?? value;
  if (field === 'lang') return known(lang, `audit.lang.${value}`) ?? value;
  if (field === 'kind')
    return known(lang, `event.kind.${value}`, `place.kind.${value}`, `audit.kind.${value}`, `team.kind.${value}`, `lease.kind.${value}`) ?? value;
  if (field === 'use') return known(lang, `room.use.${value}`) ?? value;
  if (field === 'position_precision') return known(lang, `precision.${value}`) ?? value;
  if (field === 'status') return known(lang, `status.${value}`, `move.status.${value}`) ?? value;
  return known(lang, `fact.${value}`) ?? (value.length > 120 ? `${value.slice(0, 119)}…` : value);
}

/** An entry's record in words: "Standort „Grüner Hof“", "Umzug 57 (Betreuungsbehörde)", "Datenbestand". */
export function auditSubject(lang: Lang, e: { entity: string; entity_id: number | null; subject: string | null }): string {
  const kind = known(lang, `audit.entity.${e.entity}`) ?? e.entity;
  if (e.subject && e.entity !== 'move' && e.entity !== 'site_event' && e.entity !== 'scenario_override') return `${kind} „${e.subject}“`;
  if (e.subject) return `${kind} ${e.entity_id ?? ''} (${e.subject})`;
  return e.entity_id === null ? kind : `${kind} ${e.entity_id}`;
}

/** The three above for a page in the language (views/pages/audit.ejs). */
export function auditLabels(lang: Lang) {
  return {
    action: (a: string) => auditAction(lang, a),
    field: (f: string) => auditField(lang, f),
    value: (field: string, v: AuditValue) => auditValue(lang, field, v),
    subject: (e: { entity: string; entity_id: number | null; subject: string | null }) => auditSubject(lang, e),
  };
}
