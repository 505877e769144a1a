import type { SessionUser } from '../auth/guards.js';
import { forbidden, notFound } from '../errors.js';
import type { Move, Project, SiteEvent } from '../repositories/index.js';
import type { ProjectRepo } from '../repositories/projects.js';
import type { TableRepo } from '../repositories/table.js';
import type { MoveRepo } from '../repositories/index.js';
import * as S from '../schemas.js';
import { canPlan, parseBody } from './rules.js';
import type { WriteService } from './write-service.js';

export interface ProjectWithRecords extends Project {
  moves: Move[];
  events: SiteEvent[];
}

/** Projects (Vorhaben): named groups of moves and site events. Planners and admins write; everyone reads. */
export class ProjectService {
  constructor(
    private readonly repos: { projects: ProjectRepo; moves: MoveRepo; events: TableRepo<SiteEvent> },
    private readonly writes: WriteService,
  ) {}

  list(): Promise<Project[]> {
    return this.repos.projects.byName();
  }

  async listWithCounts(): Promise<(Project & { moves: number; events: number })[]> {
    const [list, counts] = await Promise.all([this.repos.projects.byName(), this.repos.projects.counts()]);
    return list.map((p) => ({ ...p, moves: counts.get(p.id)?.moves ?? 0, events: counts.get(p.id)?.events ?? 0 }));
  }

  async get(id: number): Promise<ProjectWithRecords> {
    const p = await this.repos.projects.get(id);
    if (!p) throw notFound('project');
    const [moves, events] = await Promise.all([this.repos.moves.find({ project_id: id }), this.repos.events.list({ project_id: id })]);
    events.sort((a, b) => a.date.localeCompare(b.date) || a.id - b.id);
    return { ...p, moves, events };
  }

  async exists(id: number): Promise<boolean> {
    return Boolean(await this.repos.projects.get(id));
  }

  async create(user: SessionUser, body: unknown): Promise<Project> {
    if (!canPlan(user)) throw forbidden();
    const v = parseBody(S.ProjectCreate, body);
    return this.writes.create(this.repos.projects, 'project', user, { ...v, updated_by: user.id });
  }

  async update(user: SessionUser, id: number, body: unknown): Promise<Project> {
    if (!canPlan(user)) throw forbidden();
    const { version, ...v } = parseBody(S.ProjectPatch, body);
    return this.writes.update(this.repos.projects, 'project', user, id, version, { ...v, updated_by: user.id });
  }

  /** Deleting a project keeps its moves and events; they no longer belong to a project. */
  async remove(user: SessionUser, id: number, version?: number): Promise<void> {
    if (!canPlan(user)) throw forbidden();
    await this.writes.remove(this.repos.projects, 'project', user, id, version, async (trx) => {
      await this.repos.projects.detach(id, trx);
    });
  }
}
