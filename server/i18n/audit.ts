/**
 * The audit log in words: actions, field names and values from the dictionary, e.g.
 * "Barrierefreies WC: unbekannt → ja" for `accessible_toilet: unknown → yes`.
 */
import { formatDate, hasKey, translate, type Lang } from './index.js';

/** The first of the keys the language has a text for, in words; null when none. */
function known(lang: Lang, ...keys: string[]): string | null {
  const key = keys.find((k) => hasKey(lang, k));
  return key ? translate(lang, key) : null;
}

/** create, update, status:approved, adopt, … as words; an action without a text stays as it is. */
export function auditAction(lang: Lang, action: string): string {
  const [name, arg] = action.split(':', 2);
  if (name === 'status' && arg) return translate(lang, 'audit.action.status', { status: known(lang, `move.status.${arg}`) ?? arg });
  return known(lang, `audit.action.${action}`) ?? action;
}

export function auditField(lang: Lang, field: string): string {
  return known(lang, `form.field.${field}`, `a11y.${field}`, `audit.field.${field}`) ?? field;
}

export function auditValue(lang: Lang, field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '–';
  if (typeof value === 'boolean') return translate(lang, value ? 'fact.yes' : 'fact.no');
  if (typeof value === 'string') {
    if (/^\d{4}-\d{2}-\d{2}/.test(value)) return formatDate(lang, value);
    if (field === 'role') return known(lang, `role.${value}`) ?? value;
    if (field === 'kind') return known(lang, `event.kind.${value}`) ?? value;
    if (field === 'position_precision') return known(lang, `precision.${value}`) ?? value;
    if (field === 'status') return known(lang, `status.${value}`, `move.status.${value}`) ?? value;
    return known(lang, `fact.${value}`) ?? value.slice(0, 120);
  }
  return JSON.stringify(value).slice(0, 120);
}

/** The three above for a page in the language (views/pages/audit.ejs). */
export function auditLabels(lang: Lang) {
  return {
    action: (a: string) => auditAction(lang, a),
    field: (f: string) => auditField(lang, f),
    value: (field: string, v: unknown) => auditValue(lang, field, v),
  };
}
