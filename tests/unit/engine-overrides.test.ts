import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../server/planning/dates.js';
import type { PlanEvent, PlanMove, PlanOverride, PlanState } from '../../server/planning/types.js';
import { data, plan, site, unit } from './plan-fixture.js';

const SITES = [1, 2, 3];
const UNITS = [1, 2];
const SCENARIO = 5;
const dayArb = fc.integer({ min: 0, max: 1500 }).map((d) => addDays('2020-01-01', d));

const moveArb = fc
  .record({
    unit_id: fc.constantFrom(...UNITS),
    from_site_id: fc.option(fc.constantFrom(...SITES), { nil: null }),
    to_site_id: fc.option(fc.constantFrom(...SITES), { nil: null }),
    headcount: fc.integer({ min: 1, max: 20 }),
    date: dayArb,
    until: fc.option(fc.integer({ min: 1, max: 400 }), { nil: null }),
    status: fc.constantFrom('proposed', 'approved', 'done', 'cancelled'),
  })
  .filter((m) => (m.from_site_id !== null || m.to_site_id !== null) && m.from_site_id !== m.to_site_id);

const eventArb = fc.record({
  site_id: fc.constantFrom(...SITES),
  kind: fc.constantFrom('renovation', 'capacity', 'opening', 'closure'),
  date: dayArb,
  length: fc.option(fc.integer({ min: 0, max: 300 }), { nil: null }),
  capacity: fc.integer({ min: 0, max: 30 }),
});

/** A random change of every field an override may carry (each present or not). */
const moveChangeArb = fc.record(
  {
    date: dayArb,
    until: fc.option(fc.integer({ min: 1, max: 400 }), { nil: null }),
    headcount: fc.integer({ min: 1, max: 20 }),
    from_site_id: fc.option(fc.constantFrom(...SITES), { nil: null }),
    to_site_id: fc.option(fc.constantFrom(...SITES), { nil: null }),
    cancelled: fc.boolean(),
  },
  { requiredKeys: [] },
);
const eventChangeArb = fc.record(
  {
    date: dayArb,
    end_date: fc.option(fc.integer({ min: 0, max: 300 }), { nil: null }),
    capacity: fc.integer({ min: 0, max: 30 }),
    cancelled: fc.boolean(),
  },
  { requiredKeys: [] },
);

type RawMove = typeof moveArb extends fc.Arbitrary<infer T> ? T : never;
type RawEvent = typeof eventArb extends fc.Arbitrary<infer T> ? T : never;
const toMoves = (raw: RawMove[]): PlanMove[] =>
  raw.map((m, i) => ({ ...m, id: i + 1, scenario_id: null, until: m.until === null ? null : addDays(m.date, m.until) }) as PlanMove);
const toEvents = (raw: RawEvent[]): PlanEvent[] =>
  raw.map(
    (e, i) =>
      ({
        id: i + 1,
        site_id: e.site_id,
        kind: e.kind,
        date: e.date,
        scenario_id: null,
        end_date: e.kind === 'renovation' && e.length !== null ? addDays(e.date, e.length) : null,
        capacity: e.kind === 'capacity' || e.kind === 'renovation' ? e.capacity : null,
      }) as PlanEvent,
  );

function build(moves: PlanMove[], events: PlanEvent[], overrides: PlanOverride[] = []) {
  return plan(
    data({
      sites: SITES.map((id) => site(id, { lat: 48.4 + id * 0.001 })),
      units: UNITS.map((id) => unit(id, { team_id: 1 })),
      moves,
      events,
      overrides,
    }),
  );
}

/** A state without the field that names the selection. */
const content = (st: PlanState) => ({ ...st, scenario_id: undefined });

describe('scenario overrides in the engine', () => {
  it('when a scenario has no overrides and no records of its own, then its state equals the baseline at every date', () => {
    fc.assert(
      fc.property(fc.array(moveArb, { maxLength: 30 }), fc.array(eventArb, { maxLength: 8 }), dayArb, (rawMoves, rawEvents, date) => {
        const moves = toMoves(rawMoves);
        const events = toEvents(rawEvents);
        // another scenario's overrides must not leak into this one
        const other: PlanOverride[] = moves.slice(0, 3).map((m) => ({ scenario_id: 99, move_id: m.id, event_id: null, changes: { cancelled: true } }));
        const p = build(moves, events, other);
        expect(content(p.state(date, SCENARIO))).toEqual(content(p.state(date, null)));
      }),
      { numRuns: 150 },
    );
  });

  it('when an override changes any field of a move or an event, then the scenario equals a baseline edited by hand, and the baseline stays as it was', () => {
    fc.assert(
      fc.property(
        fc.array(moveArb, { minLength: 1, maxLength: 25 }),
        fc.array(eventArb, { maxLength: 6 }),
        fc.array(fc.tuple(fc.nat(), moveChangeArb), { maxLength: 6 }),
        fc.array(fc.tuple(fc.nat(), eventChangeArb), { maxLength: 4 }),
        dayArb,
        (rawMoves, rawEvents, moveChanges, eventChanges, date) => {
          const moves = toMoves(rawMoves);
          const events = toEvents(rawEvents);
          const overrides = new Map<string, PlanOverride>();
          let edited = moves.map((m) => ({ ...m }));
          let editedEvents = events.map((e) => ({ ...e }));
          for (const [n, raw] of moveChanges) {
            const target = moves[n % moves.length];
            const changes = { ...raw } as PlanOverride['changes'];
            if ('until' in raw) changes.until = raw.until === null ? null : addDays(raw.date ?? target.date, raw.until!);
            overrides.set(`m${target.id}`, { scenario_id: SCENARIO, move_id: target.id, event_id: null, changes });
          }
          for (const [n, raw] of eventChanges) {
            if (!events.length) break;
            const target = events[n % events.length];
            const changes = { ...raw, end_date: undefined } as PlanOverride['changes'];
            delete changes.end_date;
            if ('end_date' in raw) changes.end_date = raw.end_date === null ? null : addDays(raw.date ?? target.date, raw.end_date!);
            overrides.set(`e${target.id}`, { scenario_id: SCENARIO, move_id: null, event_id: target.id, changes });
          }
          // the reference: the baseline with every override typed in by hand
          for (const o of overrides.values()) {
            const { cancelled, ...fields } = o.changes;
            if (o.move_id !== null)
              edited = cancelled ? edited.filter((m) => m.id !== o.move_id) : edited.map((m) => (m.id === o.move_id ? ({ ...m, ...fields } as PlanMove) : m));
            else
              editedEvents = cancelled
                ? editedEvents.filter((e) => e.id !== o.event_id)
                : editedEvents.map((e) => (e.id === o.event_id ? ({ ...e, ...fields } as PlanEvent) : e));
          }
          const withOverrides = build(moves, events, [...overrides.values()]);
          const byHand = build(edited, editedEvents);
          expect(content(withOverrides.state(date, SCENARIO))).toEqual(content(byHand.state(date, null)));
          expect(withOverrides.state(date, null)).toEqual(build(moves, events).state(date, null));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('when a baseline move is cancelled in a scenario, then only the scenario loses its people', () => {
    const moves = toMoves([{ unit_id: 1, from_site_id: null, to_site_id: 1, headcount: 7, date: '2021-01-01', until: null, status: 'approved' }]);
    const p = build(moves, [], [{ scenario_id: SCENARIO, move_id: 1, event_id: null, changes: { cancelled: true } }]);
    expect(p.state('2022-01-01', null).sites[0].headcount).toBe(7);
    expect(p.state('2022-01-01', SCENARIO).sites[0].headcount).toBe(0);
    expect(p.movesOf(SCENARIO)).toEqual([]);
  });
});
