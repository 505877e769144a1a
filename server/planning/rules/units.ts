/** Warning rules about the units with people at a site: where the public is served. */
import type { SiteState, SiteUnitState } from '../types.js';
import type { RuleContext } from './context.js';

/** The public-facing units with people at each site. */
function* publicFacing(ctx: RuleContext): Generator<[SiteState, SiteUnitState]> {
  for (const st of ctx.sites) {
    for (const u of st.units) if (u.headcount > 0 && ctx.unit(u.unit_id).public_facing) yield [st, u];
  }
}

/**
 * NOT_STEP_FREE: a public-facing unit works at a site whose entrance is known not to be step-free.
 * Where that is not known, STEP_FREE_UNKNOWN (severity info): a gap in the data, not a warning.
 */
export function notStepFree(ctx: RuleContext): void {
  for (const [st, u] of publicFacing(ctx)) {
    if (st.step_free === 'no') {
      ctx.warn('NOT_STEP_FREE', { unit: u.unit, site: st.name, step_free: st.step_free }, { site_id: st.id, unit_id: u.unit_id, team_id: u.team_id });
    }
  }
}

/** STEP_FREE_UNKNOWN: a public-facing unit works at a site whose entrance nobody recorded as step-free or not. */
export function stepFreeUnknown(ctx: RuleContext): void {
  for (const [st, u] of publicFacing(ctx)) {
    if (st.step_free === 'unknown') ctx.warn('STEP_FREE_UNKNOWN', { unit: u.unit, site: st.name }, { site_id: st.id, unit_id: u.unit_id, team_id: u.team_id });
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
