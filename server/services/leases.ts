/** Leases of the sites (SPEC section 15): planners and admins write, everyone with access reads. */
import type { SessionUser } from '../auth/guards.js';
import { notFound, ruleBroken, validation } from '../errors.js';
import { addMonths } from '../planning/dates.js';
import type { Repos, Site, Tx } from '../repositories/index.js';
import type { Lease } from '../repositories/leases.js';
import * as S from '../schemas.js';
import { parseBody, requirePlanner } from './rules.js';
import type { WriteService } from './write-service.js';

export type LeaseRepos = Pick<Repos, 'leases' | 'sites'>;

type Terms = Pick<Lease, 'start' | 'end' | 'notice_months'>;

/** The rules of one lease on its own: the end not before the start, the notice not longer than the lease. */
export function leaseFieldProblems(l: Terms): Record<string, string> {
  const fields: Record<string, string> = {};
  if (l.end !== null && l.end < l.start) fields.end = 'validation.end_before_start';
  else if (l.end !== null && l.notice_months !== null && addMonths(l.start, l.notice_months) > l.end)
    fields.notice_months = 'validation.notice_longer_than_lease';
  return fields;
}

export class LeaseService {
  constructor(
    private readonly repos: LeaseRepos,
    private readonly writes: WriteService,
  ) {}

  /** A site's leases, earliest first (404 when there is no such site). */
  async forSite(siteId: number): Promise<Lease[]> {
    if (!(await this.repos.sites.get(siteId))) throw notFound('site');
    return this.repos.leases.forSite(siteId);
  }

  // ---------- for the forms: who may change what is asked here, not in the pages ----------
  /** The site a new lease is recorded for: planners only (403); 404 when there is no such site. */
  async siteForNewLease(user: SessionUser | undefined, siteId: number): Promise<Site> {
    requirePlanner(user);
    const site = await this.repos.sites.get(siteId);
    if (!site) throw notFound('site');
    return site;
  }
  /** The lease a form changes or deletes: planners only (403); 404 when there is none. */
  async forChange(user: SessionUser | undefined, id: number): Promise<Lease> {
    requirePlanner(user);
    return this.get(id);
  }

  async get(id: number): Promise<Lease> {
    const l = await this.repos.leases.get(id);
    if (!l) throw notFound('lease');
    return l;
  }

  async create(user: SessionUser | undefined, siteId: number, body: unknown): Promise<Lease> {
    requirePlanner(user);
    const v = parseBody(S.LeaseCreate, body);
    const values = { ...v, end: v.end ?? null, notice_months: v.notice_months ?? null };
    this.check(values);
    if (!(await this.repos.sites.get(siteId))) throw notFound('site');
    return this.writes.create(this.repos.leases, 'lease', user, { ...values, site_id: siteId, updated_by: user.id }, (trx, row) => this.noOverlap(row, trx));
  }

  async update(user: SessionUser | undefined, id: number, body: unknown): Promise<Lease> {
    requirePlanner(user);
    const { version, ...v } = parseBody(S.LeasePatch, body);
    const current = await this.get(id);
    this.check({ ...current, ...v });
    return this.writes.update(this.repos.leases, 'lease', user, id, version, { ...v, updated_by: user.id }, { after: (trx, row) => this.noOverlap(row, trx) });
  }

  async remove(user: SessionUser | undefined, id: number, version?: number): Promise<void> {
    requirePlanner(user);
    await this.writes.remove(this.repos.leases, 'lease', user, id, version);
  }

  private check(l: Terms): void {
    const fields = leaseFieldProblems(l);
    if (Object.keys(fields).length) throw validation(fields);
  }

  /** Inside the write's transaction, after the write: no other lease of the site meets its period. */
  private async noOverlap(l: Lease, trx: Tx): Promise<void> {
    const others = await this.repos.leases.overlapping(l.site_id, l.start, l.end, l.id, trx);
    if (!others.length) return;
    const o = others[0];
    throw ruleBroken(
      'LEASE_OVERLAP',
      `the lease overlaps lease ${o.id} of the site (${o.start} – ${o.end ?? 'open-ended'})`,
      { overlaps: others.map((x) => ({ id: x.id, start: x.start, end: x.end })) },
      { start: 'validation.lease_overlap' },
    );
  }
}
