/**
 * Scenario overrides: inside a scenario, a planner changes or cancels a baseline move or site event
 * without copying it (the baseline record stays untouched), and shifts a project or a selection of
 * records by months or days. Every write: planners only, one transaction with its audit entry, the
 * override's `version` checked when given, NEGATIVE_HEADCOUNT checked inside the transaction.
 */
import type { SessionUser } from '../auth/guards.js';
import { AppError, conflict, forbidden, notFound, ruleBroken, validation, zodFields } from '../errors.js';
import { addDays, addMonths, DATE_MAX, DATE_MIN, inDateDomain, isIsoDate } from '../planning/dates.js';
import { floorsInScenario, floorsOfOtherSites, introducedNegatives, moveInScenario, movesFor, overridden } from '../planning/engine.js';
import { EVENT_OVERRIDE_FIELDS, MOVE_OVERRIDE_FIELDS, type PlanMove, type PlanOverride } from '../planning/types.js';
import type { Floor, Move, MoveRepo, Scenario, Site, SiteEvent } from '../repositories/index.js';
import type { Override, OverrideChanges, OverrideRepo, OverrideTarget } from '../repositories/overrides.js';
import type { ProjectRepo } from '../repositories/projects.js';
import type { Clock, TableRepo, Tx } from '../repositories/table.js';
import * as S from '../schemas.js';
import type { z } from 'zod';
import { canPlan, checkFloorsOfSites, parseBody } from './rules.js';
import type { WriteService } from './write-service.js';

export interface OverrideRepos {
  scenarios: TableRepo<Scenario>;
  moves: MoveRepo;
  events: TableRepo<SiteEvent>;
  sites: TableRepo<Site>;
  floors: TableRepo<Floor>;
  projects: ProjectRepo;
  overrides: OverrideRepo;
  /** the time of a write (the audit's record of what an adoption wrote) */
  clock: Clock;
}

export type OverrideKind = 'move' | 'event';

export interface PresentedOverride {
  id: number;
  scenario_id: number;
  kind: OverrideKind;
  move_id: number | null;
  event_id: number | null;
  changes: OverrideChanges;
  version: number;
  updated_by: number | null;
  updated_at: string;
}

export function presentOverride(o: Override): PresentedOverride {
  return {
    id: o.id,
    scenario_id: o.scenario_id,
    kind: o.move_id !== null ? 'move' : 'event',
    move_id: o.move_id,
    event_id: o.event_id,
    changes: o.changes,
    version: o.version,
    updated_by: o.updated_by,
    updated_at: o.updated_at,
  };
}

const toPlan = (o: Override): PlanOverride => ({ scenario_id: o.scenario_id, move_id: o.move_id, event_id: o.event_id, changes: o.changes });
const MOVE_COLUMNS = ['unit_id', 'from_site_id', 'to_site_id', 'from_floor_id', 'to_floor_id', 'headcount', 'date', 'until', 'status', 'scenario_id'] as const;

export interface ShiftResult {
  scenario_id: number;
  moves: number[];
  events: number[];
  overrides: PresentedOverride[];
}

export class OverrideService {
  constructor(
    private readonly repos: OverrideRepos,
    private readonly writes: WriteService,
  ) {}

  private async scenario(id: number, db?: Tx): Promise<Scenario> {
    const s = await this.repos.scenarios.get(id, db);
    if (!s) throw notFound('scenario');
    return s;
  }

  /**
   * The scenario's overrides, each with the baseline record it changes (read in batches, not one by
   * one: a scenario may hold 10,000). `first`: only so many, those of `ahead` first (a page that
   * lists the first hundred puts the ones it must flag among them); `total` counts them all.
   */
  async list(scenarioId: number): Promise<(PresentedOverride & { baseline: Move | SiteEvent | null })[]> {
    return (await this.listFirst(scenarioId, Infinity)).overrides;
  }

  async listFirst(
    scenarioId: number,
    first: number,
    ahead: ReadonlySet<number> = new Set(),
  ): Promise<{ overrides: (PresentedOverride & { baseline: Move | SiteEvent | null })[]; total: number }> {
    await this.scenario(scenarioId);
    const all = await this.repos.overrides.list({ scenario_id: scenarioId });
    const list = (ahead.size ? [...all.filter((o) => ahead.has(o.id)), ...all.filter((o) => !ahead.has(o.id))] : all).slice(0, first);
    const ids = (k: 'move_id' | 'event_id') => list.flatMap((o) => (o[k] !== null ? [o[k]] : []));
    const [moves, events] = await Promise.all([this.repos.moves.getMany(ids('move_id')), this.repos.events.getMany(ids('event_id'))]);
    const move = new Map(moves.map((m) => [m.id, m]));
    const event = new Map(events.map((e) => [e.id, e]));
    return {
      overrides: list.map((o) => ({
        ...presentOverride(o),
        baseline: (o.move_id !== null ? move.get(o.move_id) : o.event_id !== null ? event.get(o.event_id) : undefined) ?? null,
      })),
      total: all.length,
    };
  }

  /** PUT /api/scenarios/:id/overrides/moves/:move_id — the fields given replace the baseline move's in this scenario. */
  /** The scenario's changes of baseline site events, by event id (the site page marks them). */
  async byEvent(scenarioId: number): Promise<Map<number, Override>> {
    const list = await this.repos.overrides.list({ scenario_id: scenarioId });
    return new Map(list.flatMap((o) => (o.event_id !== null ? [[o.event_id, o] as const] : [])));
  }

  async putMove(user: SessionUser, scenarioId: number, moveId: number, body: unknown): Promise<PresentedOverride> {
    if (!canPlan(user)) throw forbidden();
    await this.scenario(scenarioId);
    const { version, ...changes } = parseBody(S.MoveOverride, body);
    const move = await this.repos.moves.get(moveId);
    if (!move) throw notFound('move');
    if (move.scenario_id !== null)
      throw ruleBroken('NOT_BASELINE', "only baseline moves are overridden; edit a scenario's own move directly", undefined, {
        move_id: 'validation.not_baseline',
      });
    const c = clean(changes);
    this.checkMove(move, c);
    for (const f of ['from_site_id', 'to_site_id'] as const) {
      const sid = changes[f];
      if (sid != null && !(await this.repos.sites.get(sid)))
        throw ruleBroken('UNKNOWN_REFERENCE', `site ${sid} does not exist`, undefined, { [f]: 'validation.unknown_reference' });
    }
    await checkFloorsOfSites(this.repos.floors, this.inScenario(move, c));
    return this.write(user, scenarioId, { move_id: moveId }, c, version);
  }

  /** PUT /api/scenarios/:id/overrides/events/:event_id — the fields given replace the baseline event's. */
  async putEvent(user: SessionUser, scenarioId: number, eventId: number, body: unknown): Promise<PresentedOverride> {
    if (!canPlan(user)) throw forbidden();
    await this.scenario(scenarioId);
    const { version, ...changes } = parseBody(S.EventOverride, body);
    const event = await this.repos.events.get(eventId);
    if (!event) throw notFound('site event');
    if (event.scenario_id !== null)
      throw ruleBroken('NOT_BASELINE', "only baseline events are overridden; edit a scenario's own event directly", undefined, {
        event_id: 'validation.not_baseline',
      });
    const c = clean(changes);
    this.checkEvent(event, c);
    return this.write(user, scenarioId, { event_id: eventId }, c, version);
  }

  /** DELETE the override: the baseline record counts as it is again in this scenario. */
  async remove(user: SessionUser, scenarioId: number, kind: OverrideKind, targetId: number, version?: number): Promise<void> {
    if (!canPlan(user)) throw forbidden();
    await this.scenario(scenarioId);
    const target: OverrideTarget = kind === 'move' ? { move_id: targetId } : { event_id: targetId };
    await this.writes.transaction(async (trx) => {
      const existing = await this.repos.overrides.find(scenarioId, target, trx);
      if (!existing) throw notFound('override');
      if (version !== undefined && existing.version !== version) throw conflict(presentOverride(existing));
      const next = (await this.repos.overrides.list({ scenario_id: scenarioId }, trx)).filter((o) => o.id !== existing.id).map(toPlan);
      await this.checkRules(trx, scenarioId, next);
      await this.repos.overrides.delete(existing.id, trx);
      await this.touch(trx, user, scenarioId);
      await this.writes.audit(trx, user, 'delete', 'scenario_override', existing.id, presentOverride(existing), null);
    });
  }

  /**
   * Shift a project (or a selection) by months or days: every date of those records moves by the
   * offset — baseline records as overrides, the scenario's own records directly — in one transaction.
   */
  async shift(user: SessionUser, scenarioId: number, body: unknown): Promise<ShiftResult> {
    if (!canPlan(user)) throw forbidden();
    await this.scenario(scenarioId);
    const v = parseBody(S.Shift, body);
    const offsetField = v.months !== undefined ? 'months' : 'days';
    // a shifted date outside 1900–2199 (or a stored date that is no date at all) refuses the whole shift
    const outside: { kind: 'move' | 'event'; id: number; field: string; value: string; shifted: string | null }[] = [];
    const shiftDate = (kind: 'move' | 'event', id: number, field: string, d: string): string => {
      const shifted = isIsoDate(d) ? (v.months !== undefined ? addMonths(d, v.months) : addDays(d, v.days ?? 0)) : null;
      if (shifted === null || !inDateDomain(shifted)) outside.push({ kind, id, field, value: String(d).slice(0, 40), shifted });
      return shifted ?? d;
    };
    const { moves, events } = await this.shiftSelection(scenarioId, v);

    return this.writes.transaction(async (trx) => {
      const s = await this.scenario(scenarioId, trx);
      const existing = await this.repos.overrides.list({ scenario_id: scenarioId }, trx);
      const byMove = new Map(existing.flatMap((o) => (o.move_id !== null ? [[o.move_id, o] as const] : [])));
      const byEvent = new Map(existing.flatMap((o) => (o.event_id !== null ? [[o.event_id, o] as const] : [])));
      const next = new Map(existing.map((o) => [o.id, toPlan(o)]));
      const writes: { target: OverrideTarget; changes: OverrideChanges; existing?: Override }[] = [];
      const own: { move?: Move; event?: SiteEvent; values: Record<string, unknown> }[] = [];
      const ownMoves = new Map<number, PlanMove>();

      for (const m of moves) {
        const o = byMove.get(m.id);
        if (o?.changes.cancelled) continue;
        const eff = overridden(m, o?.changes, MOVE_OVERRIDE_FIELDS);
        const dates = { date: shiftDate('move', m.id, 'date', eff.date), ...(eff.until ? { until: shiftDate('move', m.id, 'until', eff.until) } : {}) };
        if (outside.length) continue;
        if (dates.until !== undefined && dates.until <= dates.date)
          throw ruleBroken(
            'SHIFT_INVALID',
            `move ${m.id} would return on or before the day it moves`,
            { move_id: m.id },
            { months: 'validation.until_after_date' },
          );
        if (m.scenario_id === null) {
          const changes = { ...(o?.changes ?? {}), ...dates };
          writes.push({ target: { move_id: m.id }, changes, existing: o });
          next.set(o?.id ?? -m.id, { scenario_id: scenarioId, move_id: m.id, event_id: null, changes });
        } else {
          own.push({ move: m, values: dates });
          ownMoves.set(m.id, { ...m, ...dates });
        }
      }
      for (const e of events) {
        const o = byEvent.get(e.id);
        if (o?.changes.cancelled) continue;
        const eff = overridden(e, o?.changes, EVENT_OVERRIDE_FIELDS);
        const dates = {
          date: shiftDate('event', e.id, 'date', eff.date),
          ...(eff.end_date ? { end_date: shiftDate('event', e.id, 'end_date', eff.end_date) } : {}),
        };
        if (e.scenario_id === null) {
          const changes = { ...(o?.changes ?? {}), ...dates };
          writes.push({ target: { event_id: e.id }, changes, existing: o });
          next.set(o?.id ?? -1_000_000_000 - e.id, { scenario_id: scenarioId, move_id: null, event_id: e.id, changes });
        } else own.push({ event: e, values: dates });
      }

      if (outside.length)
        throw ruleBroken(
          'DATE_OUT_OF_RANGE',
          `the shift would move ${outside.length} date(s) outside ${DATE_MIN} … ${DATE_MAX}; nothing was changed`,
          { records: outside.slice(0, 100), min: DATE_MIN, max: DATE_MAX },
          { [offsetField]: 'validation.date_range' },
        );
      await this.checkRules(trx, scenarioId, [...next.values()], ownMoves);
      const out = await this.writeShift(trx, user, scenarioId, writes, own);
      await this.touch(trx, user, scenarioId, s);
      await this.writes.audit(
        trx,
        user,
        'shift',
        'scenario',
        scenarioId,
        { overrides: writes.map((w) => ({ ...w.target, changes: w.existing?.changes ?? null })) },
        { project_id: v.project_id ?? null, months: v.months ?? null, days: v.days ?? null, moves: moves.map((m) => m.id), events: events.map((e) => e.id) },
      );
      return { scenario_id: scenarioId, moves: moves.map((m) => m.id), events: events.map((e) => e.id), overrides: out.map(presentOverride) };
    });
  }

  /** The records a shift moves: the project's (baseline and this scenario's) or the chosen ones; cancelled moves stay. */
  private async shiftSelection(scenarioId: number, v: z.infer<typeof S.Shift>): Promise<{ moves: Move[]; events: SiteEvent[] }> {
    let moves: Move[];
    let events: SiteEvent[];
    if (v.project_id !== undefined) {
      if (!(await this.repos.projects.get(v.project_id)))
        throw ruleBroken('UNKNOWN_REFERENCE', `project ${v.project_id} does not exist`, undefined, { project_id: 'validation.unknown_reference' });
      moves = await this.repos.moves.find({ project_id: v.project_id });
      events = await this.repos.events.list({ project_id: v.project_id });
      moves = moves.filter((m) => m.scenario_id === null || m.scenario_id === scenarioId);
      events = events.filter((e) => e.scenario_id === null || e.scenario_id === scenarioId);
    } else {
      moves = await this.records(this.repos.moves, v.move_ids ?? [], scenarioId, 'move_ids');
      events = await this.records(this.repos.events, v.event_ids ?? [], scenarioId, 'event_ids');
    }
    moves = moves.filter((m) => m.status !== 'cancelled');
    if (!moves.length && !events.length)
      throw ruleBroken('NOTHING_TO_SHIFT', 'the selection holds no moves or events', undefined, { project_id: 'validation.nothing_to_shift' });
    return { moves, events };
  }

  /** A shift's writes: the baseline records' overrides (version-checked) and the scenario's own records. */
  private async writeShift(
    trx: Tx,
    user: SessionUser,
    scenarioId: number,
    writes: { target: OverrideTarget; changes: OverrideChanges; existing?: Override }[],
    own: { move?: Move; event?: SiteEvent; values: Record<string, unknown> }[],
  ): Promise<Override[]> {
    const out: Override[] = [];
    const fresh: { target: OverrideTarget; changes: OverrideChanges }[] = [];
    for (const w of writes) {
      if (w.existing) {
        const row = await this.repos.overrides.update(w.existing.id, w.existing.version, w.changes, user.id, trx);
        if (!row) throw conflict(presentOverride(w.existing));
        out.push(row);
      } else fresh.push(w);
    }
    // new overrides in pieces of a few hundred rows, own records one statement each (no read-back)
    out.push(...(await this.repos.overrides.insertMany(scenarioId, fresh, user.id, trx)));
    const byId = <T extends { id: number; version: number }>(rows: { record: T; values: Record<string, unknown> }[]) =>
      rows.map((r) => ({ id: r.record.id, version: r.record.version, values: { ...r.values, updated_by: user.id } }));
    const ownMoves = own.flatMap((o) => (o.move ? [{ record: o.move, values: o.values }] : []));
    const ownEvents = own.flatMap((o) => (o.event ? [{ record: o.event, values: o.values }] : []));
    const staleMoves = await this.repos.moves.updateEach(byId(ownMoves), trx);
    if (staleMoves.length) throw conflict(ownMoves.find((m) => m.record.id === staleMoves[0])?.record);
    const staleEvents = await this.repos.events.updateEach(byId(ownEvents), trx);
    if (staleEvents.length) throw conflict(ownEvents.find((e) => e.record.id === staleEvents[0])?.record);
    return out;
  }

  /**
   * Adopt, inside the adopting transaction: every override's values are written into its baseline
   * record (a cancelled move becomes `cancelled`, a cancelled event is deleted), audited per record.
   * Returns the ids of the baseline moves and events that changed.
   */
  async applyAll(trx: Tx, user: SessionUser, scenarioId: number): Promise<{ moves: number[]; events: number[] }> {
    const out = { moves: [] as number[], events: [] as number[] };
    const list = await this.repos.overrides.list({ scenario_id: scenarioId }, trx);
    // the baseline records read in pieces, written one statement each, audited in pieces: 10,000 overrides adopt in one go
    const moves = new Map(
      (
        await this.repos.moves.getMany(
          list.flatMap((o) => (o.move_id !== null ? [o.move_id] : [])),
          trx,
        )
      ).map((m) => [m.id, m]),
    );
    const events = new Map(
      (
        await this.repos.events.getMany(
          list.flatMap((o) => (o.event_id !== null ? [o.event_id] : [])),
          trx,
        )
      ).map((e) => [e.id, e]),
    );
    const moveWrites: { id: number; version: number; values: Record<string, unknown> }[] = [];
    const eventWrites: { id: number; version: number; values: Record<string, unknown> }[] = [];
    const moveAudits: { id: number; before: unknown; after: unknown }[] = [];
    const eventAudits: { id: number; before: unknown; after: unknown }[] = [];
    const now = this.repos.clock();
    for (const o of list) {
      if (o.move_id !== null) {
        const before = moves.get(o.move_id);
        if (!before) continue;
        const values: Record<string, unknown> = {
          ...(o.changes.cancelled ? { status: 'cancelled' } : pick(o.changes, MOVE_OVERRIDE_FIELDS)),
          updated_by: user.id,
        };
        // the floors as the engine counts them: a move sent to another site no longer names a floor of
        // the old one, unless the scenario names a floor of the new one
        if (!o.changes.cancelled) Object.assign(values, floorsInScenario(before, o.changes));
        moveWrites.push({ id: before.id, version: before.version, values });
        moveAudits.push({ id: before.id, before, after: { ...before, ...values, version: before.version + 1, updated_at: now } });
        out.moves.push(before.id);
      } else if (o.event_id !== null) {
        const before = events.get(o.event_id);
        if (!before) continue;
        if (o.changes.cancelled) {
          await this.repos.events.delete(before.id, trx);
          eventAudits.push({ id: before.id, before, after: null });
        } else {
          const values = { ...pick(o.changes, EVENT_OVERRIDE_FIELDS), updated_by: user.id };
          eventWrites.push({ id: before.id, version: before.version, values });
          eventAudits.push({ id: before.id, before, after: { ...before, ...values, version: before.version + 1, updated_at: now } });
        }
        out.events.push(before.id);
      }
    }
    await this.checkAdoptedFloors(moveWrites, moves, trx);
    // the records as the audit says they were written, to the millisecond
    const staleMoves = await this.repos.moves.updateEach(moveWrites, trx, now);
    if (staleMoves.length) throw conflict(moves.get(staleMoves[0]));
    const staleEvents = await this.repos.events.updateEach(eventWrites, trx, now);
    if (staleEvents.length) throw conflict(events.get(staleEvents[0]));
    await this.writes.auditMany(trx, user, 'adopt_override', 'move', moveAudits);
    await this.writes.auditMany(trx, user, 'adopt_override', 'site_event', eventAudits);
    await this.repos.overrides.deleteForScenario(scenarioId, trx);
    return out;
  }

  /** How many baseline moves and events the scenario's overrides change (for the adopt confirmation). */
  /** The scenario's overrides as stored (no baseline records). */
  listRaw(scenarioId: number): Promise<Override[]> {
    return this.repos.overrides.list({ scenario_id: scenarioId });
  }

  async counts(scenarioId: number): Promise<{ moves: number; events: number }> {
    const list = await this.repos.overrides.list({ scenario_id: scenarioId });
    return { moves: list.filter((o) => o.move_id !== null).length, events: list.filter((o) => o.event_id !== null).length };
  }

  private async records<T extends { id: number; scenario_id: number | null }>(
    repo: TableRepo<T>,
    ids: readonly number[],
    scenarioId: number,
    field: string,
  ): Promise<T[]> {
    const found = await repo.getMany(ids);
    const byId = new Map(found.map((r) => [r.id, r]));
    const out: T[] = [];
    for (const id of new Set(ids)) {
      const r = byId.get(id);
      if (!r || (r.scenario_id !== null && r.scenario_id !== scenarioId))
        throw ruleBroken('UNKNOWN_REFERENCE', `${field.replace('_ids', '')} ${id} is neither a baseline record nor in this scenario`, undefined, {
          [field]: 'validation.unknown_reference',
        });
      out.push(r);
    }
    return out;
  }

  /**
   * Each floor an adopted move names must be a floor of the site it ends up at: an override that names
   * only a floor no longer fits when the baseline move was sent to another site since (422, nothing written).
   */
  private async checkAdoptedFloors(writes: { id: number; values: Record<string, unknown> }[], before: Map<number, Move>, trx: Tx): Promise<void> {
    const floorIds = new Set(writes.flatMap((w) => [w.values.from_floor_id, w.values.to_floor_id]).filter((f): f is number => typeof f === 'number'));
    if (floorIds.size === 0) return;
    const siteOf = new Map((await this.repos.floors.getMany([...floorIds], trx)).map((f) => [f.id, f.site_id]));
    for (const w of writes) {
      const after = { ...before.get(w.id), ...w.values } as Move;
      const wrong = floorsOfOtherSites(after, siteOf)[0];
      if (wrong)
        throw ruleBroken(
          'OVERRIDE_STALE',
          `move ${w.id} would name floor ${after[wrong]}, which is not a floor of its site`,
          { move_id: w.id },
          { _: 'validation.override_floor_stale' },
        );
    }
  }

  /** The baseline move as it counts in the scenario with these changes (the floors by floorsInScenario). */
  inScenario(move: Move, changes: OverrideChanges): Move {
    return moveInScenario(move, changes);
  }

  private checkMove(move: Move, changes: OverrideChanges): void {
    const merged = this.inScenario(move, changes);
    const fields = {
      unit_id: true,
      from_site_id: true,
      to_site_id: true,
      from_floor_id: true,
      to_floor_id: true,
      headcount: true,
      date: true,
      until: true,
    } as const;
    const check = S.moveRules(S.MoveFields.pick(fields)).safeParse({
      unit_id: merged.unit_id,
      from_site_id: merged.from_site_id,
      to_site_id: merged.to_site_id,
      from_floor_id: merged.from_floor_id,
      to_floor_id: merged.to_floor_id,
      headcount: merged.headcount,
      date: merged.date,
      until: merged.until,
    });
    if (!check.success) throw validation(zodFields(check.error));
    if (!Object.keys(changes).length) throw validation({ _: 'validation.override_empty' });
  }

  private checkEvent(event: SiteEvent, changes: Record<string, unknown>): void {
    const merged = { ...event, ...changes } as SiteEvent;
    if (merged.end_date && merged.end_date < merged.date) throw validation({ end_date: 'validation.end_before_start' });
    if (merged.kind === 'capacity' && (merged.capacity === null || merged.capacity === undefined)) throw validation({ capacity: 'validation.capacity_needed' });
    if (!Object.keys(changes).length) throw validation({ _: 'validation.override_empty' });
  }

  private async write(user: SessionUser, scenarioId: number, target: OverrideTarget, changes: OverrideChanges, version?: number): Promise<PresentedOverride> {
    return this.writes.transaction(async (trx) => {
      const existing = await this.repos.overrides.find(scenarioId, target, trx);
      if (existing && version !== undefined && existing.version !== version) throw conflict(presentOverride(existing));
      const others = (await this.repos.overrides.list({ scenario_id: scenarioId }, trx)).filter((o) => o.id !== existing?.id).map(toPlan);
      await this.checkRules(trx, scenarioId, [...others, { scenario_id: scenarioId, move_id: null, event_id: null, ...target, changes }]);
      const row = existing
        ? await this.repos.overrides.update(existing.id, existing.version, changes, user.id, trx)
        : await this.repos.overrides.insert(scenarioId, target, changes, user.id, trx);
      if (!row) throw conflict(existing ? presentOverride(existing) : null);
      await this.touch(trx, user, scenarioId);
      await this.writes.audit(
        trx,
        user,
        existing ? 'update' : 'create',
        'scenario_override',
        row.id,
        existing ? presentOverride(existing) : null,
        presentOverride(row),
      );
      return presentOverride(row);
    });
  }

  /**
   * NEGATIVE_HEADCOUNT inside the write's transaction: the scenario with the new overrides (and
   * changed own moves) must not drive a unit below zero anywhere it was not already.
   */
  private async checkRules(trx: Tx, scenarioId: number, next: readonly PlanOverride[], ownMoves: Map<number, PlanMove> = new Map()): Promise<void> {
    const moves = (await this.repos.moves.listColumns(MOVE_COLUMNS, 5000, trx)) as PlanMove[];
    const current = (await this.repos.overrides.list({ scenario_id: scenarioId }, trx)).map(toPlan);
    const changed = ownMoves.size ? moves.map((m) => ownMoves.get(m.id) ?? m) : moves;
    const introduced = introducedNegatives(movesFor(moves, scenarioId, current), movesFor(changed, scenarioId, next));
    if (introduced.length) {
      throw ruleBroken(
        'NEGATIVE_HEADCOUNT',
        'in this scenario the change would move more people out of a site than are there',
        { violations: introduced },
        { headcount: 'validation.negative_headcount' },
      );
    }
  }

  /** An override changes the scenario: its version and last change move on (an adopt based on an older version is refused). */
  private async touch(trx: Tx, user: SessionUser, scenarioId: number, known?: Scenario): Promise<void> {
    const s = known ?? (await this.scenario(scenarioId, trx));
    if (!(await this.repos.scenarios.update(s.id, s.version, { updated_by: user.id }, trx)))
      throw new AppError(409, 'VERSION_CONFLICT', 'the scenario was changed by someone else');
  }
}

function pick(changes: OverrideChanges, fields: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(fields.filter((f) => f in changes).map((f) => [f, changes[f]]));
}

/** Drops `cancelled: false` (the same as no cancellation) so an override holds only real changes. */
function clean(changes: Record<string, unknown>): OverrideChanges {
  const out: OverrideChanges = {};
  for (const [k, v] of Object.entries(changes)) if (v !== undefined && !(k === 'cancelled' && v === false)) out[k] = v as OverrideChanges[string];
  return out;
}
