/** Warning rules about teams: spread over places, or working outside their district. */
import type { RuleContext } from './context.js';

/** TEAM_SPLIT: a team works at more than one location. */
export function teamSplit(ctx: RuleContext): void {
  for (const t of ctx.teams) {
    if (!t.split) continue;
    ctx.warn(
      'TEAM_SPLIT',
      { team: t.name, sites: t.locations, distance_m: t.max_distance_m, site_names: t.site_ids.map((id) => ctx.siteState(id).name).join(', ') },
      { team_id: t.id },
      // a distance from a placeholder position is an estimate
      t.distance_estimated ? ['distance_m'] : [],
    );
  }
}

/** OUTSIDE_DISTRICT: a district team has people at a site outside its district. */
export function outsideDistrict(ctx: RuleContext): void {
  for (const t of ctx.teams) {
    if (t.kind !== 'district' || t.district_id === null) continue;
    for (const id of t.site_ids) {
      const st = ctx.siteState(id);
      if (st.district_id !== t.district_id) ctx.warn('OUTSIDE_DISTRICT', { team: t.name, site: st.name }, { team_id: t.id, site_id: id });
    }
  }
}
