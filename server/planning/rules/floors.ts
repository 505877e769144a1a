/** Warning rules about the floors of sites (SPEC section 14). */
import { minimumOfficeArea } from '../load.js';
import type { RuleContext } from './context.js';

/** Each floor with people at the date, with its site's state (sites not available are SITE_UNAVAILABLE's). */
function* occupiedFloors(ctx: RuleContext) {
  const view = ctx.floors();
  if (!view) return;
  for (let f = 0; f < view.floors.length; f++) {
    if (view.needed[f] <= 0) continue;
    const floor = view.floors[f];
    const st = ctx.siteState(floor.site_id);
    if (!st.available) continue;
    yield { floor, st, needed: view.needed[f], estimated: view.estimated[f] === 1 };
  }
}

/** FLOOR_OVER_CAPACITY: the people on a floor need more workplaces than it has. */
export function floorOverCapacity(ctx: RuleContext): void {
  for (const { floor, st, needed, estimated } of occupiedFloors(ctx)) {
    if (needed <= floor.workplaces) continue;
    const estimates = [...(estimated ? ['needed'] : []), ...(floor.workplaces_estimated ? ['workplaces'] : [])];
    ctx.warn('FLOOR_OVER_CAPACITY', { site: st.name, floor: floor.name, needed, workplaces: floor.workplaces }, { site_id: st.id }, estimates);
  }
}

/** AREA_BELOW_STANDARD per floor: a floor whose area is known is below ASR A1.2's minimum for the workplaces its people need. */
export function floorAreaBelowStandard(ctx: RuleContext): void {
  for (const { floor, st, needed, estimated } of occupiedFloors(ctx)) {
    if (floor.area_m2 === null) continue;
    const minimum = minimumOfficeArea(needed);
    if (floor.area_m2 < minimum)
      ctx.warn(
        'AREA_BELOW_STANDARD',
        { site: st.name, floor: floor.name, area: floor.area_m2, needed, minimum },
        { site_id: st.id },
        estimated ? ['needed', 'minimum'] : [],
      );
  }
}
