/**
 * What a plan costs (SPEC section 15), pure: rent and service charges of the sites' leases, and the
 * one-off cost of moving people.
 *
 * The model, in one place:
 * - A lease is paid from its start to its end. An open-ended lease is paid while the plan uses the
 *   site: it ends on the last day people sit there, when the plan leaves the site for good after the
 *   lease began (the plan gives notice in time: NOTICE_DUE says by when); otherwise it runs on.
 * - An owned building's running costs run on while it is owned, with or without people: no notice
 *   ends ownership, and the plan does not know when a building would be sold or used otherwise —
 *   unless the plan closes it (a closure event, not followed by an opening): then they end the day
 *   before the closure.
 * - People who stay in a site after its last lease ended (no lease follows) are charged at that
 *   lease's rate until they leave (a holdover: the landlord may claim the agreed rent, § 546a BGB);
 *   LEASE_ENDS warns of it.
 * - A candidate site costs only in a selection that takes it up (see Plan.countedCandidates).
 * - Running costs over a period are counted month by month, pro rata by the days of each month.
 * - Every person moved between two sites costs `moveCostPerPerson` (or the move's own `cost_eur`),
 *   a temporary move's way out and its way back each; arrivals and departures cost nothing.
 */
import { addDays, addMonths, daysInMonth } from './dates.js';
import type { LeaseNotice, LeaseView } from './rules/context.js';
import type { PlanData, PlanEvent, PlanLease, PlanMove } from './types.js';

/**
 * What the cost figures ask of a plan (engine.ts's Plan has all of it). A shape, not an import of
 * the engine: the engine asks this module for the lease view, so the import goes one way only.
 */
export interface Plan {
  readonly data: PlanData;
  movesOf(scenarioId: number | null): PlanMove[];
  eventsOf(scenarioId: number | null): PlanEvent[];
  countedCandidates(scenarioId: number | null): Set<number>;
  siteCountsAt(
    date: string,
    scenarioId?: number | null,
  ): { capacity: Int32Array; headcount: Int32Array; capacity_estimated: Uint8Array; headcount_estimated: Uint8Array };
}

/** A stretch in which people sit in a site: from `from` to the day before `to` (null: to the end of the plan). */
export interface OccupiedSpan {
  from: string;
  to: string | null;
}

/** A stretch for which a site's running costs are paid, at a monthly amount. */
export interface Charge {
  site_id: number;
  lease_id: number;
  from: string;
  /** last day paid (inclusive); null: runs on */
  to: string | null;
  monthly: number;
  /** people stay after the lease ended: charged at its rate */
  holdover: boolean;
}

/** For each site, the spans in which people sit there under these moves, in date order. */
export function occupiedSpans(moves: readonly PlanMove[]): Map<number, OccupiedSpan[]> {
  const dates: string[] = [];
  const sites: number[] = [];
  const deltas: number[] = [];
  const add = (date: string, site: number | null, delta: number) => {
    if (site === null) return;
    dates.push(date);
    sites.push(site);
    deltas.push(delta);
  };
  for (const m of moves) {
    add(m.date, m.from_site_id, -m.headcount);
    add(m.date, m.to_site_id, m.headcount);
    if (m.until && m.until > m.date) {
      add(m.until, m.to_site_id, -m.headcount);
      add(m.until, m.from_site_id, m.headcount);
    }
  }
  const order = Array.from(dates.keys()).sort((a, b) => (dates[a] < dates[b] ? -1 : dates[a] > dates[b] ? 1 : 0));
  const totals = new Map<number, number>();
  const out = new Map<number, OccupiedSpan[]>();
  let i = 0;
  while (i < order.length) {
    const date = dates[order[i]];
    const touched = new Set<number>();
    for (; i < order.length && dates[order[i]] === date; i++) {
      const k = order[i];
      touched.add(sites[k]);
      totals.set(sites[k], (totals.get(sites[k]) ?? 0) + deltas[k]);
    }
    for (const site of touched) {
      const spans = out.get(site);
      const open = spans !== undefined && spans.length > 0 && spans[spans.length - 1].to === null;
      const occupied = (totals.get(site) ?? 0) > 0;
      if (occupied && !open) {
        if (spans) spans.push({ from: date, to: null });
        else out.set(site, [{ from: date, to: null }]);
      } else if (!occupied && open) spans[spans.length - 1].to = date;
    }
  }
  return out;
}

const monthlyOf = (l: PlanLease) => l.rent_month_eur + l.service_charges_month_eur;

/**
 * What a site's leases charge under its occupancy (leases of the site, by start; they do not overlap);
 * `closedFrom`: the day the plan closes the site for good (an owned building's costs end before it).
 */
export function chargesOf(leases: readonly PlanLease[], spans: readonly OccupiedSpan[] | undefined, closedFrom: string | null = null): Charge[] {
  const out: Charge[] = [];
  const last = spans?.length ? spans[spans.length - 1] : undefined;
  // the first day without people for good (null: people stay to the end; undefined: never anyone)
  const emptyFrom = last ? last.to : undefined;
  for (const l of leases) {
    let to = l.end;
    if (to === null && l.kind === 'lease' && emptyFrom !== undefined && emptyFrom !== null && emptyFrom > l.start) to = addDays(emptyFrom, -1);
    if (l.kind === 'owned' && closedFrom !== null && closedFrom > l.start && (to === null || to >= closedFrom)) to = addDays(closedFrom, -1);
    out.push({ site_id: l.site_id, lease_id: l.id, from: l.start, to, monthly: monthlyOf(l), holdover: false });
  }
  const final = leases[leases.length - 1];
  if (final?.end !== null && final !== undefined && last !== undefined) {
    const lastDay = emptyFrom === null || emptyFrom === undefined ? null : addDays(emptyFrom, -1);
    if (lastDay === null || lastDay > final.end) {
      out.push({ site_id: final.site_id, lease_id: final.id, from: addDays(final.end, 1), to: lastDay, monthly: monthlyOf(final), holdover: true });
    }
  }
  return out;
}

/** The charge in force at a date, if any. */
export function chargeAt(charges: readonly Charge[], date: string): Charge | undefined {
  return charges.find((c) => c.from <= date && (c.to === null || date <= c.to));
}

/** A monthly amount over the days a..b (inclusive), month by month, pro rata by the days of each month. */
export function proRata(monthly: number, a: string, b: string): number {
  if (b < a || monthly === 0) return 0;
  const [ay, am, ad] = a.split('-').map(Number);
  const [by, bm, bd] = b.split('-').map(Number);
  const ia = ay * 12 + am - 1;
  const ib = by * 12 + bm - 1;
  const dimA = daysInMonth(ay, am);
  if (ia === ib) return (monthly * (bd - ad + 1)) / dimA;
  const first = (monthly * (dimA - ad + 1)) / dimA;
  const lastPart = (monthly * bd) / daysInMonth(by, bm);
  return first + lastPart + (ib - ia - 1) * monthly;
}

/** The running costs of charges over the days from..to (inclusive). */
export function runningCost(charges: readonly Charge[], from: string, to: string): number {
  let sum = 0;
  for (const c of charges) {
    const a = c.from > from ? c.from : from;
    const b = c.to === null || c.to > to ? to : c.to;
    sum += proRata(c.monthly, a, b);
  }
  return sum;
}

/** One way of a move between two sites: its own cost, or the cost per person × headcount; 0 for arrivals and departures. */
export function moveWayCost(m: Pick<PlanMove, 'from_site_id' | 'to_site_id' | 'headcount' | 'cost_eur'>, perPerson: number): number {
  if (m.from_site_id === null || m.to_site_id === null || m.from_site_id === m.to_site_id) return 0;
  return m.cost_eur ?? m.headcount * perPerson;
}

interface Selection {
  charges: Map<number, Charge[]>;
  view: LeaseView;
  /** the sites' occupied spans under the selection's moves (empty when the plan knows no lease) */
  spans: Map<number, OccupiedSpan[]>;
}

interface PlanCosts {
  leasesBySite: Map<number, PlanLease[]>;
  leaseById: Map<number, PlanLease>;
  selections: Map<number | null, Selection>;
}

const memo = new WeakMap<Plan, PlanCosts>();

function planCosts(plan: Plan): PlanCosts {
  let pc = memo.get(plan);
  if (!pc) {
    const leasesBySite = new Map<number, PlanLease[]>();
    for (const l of plan.data.leases ?? []) {
      const list = leasesBySite.get(l.site_id);
      if (list) list.push(l);
      else leasesBySite.set(l.site_id, [l]);
    }
    for (const list of leasesBySite.values()) list.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.id - b.id));
    pc = { leasesBySite, leaseById: new Map((plan.data.leases ?? []).map((l) => [l.id, l])), selections: new Map() };
    memo.set(plan, pc);
  }
  return pc;
}

function selection(plan: Plan, scenarioId: number | null): Selection {
  const pc = planCosts(plan);
  let sel = pc.selections.get(scenarioId);
  if (!sel) {
    const spans = pc.leasesBySite.size ? occupiedSpans(plan.movesOf(scenarioId)) : new Map<number, OccupiedSpan[]>();
    const counted = plan.countedCandidates(scenarioId);
    const charges = new Map<number, Charge[]>();
    const notices: LeaseNotice[] = [];
    const siteStatus = new Map(plan.data.sites.map((s) => [s.id, s.status]));
    const closed = closedFromBySite(plan.eventsOf(scenarioId));
    for (const [siteId, leases] of pc.leasesBySite) {
      const status = siteStatus.get(siteId);
      if (status === undefined || (status === 'candidate' && !counted.has(siteId))) continue;
      const siteSpans = spans.get(siteId);
      charges.set(siteId, chargesOf(leases, siteSpans, closed.get(siteId) ?? null));
      const last = siteSpans?.length ? siteSpans[siteSpans.length - 1] : undefined;
      const emptyFrom = last?.to;
      if (!emptyFrom) continue;
      for (const l of leases) {
        if (l.kind !== 'lease' || l.notice_months === null || l.start >= emptyFrom) continue;
        if (l.end !== null && l.end < emptyFrom) continue;
        const end = l.end ?? addDays(emptyFrom, -1);
        const due = addMonths(end, -l.notice_months);
        notices.push({ site_id: siteId, lease_id: l.id, due, end, months: l.notice_months });
      }
    }
    sel = { charges, view: { bySite: pc.leasesBySite, counted: new Set(charges.keys()), notices }, spans };
    pc.selections.set(scenarioId, sel);
  }
  return sel;
}

/** For each site the plan closes for good: the day of its last closure, when no opening follows it. */
function closedFromBySite(events: readonly PlanEvent[]): Map<number, string> {
  const last = new Map<number, PlanEvent>();
  for (const e of events) {
    if (e.kind !== 'closure' && e.kind !== 'opening') continue;
    const seen = last.get(e.site_id);
    if (!seen || e.date > seen.date || (e.date === seen.date && e.id > seen.id)) last.set(e.site_id, e);
  }
  const out = new Map<number, string>();
  for (const [site, e] of last) if (e.kind === 'closure') out.set(site, e.date);
  return out;
}

/** Whether the plan knows any lease (no lease: no cost figures, no lease warnings). */
export function hasLeases(plan: Plan): boolean {
  return (plan.data.leases?.length ?? 0) > 0;
}

/** The sites' leases as a selection sees them, for the warning rules (LEASE_ENDS, NOTICE_DUE). */
export function leaseView(plan: Plan, scenarioId: number | null): LeaseView {
  return selection(plan, scenarioId).view;
}

/** The charges of every site in a selection (what the period figures integrate). */
export function chargesBySite(plan: Plan, scenarioId: number | null): Map<number, Charge[]> {
  return selection(plan, scenarioId).charges;
}

const cents = (x: number) => Math.round(x * 100) / 100;

export interface SiteCostAt {
  site_id: number;
  site: string;
  /** (rent + service charges) × 12 of the lease in force; null: no lease recorded for the date */
  annual_eur: number | null;
  per_workplace_eur: number | null;
  per_person_eur: number | null;
  lease_id: number | null;
  lease_end: string | null;
  kind: 'lease' | 'owned' | null;
  /** people stay after the lease ended (charged at its rate) */
  holdover: boolean;
  capacity: number;
  headcount: number;
  /** the capacity, or the headcount, rests on an estimate (and so does the figure per workplace, or per person) */
  capacity_estimated: boolean;
  headcount_estimated: boolean;
}

export interface CostsAt {
  date: string;
  scenario_id: number | null;
  sites: SiteCostAt[];
  total_annual_eur: number;
  /** sites with people at the date but no lease recorded for it */
  sites_without_lease: number;
}

/**
 * The annual costs at a date: every site with a lease in force or with people, once (a site shared
 * by two teams is one row); per workplace ÷ capacity, per person ÷ headcount at the date.
 */
export function costsAt(plan: Plan, date: string, scenarioId: number | null = null): CostsAt {
  const pc = planCosts(plan);
  const sel = selection(plan, scenarioId);
  const counts = plan.siteCountsAt(date, scenarioId);
  const leaseById = pc.leaseById;
  const sites: SiteCostAt[] = [];
  let total = 0;
  let without = 0;
  plan.data.sites.forEach((s, i) => {
    const capacity = counts.capacity[i];
    const headcount = counts.headcount[i];
    const capacity_estimated = counts.capacity_estimated[i] === 1;
    const headcount_estimated = counts.headcount_estimated[i] === 1;
    const charges = sel.charges.get(s.id);
    const c = charges ? chargeAt(charges, date) : undefined;
    if (!c) {
      if (headcount > 0) {
        without++;
        sites.push({
          site_id: s.id,
          site: s.name,
          annual_eur: null,
          per_workplace_eur: null,
          per_person_eur: null,
          lease_id: null,
          lease_end: null,
          kind: null,
          holdover: false,
          capacity,
          headcount,
          capacity_estimated,
          headcount_estimated,
        });
      }
      return;
    }
    const lease = leaseById.get(c.lease_id);
    const annual = c.monthly * 12;
    total += annual;
    sites.push({
      site_id: s.id,
      site: s.name,
      annual_eur: cents(annual),
      per_workplace_eur: capacity > 0 ? cents(annual / capacity) : null,
      per_person_eur: headcount > 0 ? cents(annual / headcount) : null,
      lease_id: c.lease_id,
      lease_end: lease?.end ?? null,
      kind: lease?.kind ?? null,
      holdover: c.holdover,
      capacity,
      headcount,
      capacity_estimated,
      headcount_estimated,
    });
  });
  return { date, scenario_id: scenarioId, sites, total_annual_eur: cents(total), sites_without_lease: without };
}

export interface SideCosts {
  running_eur: number;
  moves_eur: number;
  /** the part of running_eur for people who stay after a lease ended (charged at its rate) */
  holdover_eur: number;
  /** moves_eur counts a move whose headcount is an estimate (and that has no cost of its own): ≈ */
  moves_estimated: boolean;
}

/** One side's costs over the period, with what they leave out. */
export interface SideTotals extends SideCosts {
  /** sites with people on some day of the period that no lease covers: their costs are unknown, not in the sums */
  sites_without_lease: { site_id: number; site: string }[];
}

export interface SiteCostComparison {
  site_id: number;
  site: string;
  baseline: SideCosts;
  scenario: SideCosts;
  difference_eur: number;
  /** the difference rests on an estimate: estimated move costs that differ between the sides (≈) */
  difference_estimated: boolean;
}

/** A difference rests on an estimate where the sides' move costs differ and one of them is estimated. */
const differenceEstimated = (b: SideCosts, s: SideCosts) => (b.moves_estimated || s.moves_estimated) && b.moves_eur !== s.moves_eur;

export interface CostComparison {
  from: string;
  to: string;
  scenario_id: number;
  baseline: SideTotals;
  scenario: SideTotals;
  /** scenario − baseline (running + moves) */
  difference_eur: number;
  /** the difference rests on an estimate (≈): see SiteCostComparison */
  difference_estimated: boolean;
  /** every site whose figures are not all zero */
  by_site: SiteCostComparison[];
}

/** One side's costs over the days from..to (inclusive), by site: running costs and the moves' costs (at the site moved to; a way back at the site returned to). */
function sideCosts(plan: Plan, scenarioId: number | null, from: string, to: string, perPerson: number): Map<number, SideCosts> {
  const out = new Map<number, SideCosts>();
  const at = (site: number) => {
    let v = out.get(site);
    if (!v) {
      v = { running_eur: 0, moves_eur: 0, holdover_eur: 0, moves_estimated: false };
      out.set(site, v);
    }
    return v;
  };
  for (const [site, charges] of chargesBySite(plan, scenarioId)) {
    const r = runningCost(charges, from, to);
    if (r !== 0) at(site).running_eur += r;
    const h = runningCost(
      charges.filter((c) => c.holdover),
      from,
      to,
    );
    if (h !== 0) at(site).holdover_eur += h;
  }
  for (const m of plan.movesOf(scenarioId)) {
    const way = moveWayCost(m, perPerson);
    if (way === 0 || m.from_site_id === null || m.to_site_id === null) continue;
    const estimated = Boolean(m.headcount_estimated) && (m.cost_eur === undefined || m.cost_eur === null);
    if (m.date >= from && m.date <= to) {
      at(m.to_site_id).moves_eur += way;
      if (estimated) at(m.to_site_id).moves_estimated = true;
    }
    if (m.until && m.until > m.date && m.until >= from && m.until <= to) {
      at(m.from_site_id).moves_eur += way;
      if (estimated) at(m.from_site_id).moves_estimated = true;
    }
  }
  return out;
}

/** Whether people sit in the site on some day of from..to (inclusive) that none of its charges covers. */
function uncoveredDay(spans: readonly OccupiedSpan[], charges: readonly Charge[], from: string, to: string): boolean {
  const sorted = [...charges].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  for (const span of spans) {
    // the span's days within the period: a..b inclusive (a span's `to` is its first day without people)
    let a = span.from > from ? span.from : from;
    const last = span.to === null ? to : addDays(span.to, -1);
    const b = last < to ? last : to;
    if (b < a) continue;
    let covered = false;
    for (const c of sorted) {
      if (c.to !== null && c.to < a) continue;
      // a gap before this charge, or a charge that covers a on: to its end or to b
      if (c.from > a) break;
      if (c.to === null || c.to >= b) {
        covered = true;
        break;
      }
      a = addDays(c.to, 1);
    }
    if (!covered) return true;
  }
  return false;
}

/** The sites with people on some day of the period that no lease covers (in the plan's site order). */
function sitesWithoutLease(plan: Plan, scenarioId: number | null, from: string, to: string): { site_id: number; site: string }[] {
  const sel = selection(plan, scenarioId);
  // the selection's spans (made once per plan and selection); a plan without any lease made none
  const spans = hasLeases(plan) ? sel.spans : occupiedSpans(plan.movesOf(scenarioId));
  const charges = sel.charges;
  return plan.data.sites.filter((s) => uncoveredDay(spans.get(s.id) ?? [], charges.get(s.id) ?? [], from, to)).map((s) => ({ site_id: s.id, site: s.name }));
}

/** A scenario's costs over the days from..to (inclusive) against the baseline's. */
export function compareCosts(plan: Plan, scenarioId: number, from: string, to: string, moveCostPerPerson: number): CostComparison {
  const base = sideCosts(plan, null, from, to, moveCostPerPerson);
  const scen = sideCosts(plan, scenarioId, from, to, moveCostPerPerson);
  const zero: SideCosts = { running_eur: 0, moves_eur: 0, holdover_eur: 0, moves_estimated: false };
  const total = (m: Map<number, SideCosts>, scenario: number | null): SideTotals => {
    let running = 0;
    let moves = 0;
    let holdover = 0;
    let movesEstimated = false;
    for (const v of m.values()) {
      running += v.running_eur;
      moves += v.moves_eur;
      holdover += v.holdover_eur;
      movesEstimated ||= v.moves_estimated;
    }
    return {
      running_eur: cents(running),
      moves_eur: cents(moves),
      holdover_eur: cents(holdover),
      moves_estimated: movesEstimated,
      sites_without_lease: sitesWithoutLease(plan, scenario, from, to),
    };
  };
  const rounded = (v: SideCosts): SideCosts => ({
    running_eur: cents(v.running_eur),
    moves_eur: cents(v.moves_eur),
    holdover_eur: cents(v.holdover_eur),
    moves_estimated: v.moves_estimated,
  });
  const by_site: SiteCostComparison[] = [];
  for (const s of plan.data.sites) {
    const b = base.get(s.id);
    const sc = scen.get(s.id);
    if (!b && !sc) continue;
    const bb = rounded(b ?? zero);
    const ss = rounded(sc ?? zero);
    by_site.push({
      site_id: s.id,
      site: s.name,
      baseline: bb,
      scenario: ss,
      difference_eur: cents(ss.running_eur + ss.moves_eur - bb.running_eur - bb.moves_eur),
      difference_estimated: differenceEstimated(bb, ss),
    });
  }
  const baseline = total(base, null);
  const scenario = total(scen, scenarioId);
  return {
    from,
    to,
    scenario_id: scenarioId,
    baseline,
    scenario,
    difference_eur: cents(scenario.running_eur + scenario.moves_eur - baseline.running_eur - baseline.moves_eur),
    difference_estimated: differenceEstimated(baseline, scenario),
    by_site,
  };
}

/** One site's annual costs at a date, baseline against a scenario (null: people there, but no lease recorded: unknown). */
export interface SiteAnnualComparison {
  site_id: number;
  site: string;
  baseline_eur: number | null;
  scenario_eur: number | null;
  /** scenario − baseline (null: one side unknown) */
  difference_eur: number | null;
}

/** The annual running costs at a date, baseline against a scenario, by site and in total. */
export interface AnnualComparison {
  date: string;
  scenario_id: number;
  /** no lease is recorded at all: there are no figures, only "–" */
  no_lease_data: boolean;
  /** the sums of the known figures */
  baseline_eur: number;
  scenario_eur: number;
  difference_eur: number;
  /** sites with people but no lease recorded for the date, per side (their costs are not in the sums) */
  baseline_without_lease: number;
  scenario_without_lease: number;
  /** every site with a figure or with people on either side */
  by_site: SiteAnnualComparison[];
}

/**
 * The annual running costs ((rent + service charges) × 12 of the charge in force) at a date, the
 * baseline's against a scenario's, by site: a site with neither a charge nor people costs 0 €, a
 * site with people and no lease recorded is unknown (null), never 0 €.
 */
export function compareAnnualAt(plan: Plan, scenarioId: number, date: string): AnnualComparison {
  const base = costsAt(plan, date, null);
  const scen = costsAt(plan, date, scenarioId);
  const b = new Map(base.sites.map((s) => [s.site_id, s]));
  const sc = new Map(scen.sites.map((s) => [s.site_id, s]));
  const by_site: SiteAnnualComparison[] = [];
  for (const s of plan.data.sites) {
    const x = b.get(s.id);
    const y = sc.get(s.id);
    if (!x && !y) continue;
    const baseline = x ? x.annual_eur : 0;
    const scenario = y ? y.annual_eur : 0;
    by_site.push({
      site_id: s.id,
      site: s.name,
      baseline_eur: baseline,
      scenario_eur: scenario,
      difference_eur: baseline === null || scenario === null ? null : cents(scenario - baseline),
    });
  }
  return {
    date,
    scenario_id: scenarioId,
    no_lease_data: !hasLeases(plan),
    baseline_eur: base.total_annual_eur,
    scenario_eur: scen.total_annual_eur,
    difference_eur: cents(scen.total_annual_eur - base.total_annual_eur),
    baseline_without_lease: base.sites_without_lease,
    scenario_without_lease: scen.sites_without_lease,
    by_site,
  };
}
