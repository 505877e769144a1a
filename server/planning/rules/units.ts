/** Warning rules about the units with people at a site: where the public is served. */
import type { Fact, SiteState, SiteUnitState } from '../types.js';
import type { RuleContext } from './context.js';

/** The public-facing units with people at each site. */
function* publicFacing(ctx: RuleContext): Generator<[SiteState, SiteUnitState]> {
  for (const st of ctx.sites) {
    for (const u of st.units) if (u.headcount > 0 && ctx.unit(u.unit_id).public_facing) yield [st, u];
  }
}

/**
 * NOT_STEP_FREE: a public-facing unit works at a site whose entrance (or, for its people on a floor,
 * the floor) is known not to be step-free.
 * Where that is not known, STEP_FREE_UNKNOWN (severity info): a gap in the data, not a warning.
 */
export function notStepFree(ctx: RuleContext): void {
  for (const [st, u] of publicFacing(ctx)) {
    const reach = reachOf(ctx, st, u);
    if (reach.fact === 'no') {
      ctx.warn(
        'NOT_STEP_FREE',
        { unit: u.unit, site: st.name, step_free: reach.fact, floor: reach.floor },
        { site_id: st.id, unit_id: u.unit_id, team_id: u.team_id },
      );
    }
  }
}

/**
 * Whether the people of a unit at a site are reached without steps: through the entrance, and for
 * those on a floor through the floor's access too (the worse counts; `floor` names the floor when
 * it, not the entrance, decides). At a site without floors the entrance alone decides, as before.
 */
function reachOf(ctx: RuleContext, st: SiteState, u: SiteUnitState): { fact: Fact; floor: string | null } {
  const reach = ctx.floors()?.reach(u.unit_id, st.id);
  return reach ? { fact: reach.fact, floor: reach.floor?.name ?? null } : { fact: st.step_free, floor: null };
}

/** STEP_FREE_UNKNOWN: a public-facing unit works at a site whose entrance nobody recorded as step-free or not. */
export function stepFreeUnknown(ctx: RuleContext): void {
  for (const [st, u] of publicFacing(ctx)) {
    const reach = reachOf(ctx, st, u);
    if (reach.fact === 'unknown')
      ctx.warn('STEP_FREE_UNKNOWN', { unit: u.unit, site: st.name, floor: reach.floor }, { site_id: st.id, unit_id: u.unit_id, team_id: u.team_id });
  }
}

/** NO_ACCESSIBLE_STOP: a public-facing unit works where no wheelchair-accessible stop is near. */
export function noAccessibleStop(ctx: RuleContext): void {
  for (const [st, u] of publicFacing(ctx)) {
    if (!ctx.hasAccessibleStop(st.id)) {
      ctx.warn(
        'NO_ACCESSIBLE_STOP',
        { unit: u.unit, site: st.name, radius: ctx.config.accessibleStopRadiusM },
        { site_id: st.id, unit_id: u.unit_id, team_id: u.team_id },
      );
    }
  }
}
