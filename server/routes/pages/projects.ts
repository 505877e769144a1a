import { Router, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { statusAsOf, phaseAsOf } from '../../planning/status.js';
import type { Project } from '../../repositories/index.js';
import type { ProjectWithRecords } from '../../services/projects.js';
import { currentUser } from '../../auth/guards.js';
import { isoDate, parse, pathId } from '../validate.js';
import { coerceForm, flash, formErrors, flashRefused, textOf } from './forms.js';
import { keyAt } from '../../i18n/index.js';

const FIELDS = { name: 'string', description: 'string' } as const;

/** One row of a project's small timeline: a move or an event between two dates, with its status. */
export interface ProjectTimelineRow {
  kind: 'move' | 'event';
  id: number;
  label: string;
  start: string;
  end: string | null;
  status: string;
  scenario_id: number | null;
  href: string;
  /** position on the timeline, in percent of its width */
  x: number;
  w: number;
}

/** The records of a project on one time axis (SVG coordinates in percent). */
export function projectTimeline(
  p: ProjectWithRecords,
  asOf: string,
  names: { unit: (id: number) => string; site: (id: number | null) => string; event: (kind: string) => string },
) {
  const rows: Omit<ProjectTimelineRow, 'x' | 'w'>[] = [
    ...p.moves.map((m) => ({
      kind: 'move' as const,
      id: m.id,
      label: `${names.unit(m.unit_id)}: ${names.site(m.from_site_id)} → ${names.site(m.to_site_id)} (${m.headcount})`,
      start: m.date,
      end: m.until,
      status: statusAsOf(m, asOf),
      scenario_id: m.scenario_id,
      href: `/moves/${m.id}/edit`,
    })),
    ...p.events.map((e) => ({
      kind: 'event' as const,
      id: e.id,
      label: `${names.event(e.kind)}: ${names.site(e.site_id)}`,
      start: e.date,
      end: e.end_date,
      status: phaseAsOf({ date: e.date, end: e.end_date }, asOf),
      scenario_id: e.scenario_id,
      href: `/sites/${e.site_id}#events`,
    })),
  ].sort((a, b) => a.start.localeCompare(b.start) || a.kind.localeCompare(b.kind) || a.id - b.id);
  if (!rows.length) return { rows: [] as ProjectTimelineRow[], from: asOf, to: asOf, marker: null as number | null };
  const from = rows[0].start;
  const to = rows.reduce((m, r) => ((r.end ?? r.start) > m ? (r.end ?? r.start) : m), from);
  const day = (d: string) => Date.parse(`${d}T00:00:00Z`) / 86_400_000;
  const span = Math.max(1, day(to) - day(from));
  const pos = (d: string) => Math.round(((day(d) - day(from)) / span) * 960) / 10;
  const out = rows.map((r) => ({ ...r, x: pos(r.start), w: r.end ? Math.max(0.8, pos(r.end) - pos(r.start)) : 0.8 }));
  return { rows: out, from, to, marker: asOf >= from && asOf <= to ? pos(asOf) : null };
}

function renderForm(
  res: Response,
  o: {
    project: Project | null;
    values: Record<string, unknown>;
    errors?: Record<string, string>;
    message?: string | null;
    changes?: unknown[];
    status?: number;
  },
): void {
  res.status(o.status ?? 200).render('pages/projects/form', {
    title: o.project ? `${res.locals.t('form.edit')}: ${o.project.name}` : res.locals.t('project.new'),
    project: o.project,
    values: o.values,
    errors: o.errors ?? {},
    message: o.message ?? null,
    changes: o.changes ?? [],
  });
}

export function projectPages(ctx: AppContext): Router {
  const r = Router();
  projectListAndNew(r, ctx);
  projectDetailPage(r, ctx);
  projectEditAndDelete(r, ctx);
  return r;
}

/** /projects and /projects/new (registered before /projects/:id, which would take "new" for an id). */
function projectListAndNew(r: Router, ctx: AppContext): void {
  const { projects } = ctx.services;
  r.get('/projects', async (_req, res) => {
    res.render('pages/projects/list', { title: res.locals.t('nav.projects'), list: await projects.listWithCounts() });
  });

  r.get('/projects/new', (req, res) => {
    projects.mayWrite(req.user);
    renderForm(res, { project: null, values: {} });
  });
  r.post('/projects/new', async (req, res) => {
    const user = projects.mayWrite(req.user);
    try {
      const p = await projects.create(user, coerceForm(req.body, FIELDS, { omitEmpty: true, lang: res.locals.lang }));
      flash(req, 'flash.saved');
      res.redirect(303, `/projects/${p.id}`);
    } catch (err) {
      const e = formErrors(err, res);
      renderForm(res, { project: null, values: req.body, errors: e.fields, message: e.message, status: e.status });
    }
  });
}

/** /projects/:id: the project with its moves and events on a timeline. */
function projectDetailPage(r: Router, ctx: AppContext): void {
  const { projects } = ctx.services;
  r.get('/projects/:id', async (req, res) => {
    const id = pathId(req.params);
    const q = parse(z.object({ date: isoDate.optional().or(z.literal('').transform(() => undefined)) }).passthrough(), req.query);
    const asOf = q.date ?? ctx.today();
    const p = await projects.get(id);
    const [sites, units, scenarios] = await Promise.all([ctx.services.sites.all(), ctx.services.organisation.units(), ctx.services.scenarios.list()]);
    const siteName = new Map(sites.map((s) => [s.id, s.name]));
    const unitName = new Map(units.map((u) => [u.id, u.name]));
    const t = textOf(res);
    const timeline = projectTimeline(p, asOf, {
      unit: (uid) => unitName.get(uid) ?? String(uid),
      site: (sid) => (sid === null ? '–' : (siteName.get(sid) ?? String(sid))),
      event: (kind) => t(keyAt(`event.kind.${kind}`)),
    });
    res.render('pages/projects/show', {
      title: p.name,
      project: p,
      timeline,
      asOf,
      scenarioName: new Map(scenarios.map((s) => [s.id, s.name])),
    });
  });
}

/** Changing and deleting a project (a version conflict shows what changed). */
function projectEditAndDelete(r: Router, ctx: AppContext): void {
  const { projects } = ctx.services;
  r.get('/projects/:id/edit', async (req, res) => {
    const p = await projects.forChange(req.user, pathId(req.params));
    renderForm(res, { project: p, values: p as unknown as Record<string, unknown> });
  });
  r.post('/projects/:id/edit', async (req, res) => {
    const user = currentUser(req);
    const p = await projects.forChange(user, pathId(req.params));
    const version = Number(req.body.version);
    try {
      await projects.update(user, p.id, { ...coerceForm(req.body, FIELDS, { lang: res.locals.lang }), version });
      flash(req, 'flash.saved');
      res.redirect(303, `/projects/${p.id}`);
    } catch (err) {
      const e = formErrors(err, res);
      const current = await projects.get(p.id);
      const changes = e.status === 409 ? await ctx.services.audit.changesSince('project', p.id, version, current as unknown as Record<string, unknown>) : [];
      renderForm(res, { project: current, values: { ...req.body, version: current.version }, errors: e.fields, message: e.message, changes, status: e.status });
    }
  });
  r.post('/projects/:id/delete', async (req, res) => {
    const user = projects.mayWrite(req.user);
    const id = pathId(req.params);
    try {
      await projects.remove(user, id, Number(req.body.version) || undefined);
      flash(req, 'flash.deleted');
      res.redirect(303, '/projects');
    } catch (err) {
      const e = formErrors(err, res);
      flashRefused(req, e.message ?? '');
      res.redirect(303, `/projects/${id}`);
    }
  });
}
