import { Router } from 'express';
import type { AppContext } from '../../context.js';
import { notFound } from '../../errors.js';
import { pathId } from '../validate.js';
import { pageBasics } from './as-of.js';
import { must } from '../../invariant.js';

export function teamPages(ctx: AppContext): Router {
  const r = Router();

  r.get('/teams', async (req, res) => {
    const { asOf, scenarios, state } = await pageBasics(ctx, req);
    const [districts, organisationNote] = await Promise.all([
      ctx.services.organisation.districts(),
      // what the source says about the organisation and what is our assumption ("28 Dienststellen")
      ctx.services.planning.reportField('note.organisation'),
    ]);
    const siteName = new Map(state.sites.map((s) => [s.id, s.name]));
    const working = new Map<number, Set<number>>();
    for (const st of state.sites) for (const u of st.units) if (u.headcount > 0) working.set(u.team_id, (working.get(u.team_id) ?? new Set()).add(u.unit_id));
    res.render('pages/teams/list', {
      title: res.locals.t('nav.teams'),
      asOf,
      scenarios,
      teams: state.teams,
      organisationNote,
      siteName,
      districts,
      districtName: new Map(districts.map((d) => [d.id, d.name])),
      // the services working at the date (with people there): a service whose people all left (the central
      // services of Mitte/Ost until 30.09.2020) is no longer one of the team's
      unitCount: (teamId: number) => working.get(teamId)?.size ?? 0,
      // a split a planner acknowledged („Zentrale Dienste bleiben verteilt“) says so, as on the map and in the report
      splitAcknowledged: new Set(state.warnings.filter((w) => w.code === 'TEAM_SPLIT' && w.acknowledged).map((w) => w.team_id)),
    });
  });

  r.get('/teams/:id', async (req, res) => {
    const id = pathId(req.params);
    const { asOf, scenarios, state } = await pageBasics(ctx, req);
    const team = await ctx.services.organisation.team(id);
    if (!team) throw notFound('team');
    const ts = must(
      state.teams.find((x) => x.id === id),
      'state.teams.find((x) => x.id === id)',
    );
    const [units, districts, moves, sites] = await Promise.all([
      ctx.services.organisation.units({ team_id: id }),
      ctx.services.organisation.districts(),
      ctx.services.moves.find({ team_id: id }),
      ctx.services.sites.all(),
    ]);
    const siteNames = new Map(sites.map((s) => [s.id, s.name]));
    const unitById = new Map(units.map((u) => [u.id, u]));
    const placements = state.sites.flatMap((s) => s.units.filter((u) => u.team_id === id).map((u) => ({ site: s, unit: u })));
    res.render('pages/teams/show', {
      title: team.name,
      asOf,
      scenarios,
      team,
      ts,
      units,
      placements,
      siteNames,
      district: districts.find((d) => d.id === team.district_id)?.name ?? null,
      moves: moves.filter((m) => m.scenario_id === null || m.scenario_id === asOf.scenarioId),
      unitLabel: (uid: number) => unitById.get(uid)?.name ?? String(uid),
      warnings: state.warnings.filter((w) => w.team_id === id),
    });
  });

  return r;
}
