/**
 * Stored records whose dates lie outside the date domain (1900-01-01 … 2199-12-31, SPEC section 13)
 * were written before the domain was enforced, or by hand. The plan is built without them, so no
 * period, ledger or calendar stretches over millennia or meets an impossible date; each one is
 * listed as a data error (warning rules in rules/data.ts) until someone corrects it.
 */
import { inDateDomain } from './dates.js';
import type { InvalidRecord, PlanData, PlanOverride } from './types.js';

export type { InvalidRecord } from './types.js';

const shown = (v: unknown) => String(v).slice(0, 40);

/** The first date field of a record that is set and outside the domain. */
function badDate(record: Record<string, unknown>, fields: readonly string[]): string | null {
  for (const f of fields) {
    const v = record[f];
    if (v !== null && v !== undefined && !inDateDomain(v)) return f;
  }
  return null;
}

/**
 * The plan's data without records dated outside the domain (a site keeps its place, without the
 * bad `available_from`), and the list of what was left aside. Data without such records is returned as it is.
 */
export function setAsideOutOfDomain(data: PlanData): PlanData {
  const invalid: InvalidRecord[] = [];
  const moves = data.moves.filter((m) => {
    const f = badDate(m as unknown as Record<string, unknown>, ['date', 'until']);
    if (f)
      invalid.push({
        kind: 'move',
        id: m.id,
        field: f,
        value: shown((m as unknown as Record<string, unknown>)[f]),
        scenario_id: m.scenario_id,
        site_id: m.to_site_id ?? m.from_site_id,
        unit_id: m.unit_id,
      });
    return !f;
  });
  const events = data.events.filter((e) => {
    const f = badDate(e as unknown as Record<string, unknown>, ['date', 'end_date']);
    if (f)
      invalid.push({
        kind: 'event',
        id: e.id,
        field: f,
        value: shown((e as unknown as Record<string, unknown>)[f]),
        scenario_id: e.scenario_id,
        site_id: e.site_id,
        unit_id: null,
      });
    return !f;
  });
  const overrides = (data.overrides ?? []).filter((o: PlanOverride) => {
    const f = badDate(o.changes as Record<string, unknown>, ['date', 'until', 'end_date']);
    if (f) {
      const move = o.move_id !== null ? data.moves.find((m) => m.id === o.move_id) : undefined;
      const event = o.event_id !== null ? data.events.find((e) => e.id === o.event_id) : undefined;
      invalid.push({
        kind: 'override',
        id: (o.move_id ?? o.event_id) as number,
        field: f,
        value: shown((o.changes as Record<string, unknown>)[f]),
        scenario_id: o.scenario_id,
        site_id: move ? (move.to_site_id ?? move.from_site_id) : (event?.site_id ?? null),
        unit_id: move?.unit_id ?? null,
      });
    }
    return !f;
  });
  const sites = data.sites.map((s) => {
    if (s.available_from === null || s.available_from === undefined || inDateDomain(s.available_from)) return s;
    invalid.push({ kind: 'site', id: s.id, field: 'available_from', value: shown(s.available_from), scenario_id: null, site_id: s.id, unit_id: null });
    return { ...s, available_from: null };
  });
  if (!invalid.length) return data;
  return { ...data, sites, moves, events, overrides, invalid };
}
