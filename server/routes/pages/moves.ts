import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { floorsOfOtherSites } from '../../planning/selection.js';
import { MOVE_STATUSES } from '../../planning/types.js';
import { siteOfFloors } from '../../services/moves.js';
import { isoDate, optionalId, pageNumber, parse } from '../validate.js';

const blank = z.literal('').transform(() => undefined);
/** Rows per page of the moves list (a scenario may hold tens of thousands: the page stays small). */
export const MOVES_PER_PAGE = 200;

export function movePages(ctx: AppContext): Router {
  const r = Router();
  r.get('/moves', async (req, res) => {
    const f = parse(
      z
        .object({
          status: z
            .enum(MOVE_STATUSES as [string, ...string[]])
            .optional()
            .or(blank),
          site_id: optionalId.or(blank),
          team_id: optionalId.or(blank),
          scenario_id: optionalId.or(blank),
          from: isoDate.optional().or(blank),
          to: isoDate.optional().or(blank),
          highlight: optionalId.or(blank),
          page: pageNumber,
        })
        .passthrough(),
      req.query,
    );
    await ctx.services.scenarios.selection(f.scenario_id);
    // the baseline's moves and, in a scenario, its own; one page of them: without a page asked for, the one holding the highlighted move
    const filter = {
      status: f.status,
      site_id: f.site_id,
      team_id: f.team_id,
      from: f.from,
      to: f.to,
      ...(f.scenario_id ? { baseline_and: f.scenario_id } : { scenario_id: 'baseline' as const }),
    };
    const at = f.highlight && !f.page ? await ctx.services.moves.positionOf(filter, f.highlight) : null;
    const asked = f.page ?? (at !== null ? Math.floor(at / MOVES_PER_PAGE) + 1 : 1);
    const first = await ctx.services.moves.page(filter, MOVES_PER_PAGE, (asked - 1) * MOVES_PER_PAGE);
    const pages = Math.max(1, Math.ceil(first.total / MOVES_PER_PAGE));
    // a page beyond the last (the list got shorter meanwhile, or a typed address): the last
    const page = Math.min(asked, pages);
    const { moves, total } = page === asked ? first : await ctx.services.moves.page(filter, MOVES_PER_PAGE, (page - 1) * MOVES_PER_PAGE);
    const [sites, teams, units, scenarios, floorsOf] = await Promise.all([
      ctx.services.sites.all(),
      ctx.services.organisation.teams(),
      ctx.services.organisation.units(),
      ctx.services.scenarios.list(),
      ctx.services.moves.floorChoices(),
    ]);
    const filterQuery = new URLSearchParams(
      (['status', 'site_id', 'team_id', 'scenario_id', 'from', 'to'] as const).flatMap((k) => (f[k] === undefined ? [] : [[k, String(f[k])]])),
    ).toString();
    // in a scenario, baseline moves show the scenario's changes, marked
    const overrideOf = f.scenario_id
      ? new Map((await ctx.services.overrides.listRaw(f.scenario_id)).flatMap((o) => (o.move_id !== null ? [[o.move_id, o] as const] : [])))
      : null;
    const unitById = new Map(units.map((u) => [u.id, u]));
    const teamName = new Map(teams.map((t) => [t.id, t.name]));
    const siteOfFloor = siteOfFloors(floorsOf);
    const qs = `?date=${ctx.today()}${f.scenario_id ? `&scenario_id=${f.scenario_id}` : ''}`;
    res.render('pages/moves/list', {
      title: res.locals.t('nav.moves'),
      moves,
      total,
      pager: { page, pages, first: (page - 1) * MOVES_PER_PAGE + 1, last: (page - 1) * MOVES_PER_PAGE + moves.length, query: filterQuery },
      filters: f,
      highlight: f.highlight ?? null,
      sites,
      teams,
      scenarios,
      qs,
      overrideOf,
      scenarioNames: new Map(scenarios.map((s) => [s.id, s.name])),
      siteNames: new Map(sites.map((s) => [s.id, s.name])),
      floorNames: new Map(floorsOf.flatMap((g) => g.floors.map((fl) => [fl.id, fl.name] as const))),
      // a baseline move as it counts in the scenario (its floors too)
      inScenario: ctx.services.overrides.inScenario.bind(ctx.services.overrides),
      // a floor the scenario names that is no longer one of its site's (the baseline move changed since): flagged, as on the override form
      floorsAmiss: (m: Parameters<typeof floorsOfOtherSites>[0]) => floorsOfOtherSites(m, siteOfFloor),
      unitLabel: (uid: number) => {
        const u = unitById.get(uid);
        return u ? `${u.name} (${teamName.get(u.team_id) ?? ''})` : String(uid);
      },
    });
  });
  return r;
}
