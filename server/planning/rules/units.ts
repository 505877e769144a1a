/** Warning rules about the units with people at a site: where the public is served. */
import type { SiteState, SiteUnitState } from '../types.js';
import type { RuleContext } from './context.js';

/** The public-facing units with people at each site. */
function* publicFacing(ctx: RuleContext): Generator<[SiteState, SiteUnitState]> {
  for (const st of ctx.sites) {
    for (const u of st.units) if (u.headcount > 0 && ctx.unit(u.unit_id).public_facing) yield [st, u];
  }
}

/** NOT_STEP_FREE: a public-facing unit works at a site not known to be step-free. */
export function notStepFree(ctx: RuleContext): void {
  for (const [st, u] of publicFacing(ctx)) {
    if (st.step_free !== 'yes') {
      ctx.warn('NOT_STEP_FREE', { unit: u.unit, site: st.name, step_free: st.step_free }, { site_id: st.id, unit_id: u.unit_id, team_id: u.team_id });
    }
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
