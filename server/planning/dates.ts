/** ISO date helpers (YYYY-MM-DD strings compare in date order). */

/** The date domain (SPEC section 13): every date taken, stored or computed lies in it. */
export const DATE_MIN = '1900-01-01';
export const DATE_MAX = '2199-12-31';

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isIsoDate(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  const m = ISO.exec(s);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1) return false;
  return d <= daysInMonth(y, mo);
}

/** A real date as YYYY-MM-DD within DATE_MIN … DATE_MAX. */
export function inDateDomain(s: unknown): s is string {
  return isIsoDate(s) && s >= DATE_MIN && s <= DATE_MAX;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  const nd = Math.min(d, daysInMonth(ny, nm));
  return `${String(ny).padStart(4, '0')}-${String(nm).padStart(2, '0')}-${String(nd).padStart(2, '0')}`;
}

export function addDays(date: string, days: number): string {
  const t = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** The dates from `from` to `to` (inclusive) in steps of one month or one quarter. */
export function stepDates(from: string, to: string, step: 'month' | 'quarter', max = 1200): string[] {
  const months = step === 'quarter' ? 3 : 1;
  const out: string[] = [];
  for (let i = 0; out.length < max; i++) {
    const d = addMonths(from, i * months);
    if (d > to) break;
    out.push(d);
  }
  return out;
}

export function todayIso(now: Date = new Date()): string {
  const y = now.getFullYear();
  const m = String(now.getMonth() + 1).padStart(2, '0');
  const d = String(now.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}
