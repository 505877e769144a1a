import type { SessionUser } from '../auth/guards.js';
import { notFound, validation } from '../errors.js';
import type { Acknowledgement, Repos } from '../repositories/index.js';
import * as S from '../schemas.js';
import { parseBody, requirePlanner } from './rules.js';
import type { WriteService } from './write-service.js';

export type NamedAcknowledgement = Awaited<ReturnType<Repos['acknowledgements']['listNamed']>>[number];

/**
 * Acknowledged warnings (SPEC section 16): planners and admins acknowledge a warning for its
 * subject with a reason and an optional end date, and withdraw it; everyone reads them. Every
 * change is audited and bumps the plan revision (the states mark the warnings anew).
 */
export class AcknowledgementService {
  constructor(
    private readonly repos: Pick<Repos, 'acknowledgements' | 'teams' | 'sites' | 'units'>,
    private readonly writes: WriteService,
  ) {}

  list(): Promise<NamedAcknowledgement[]> {
    return this.repos.acknowledgements.listNamed();
  }

  /** The acknowledgement form: planners and admins only (403); the user who may. */
  mayCreate(user: SessionUser | undefined): SessionUser {
    requirePlanner(user);
    return user;
  }

  async create(user: SessionUser | undefined, body: unknown): Promise<Acknowledgement> {
    requirePlanner(user);
    const v = parseBody(S.AcknowledgementCreate, body);
    const [team, site, unit] = await Promise.all([
      v.team_id != null ? this.repos.teams.get(v.team_id) : null,
      v.site_id != null ? this.repos.sites.get(v.site_id) : null,
      v.unit_id != null ? this.repos.units.get(v.unit_id) : null,
    ]);
    const fields: Record<string, string> = {};
    if (v.team_id != null && !team) fields.team_id = 'validation.unknown_reference';
    if (v.site_id != null && !site) fields.site_id = 'validation.unknown_site';
    if (v.unit_id != null && !unit) fields.unit_id = 'validation.unknown_unit';
    if (Object.keys(fields).length) throw validation(fields);
    return this.writes.create(this.repos.acknowledgements, 'acknowledgement', user, {
      code: v.code,
      team_id: v.team_id ?? null,
      site_id: v.site_id ?? null,
      unit_id: v.unit_id ?? null,
      reason: v.reason,
      until: v.until ?? null,
      updated_by: user.id,
    });
  }

  /** Withdraws an acknowledgement: the warning counts again. */
  async remove(user: SessionUser | undefined, id: number, version?: number): Promise<void> {
    requirePlanner(user);
    if (!(await this.repos.acknowledgements.get(id))) throw notFound('acknowledgement');
    await this.writes.remove(this.repos.acknowledgements, 'acknowledgement', user, id, version);
  }
}
